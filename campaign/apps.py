from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = _("廉政风险防控活动")

    def ready(self):
        from . import hooks, receivers  # noqa: F401
