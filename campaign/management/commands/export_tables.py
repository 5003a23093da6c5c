"""Write every filing table of a campaign to a folder.

    python manage.py export_tables <campaign-id> <out-dir> [--as <username>]

Each registered table is written for the whole unit; tables printed per
person (the personal table) are also written once per section, one
workbook per section with one sheet per person. The files are named as the
export centre names its downloads. Rows are read with a person's access:
``--as`` names them, otherwise the first member of the campaign's office.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Section, User
from campaign import exports
from campaign.access import may_administer
from campaign.models import Campaign, LeadingGroupMember


class Command(BaseCommand):
    help = _("把一次活动的全部登记表、一览表和汇总表导出为 Excel 文件。")

    def add_arguments(self, parser):
        parser.add_argument("campaign_id", type=int)
        parser.add_argument("out_dir")
        parser.add_argument(
            "--as",
            dest="username",
            help=_("按此人的权限导出（默认：本次活动领导小组办公室的第一位成员）"),
        )

    def handle(self, campaign_id, out_dir, username=None, **options):
        campaign = Campaign.objects.select_related("unit").filter(pk=campaign_id).first()
        if campaign is None:
            raise CommandError(_("没有编号为 %(id)s 的活动。") % {"id": campaign_id})
        user = self._user(campaign, username)
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        exported_at = timezone.localtime()
        written = 0
        for export in exports.exports_for(user, campaign):
            scopes = [None]
            if export.per_person and export.per_section:
                scopes += list(
                    Section.objects.filter(unit_id=campaign.unit_id).order_by("display_order", "id")
                )
            for section in scopes:
                path = folder / export.filename(campaign, section, exported_at)
                try:
                    with open(path, "wb") as stream:
                        export.write(stream, campaign, user, section, exported_at=exported_at)
                except exports.NothingToExport:
                    path.unlink(missing_ok=True)
                    continue
                written += 1
                self.stdout.write(str(path))
        self.stdout.write(
            self.style.SUCCESS(_("已导出 %(n)d 个文件到 %(dir)s") % {"n": written, "dir": folder})
        )

    def _user(self, campaign, username):
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(_("没有用户名为“%(name)s”的人员。") % {"name": username})
            if not exports.may_export(user, campaign):
                raise CommandError(_("“%(name)s”无权导出本次活动的表格。") % {"name": username})
            return user
        seat = (
            LeadingGroupMember.objects.filter(
                campaign=campaign, role__in=LeadingGroupMember.OFFICE_ROLES, person__is_active=True
            )
            .select_related("person")
            .order_by("display_order", "id")
            .first()
        )
        if seat is None or not may_administer(seat.person, campaign):
            raise CommandError(_("本次活动没有领导小组办公室成员，请用 --as 指定导出人。"))
        return seat.person
