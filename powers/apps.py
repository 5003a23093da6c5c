from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowersConfig(AppConfig):
    name = "powers"
    verbose_name = _("职权目录")

    def ready(self):
        from . import (
            hooks,  # noqa: F401
            tables,  # noqa: F401
        )
