from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.demo import DEMO_PASSWORD, LOGINS


class Command(BaseCommand):
    help = _("创建（或更新）演示单位及其数据；重复运行不会产生重复数据。")

    def handle(self, *args, **options):
        context = {}
        # Each of our apps may ship a demo.py; they run in INSTALLED_APPS order,
        # so an app's demo can rely on what the apps before it created.
        with transaction.atomic():
            for app in settings.LOCAL_APPS:
                module_name = f"{app}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).load(context)
                self.stdout.write(_("已载入：%(app)s") % {"app": app})
        self.stdout.write(
            self.style.SUCCESS(
                _("演示数据已就绪。所有演示账号的密码：%(pw)s") % {"pw": DEMO_PASSWORD}
            )
        )
        for username, role in LOGINS:
            self.stdout.write(f"  {username:<12} {role}")
