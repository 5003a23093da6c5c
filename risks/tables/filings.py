"""The three filing tables, registered with the export centre at import:

* the personal (post) table, one sheet per person — 个人岗位廉政风险点识别及防控措施表;
* the section table and the unit (leadership team) table, of the same shape.

Each sheet carries a filing's points and measures, its pledge, review
opinions and sign-off lines. The unit-wide tables are in ``summaries``.
"""

from collections.abc import Iterator

from django.db.models import F, Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from campaign.approvals import ReviewError, chain_for, history
from campaign.exports import Export, Part, register
from campaign.models import FilerRank, ReviewStep, StepRole
from campaign.tables import Column, Table

from ..access import visible_filings
from ..models import Filing, RiskPoint
from ..services import SUBJECT_OF_KIND, filer_rank
from .common import (
    DATE_BLANK,
    DATE_FORMAT,
    FILING_CHUNK_SIZE,
    SIGN_BLANK,
    UNIT_LABEL,
    _leaders_by_section,
    _local,
    _measures_by_line,
    _rank_order,
    _secretary,
    measure_columns,
)

# The filing tables (personal, section, unit) ---------------------------------


def point_row(index, point) -> dict:
    """A risk point as one row of a filing table."""
    return {
        "index": index,
        "category": point.category.name,
        "title": point.title,
        "content": point.content,
        "self_grade": point.self_grade.label if point.self_grade_id else None,
        "final_grade": point.final_grade.label if point.final_grade_id else None,
        **_measures_by_line(point),
    }


FILING_COLUMNS = [
    Column("index", gettext_lazy("序号"), width=6, kind="number", align="center"),
    Column("category", gettext_lazy("风险类别"), width=10),
    Column("title", gettext_lazy("风险点"), width=16),
    Column("content", gettext_lazy("风险内容及表现形式"), width=28),
    Column("self_grade", gettext_lazy("自评等级"), width=8, kind="grade"),
    Column("final_grade", gettext_lazy("评定等级"), width=8, kind="grade"),
    *measure_columns(),
]


def _review_lines(steps) -> list[str]:
    """Each decided (or open, or skipped) review step, oldest first."""
    rounds = {step.round for step in steps}
    lines = []
    for step in steps:
        prefix = _("第%(n)d次提交 · ") % {"n": step.round} if len(rounds) > 1 else ""
        role = str(step.get_role_display())
        if step.status == ReviewStep.Status.OPEN:
            lines.append(f"{prefix}{role}：{_('待审核')}")
            continue
        if step.status == ReviewStep.Status.SKIPPED:
            lines.append(f"{prefix}{role}：{_('跳过')}（{step.note}）")
            continue
        who = step.decided_by.get_full_name() if step.decided_by_id else ""
        text = f"{prefix}{role}（{who}）：{step.get_status_display()}"
        if step.opinion:
            text += f"。{step.opinion}"
        text += f"　{_local(step.decided_at, DATE_FORMAT)}"
        if step.meeting_date:
            text += "　" + _("会议日期：%(date)s") % {"date": step.meeting_date.isoformat()}
        lines.append(text)
    return lines


def filing_footer(context) -> list[str]:
    """Pledge, addressee and signing time, review opinions, sign-off lines."""
    filing = context.extra.get("filing")
    if filing is None:
        return []
    pledge = filing.pledge_text or _("（尚未签署廉政承诺）")
    lines = [_("廉政承诺：%(text)s") % {"text": pledge}]
    lines.append(
        _("承诺对象：%(to)s　　签署时间：%(when)s")
        % {
            "to": filing.pledge_addressee or "—",
            "when": _local(filing.pledge_signed_at) or "—",
        }
    )
    reviews = _review_lines(context.extra.get("steps", []))
    lines.append(
        _("审核意见：") + ("\n" + "\n".join(reviews) if reviews else _("（尚无审核记录）"))
    )
    for signer in context.extra.get("signers", []):
        lines.append(
            _("%(who)s（签名）：%(blank)s　　日期：%(date)s")
            % {"who": signer, "blank": SIGN_BLANK, "date": DATE_BLANK}
        )
    return lines


def _personal_block(context):
    filing = context.extra["filing"]
    owner = filing.owner
    rank = filing.rank or owner.rank
    return [
        (_("姓名"), owner.get_full_name()),
        (_("科室"), filing.section.name if filing.section_id else UNIT_LABEL),
        (_("岗位"), filing.post.name if filing.post_id else owner.title),
        (_("职级"), User.Rank(rank).label if rank in User.Rank.values else rank),
    ]


def _section_block(context):
    filing = context.extra["filing"]
    section = filing.section
    return [
        (_("科室"), section.name),
        (_("科室负责人"), section.head.get_full_name() if section.head_id else ""),
        (_("分管领导"), context.extra.get("leaders", "")),
        (_("集体研究日期"), filing.section_meeting_on),
    ]


def _unit_block(context):
    filing = context.extra["filing"]
    return [
        (_("单位"), context.unit_name),
        (_("党委（党组）书记"), context.extra.get("secretary", "")),
        (_("状态"), filing.get_status_display()),
        (_("审定时间"), _local(filing.approved_at)),
    ]


