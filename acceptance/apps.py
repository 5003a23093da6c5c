from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcceptanceConfig(AppConfig):
    name = "acceptance"
    verbose_name = _("检查验收")

    def ready(self):
        from . import (
            hooks,  # noqa: F401
            tables,  # noqa: F401
        )
