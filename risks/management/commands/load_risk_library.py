from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from risks import library
from risks.models import LibraryEntry


class Command(BaseCommand):
    help = _(
        "从 fixtures/risk_library.json 载入常见风险点库（按编号匹配，默认不覆盖已编辑的条目）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--overwrite", action="store_true", help=_("用文件内容覆盖已有条目"))
        parser.add_argument("--path", default=str(library.FIXTURE))

    def handle(self, *args, **options):
        created, updated = library.load(
            LibraryEntry, options["path"], overwrite=options["overwrite"]
        )
        self.stdout.write(
            self.style.SUCCESS(_("新增 %(c)d 条，更新 %(u)d 条。") % {"c": created, "u": updated})
        )