PERSONAL = Table(
    key="personal",
    title=gettext_lazy("{unit}个人岗位廉政风险点识别及防控措施表"),
    columns=FILING_COLUMNS,
    header_block=_personal_block,
    footer_lines=filing_footer,
)
SECTION = Table(
    key="section",
    title=gettext_lazy("{unit}科室（部门）廉政风险点识别及防控措施表"),
    columns=FILING_COLUMNS,
    header_block=_section_block,
    footer_lines=filing_footer,
)
UNIT = Table(
    key="unit",
    title=gettext_lazy("{unit}单位（领导班子）廉政风险点识别及防控措施表"),
    columns=FILING_COLUMNS,
    header_block=_unit_block,
    footer_lines=filing_footer,
)


def _points_queryset():
    return RiskPoint.objects.select_related(
        "category", "self_grade", "final_grade"
    ).prefetch_related("measures")


class _Signers:
    """Who signs a filing: the filer, then each role of the campaign's chain
    for that kind of filing (cached: one chain per kind and rank)."""

    FILERS = {
        Filing.Kind.PERSONAL: gettext_lazy("填报人"),
        Filing.Kind.SECTION: gettext_lazy("科室负责人"),
        Filing.Kind.UNIT: gettext_lazy("领导小组办公室"),
    }
    LABELS = {StepRole.PARTY_COMMITTEE: gettext_lazy("党委（党组）书记")}

    def __init__(self, campaign):
        self.campaign = campaign
        self.cache = {}

    def __call__(self, filing) -> list[str]:
        rank = filer_rank(filing) if filing.kind == Filing.Kind.PERSONAL else FilerRank.ANY
        key = (filing.kind, rank)
        if key not in self.cache:
            try:
                chain = chain_for(self.campaign, SUBJECT_OF_KIND[filing.kind], rank)
                roles = [step.role for step in chain.steps.all()]
            except ReviewError:
                roles = []
            signers = [str(self.FILERS[filing.kind])]
            for role in roles:
                label = str(self.LABELS.get(role, StepRole(role).label))
                if label not in signers:
                    signers.append(label)
            self.cache[key] = signers
        return self.cache[key]


def _filing_parts(campaign, user, filings, title_of, **extra) -> Iterator[Part]:
    signers = _Signers(campaign)
    filings = filings.prefetch_related(Prefetch("risk_points", queryset=_points_queryset()))
    for filing in filings.iterator(chunk_size=FILING_CHUNK_SIZE):
        filing.campaign = campaign
        points = [point_row(i, p) for i, p in enumerate(filing.risk_points.all(), start=1)]
        facts = {
            "filing": filing,
            "steps": list(history(filing)),
            "signers": signers(filing),
            **{key: value(filing) if callable(value) else value for key, value in extra.items()},
        }
        yield Part(rows=points, extra=facts, title=title_of(filing))


def personal_parts(campaign, user, section=None):
    filings = visible_filings(user, campaign).filter(kind=Filing.Kind.PERSONAL)
    if section is not None:
        filings = filings.filter(section=section)
    filings = filings.select_related("owner", "section", "post").order_by(
        F("section__display_order").asc(nulls_first=True),
        "section_id",
        _rank_order("owner__rank"),
        "owner__employee_no",
        "id",
    )
    return _filing_parts(campaign, user, filings, lambda f: f.owner.get_full_name())


def section_parts(campaign, user, section=None):
    filings = visible_filings(user, campaign).filter(kind=Filing.Kind.SECTION)
    if section is not None:
        filings = filings.filter(section=section)
    filings = filings.select_related("section__head").order_by(
        "section__display_order", "section_id"
    )
    leaders = _leaders_by_section(campaign)
    return _filing_parts(
        campaign,
        user,
        filings,
        lambda f: f.section.name,
        leaders=lambda f: leaders.get(f.section_id, ""),
    )


def unit_parts(campaign, user, section=None):
    filings = visible_filings(user, campaign).filter(kind=Filing.Kind.UNIT)
    return _filing_parts(
        campaign, user, filings, lambda f: str(UNIT_LABEL), secretary=_secretary(campaign)
    )


# Registration -------------------------------------------------------------------

register(
    Export(
        key="personal",
        title=gettext_lazy("个人岗位廉政风险点识别及防控措施表"),
        table=PERSONAL,
        rows=personal_parts,
        per_section=True,
        per_person=True,
        description=gettext_lazy(
            "每人一张工作表：个人信息、风险点及等级、三道防线措施、廉政承诺、审核意见和签字栏。"
            "选择科室时导出该科室全体人员。"
        ),
        order=20,
    )
)
register(
    Export(
        key="section",
        title=gettext_lazy("科室（部门）廉政风险点识别及防控措施表"),
        table=SECTION,
        rows=section_parts,
        per_section=True,
        per_person=True,
        description=gettext_lazy("每个科室一张工作表，格式与个人表相同。"),
        order=30,
    )
)
register(
    Export(
        key="unit",
        title=gettext_lazy("单位（领导班子）廉政风险点识别及防控措施表"),
        table=UNIT,
        rows=unit_parts,
        per_person=True,
        description=gettext_lazy("领导班子集体查找的单位风险点，格式与个人表相同。"),
        order=40,
    )
)
