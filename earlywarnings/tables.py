"""The warning disposal record (预警处置记录) in the export centre
(``campaign.exports``), registered when the app is ready.

The rows are :func:`earlywarnings.records.disposal_record`'s, for the
campaign's year: whoever exports gets exactly what the warning list shows
them, with the source of a warning masked where they may not see its signal
(a confidential petition never shows, not even as "信访举报"). Only those who
read the warning list may export it: the office, discipline inspection, the
leading group and party committee, auditors.
"""

from dataclasses import asdict

from django.utils.translation import gettext_lazy as _

from campaign.exports import Export, register
from campaign.tables import Column, Table

from . import access
from .records import disposal_record


def _yes_no(closed) -> str:
    return str(_("已办结")) if closed else str(_("未办结"))


DISPOSAL_RECORD = Table(
    key="warning_disposals",
    title=_("{unit}预警处置记录"),
    columns=[
        Column("index", _("序号"), width=6, kind="number", align="center"),
        Column("date", _("预警日期"), width=11, kind="date"),
        Column("target", _("预警对象"), width=12),
        Column("section", _("所在科室"), width=12),
        Column("level", _("预警等级"), width=11, align="center"),
        Column("scope", _("预警类别"), width=10, align="center"),
        Column("source", _("信息来源"), width=11),
        Column("warning_title", _("预警事项"), width=24),
        Column("disposal_kind", _("处置方式"), width=12, group=_("处置情况")),
        Column("responsible", _("责任人"), width=9, group=_("处置情况")),
        Column("due", _("完成期限"), width=11, kind="date", group=_("处置情况")),
        Column("report", _("落实情况（答复）"), width=28, group=_("处置情况")),
        Column("reported_at", _("报告时间"), width=15, kind="datetime", group=_("处置情况")),
        Column("evaluation", _("评估意见"), width=24, group=_("处置情况")),
        Column("evaluated_at", _("评估时间"), width=15, kind="datetime", group=_("处置情况")),
        Column("closed", _("办结情况"), width=9, value=lambda row: _yes_no(row["closed"])),
        Column("closed_at", _("办结时间"), width=15, kind="datetime"),
    ],
    note=_(
        "本表按预警逐项处置登记，一项预警有多项处置的分行填列；尚未处置的预警，"
        "“落实情况”填当事人答复，“评估意见”填办结说明。"
    ),
    footer_lines=[_("领导小组办公室（盖章）：　　　　　　　　　　　　　　　年　　月　　日")],
)


def may_export_disposals(user, campaign) -> bool:
    """Those who read the unit's warning list, for their own unit's campaigns."""
    return access.may_read_warnings(user) and user.unit_id == campaign.unit_id


def disposal_rows(campaign, user, section=None):
    if user.unit_id != campaign.unit_id:
        return
    rows = disposal_record(user, year=campaign.year, section=section)
    for index, row in enumerate(rows, start=1):
        yield {**asdict(row), "index": index}


register(
    Export(
        key="warning_disposals",
        title=_("预警处置记录"),
        table=DISPOSAL_RECORD,
        rows=disposal_rows,
        per_section=True,
        allowed=may_export_disposals,
        description=_(
            "本年度发出的预警及其处置、落实和评估情况；保密线索的来源只对有权查看的人显示。"
        ),
        order=75,
    )
)
