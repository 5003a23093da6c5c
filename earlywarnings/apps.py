from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarlywarningsConfig(AppConfig):
    name = "earlywarnings"
    verbose_name = _("预警管理")

    def ready(self):
        from . import (
            hooks,  # noqa: F401
            tables,  # noqa: F401
        )
