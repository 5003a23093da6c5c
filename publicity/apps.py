from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = _("公示")

    def ready(self):
        from . import (
            hooks,  # noqa: F401
            tables,  # noqa: F401
        )
