"""The defect tracking and rectification table (缺陷跟踪及整改表),
registered with the export centre (campaign.exports) when the app is ready."""

from django.utils.translation import gettext_lazy as _

from campaign.exports import Export, register
from campaign.tables import Column, Table

from .models import Rectification

CHUNK_SIZE = 2000


def _person(user):
    return user.get_full_name() if user is not None else ""


RECTIFICATIONS = Table(
    key="rectifications",
    title=_("{unit}缺陷跟踪及整改表"),
    columns=[
        Column("index", _("序号"), width=6, kind="number", align="center"),
        Column("source", _("问题来源"), width=12, value=lambda r: r.source_label),
        Column("description", _("存在问题"), width=30),
        Column("requirement", _("整改要求"), width=22),
        Column(
            "section",
            _("责任科室"),
            width=11,
            value=lambda r: r.section.name if r.section_id else "",
        ),
        Column("owner", _("责任人"), width=9, value=lambda r: _person(r.owner)),
        Column("due_on", _("整改期限"), width=11, kind="date"),
        Column("report", _("整改情况"), width=30),
        Column("reported_at", _("报告时间"), width=15, kind="datetime"),
        Column("verification", _("验证意见"), width=22),
        Column("verified_by", _("验证人"), width=9, value=lambda r: _person(r.verified_by)),
        Column("verified_at", _("验证时间"), width=15, kind="datetime"),
        Column("status", _("状态"), width=11, value=lambda r: str(r.get_status_display())),
    ],
    footer_lines=[_("领导小组办公室（盖章）：　　　　　　　　　　　　　　　年　　月　　日")],
)


def rectification_rows(campaign, user, section=None):
    items = Rectification.objects.filter(campaign=campaign)
    if section is not None:
        items = items.filter(section=section)
    items = items.select_related("item", "section", "owner", "verified_by").order_by(
        "created_at", "pk"
    )
    for index, item in enumerate(items.iterator(chunk_size=CHUNK_SIZE), start=1):
        item.index = index
        yield item


register(
    Export(
        key="rectifications",
        title=_("缺陷跟踪及整改表"),
        table=RECTIFICATIONS,
        rows=rectification_rows,
        per_section=True,
        description=_("检查验收中发现的问题、责任人、整改期限、整改情况和验证结果。"),
        order=80,
    )
)
