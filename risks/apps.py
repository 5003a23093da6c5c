from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("风险点登记")

    def ready(self):
        from . import (
            hooks,  # noqa: F401
            tables,  # noqa: F401
        )
