from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from accounts.demo import DEMO_PASSWORD, LOGINS
from config.celery import app as celery_app


class Command(BaseCommand):
    help = _("创建（或更新）演示单位及其数据；重复运行不会产生重复数据。")

    def handle(self, *args, **options):
        context = {}
        # Each of our apps may ship a demo.py; they run in INSTALLED_APPS order,
        # so an app's demo can rely on what the apps before it created. The
        # demo's notifications stay in the inbox: invented people get no
        # e-mail, even where SMTP is configured, and tasks run inline.
        celery_app.conf.task_always_eager = True
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
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
