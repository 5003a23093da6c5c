"""The risk filing tables auditors export, registered with the export centre
(campaign.exports) when the app is ready:

* the personal (post) table, one sheet per person — 个人岗位廉政风险点识别及防控措施表;
* the section table and the unit (leadership team) table, of the same shape;
* the unit-wide register — 风险点和等级目录汇总表;
* the statistics table — 风险排查及风险评估汇总表, with one column per grade
  level and per risk category of the campaign.

Every table reads filings through ``risks.access.visible_filings``: an
auditor never gets a filing that is not approved.

The register's columns are also what ``risks/imports.py`` reads, so a
register exported from one campaign imports into another unchanged.
"""

from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Section, User
from campaign.approvals import ReviewError, chain_for, history
from campaign.exports import Export, Part, register
from campaign.models import FilerRank, LeadingGroupMember, ReviewStep, StepRole
from campaign.tables import Column, Table

from .access import visible_filings
from .models import Filing, Measure, RiskPoint
from .services import SUBJECT_OF_KIND, filer_rank, filers_of

CHUNK_SIZE = 2000
# Filings carry their points and measures; fewer per chunk keeps memory flat.
FILING_CHUNK_SIZE = 200

# The 科室 of rows that belong to no section: the unit filing and the
# leadership team's personal filings. The register import reads it back.
UNIT_LABEL = gettext_lazy("单位（领导班子）")
MEASURES_GROUP = gettext_lazy("防控措施")
LINES = tuple(Measure.Line)
# Plain strings: enum members are slow to compare in a 30,000-row loop.
PREVENTION, MONITORING, HANDLING = (str(line.value) for line in LINES)
PERSONAL_KIND = str(Filing.Kind.PERSONAL.value)

SIGN_BLANK = "＿" * 8
DATE_BLANK = "　　　年　　月　　日"
TIME_FORMAT = "%Y-%m-%d %H:%M"
DATE_FORMAT = "%Y-%m-%d"


# Measures ------------------------------------------------------------------


def measure_columns(width=22):
    """前期预防 / 中期监控 / 后期处置 under one 防控措施 header."""
    return [
        Column(line.value, line.label, width=width, group=MEASURES_GROUP) for line in Measure.Line
    ]


def _measures_by_line(point) -> dict:
    lines = {line: [] for line in (PREVENTION, MONITORING, HANDLING)}
    for measure in point.measures.all():
        lines[measure.line].append(measure.text)
    return {line: "\n".join(texts) for line, texts in lines.items()}


def _local(value, fmt=TIME_FORMAT):
    return timezone.localtime(value).strftime(fmt) if value else ""


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


def _secretary(campaign) -> str:
    member = (
        LeadingGroupMember.objects.filter(campaign=campaign, role=LeadingGroupMember.Role.LEADER)
        .select_related("person")
        .order_by("display_order", "id")
        .first()
    )
    return member.person.get_full_name() if member else ""


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


# The unit-wide register --------------------------------------------------------


def _rank_order(field):
    return Case(
        When(**{field: User.Rank.LEADER}, then=Value(0)),
        When(**{field: User.Rank.MIDDLE}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _leaders_by_section(campaign) -> dict[int, str]:
    names = defaultdict(list)
    through = Section.supervising_leaders.through.objects.filter(section__unit_id=campaign.unit_id)
    for section_id, name in through.order_by("user__employee_no", "user_id").values_list(
        "section_id", "user__full_name"
    ):
        names[section_id].append(name)
    return {section_id: "、".join(people) for section_id, people in names.items()}


REGISTER = Table(
    key="register",
    title=gettext_lazy("{unit}风险点和等级目录汇总表"),
    columns=[
        Column("index", gettext_lazy("序号"), width=6, kind="number", align="center"),
        Column("section", gettext_lazy("科室"), width=12),
        Column("post", gettext_lazy("岗位"), width=11),
        Column("person", gettext_lazy("姓名"), width=8),
        Column("category", gettext_lazy("风险类别"), width=9),
        Column("title", gettext_lazy("风险点"), width=15),
        Column("content", gettext_lazy("风险内容及表现形式"), width=26),
        Column("grade", gettext_lazy("风险等级"), width=7, kind="grade"),
        *measure_columns(width=20),
        Column("head", gettext_lazy("科室负责人"), width=11),
        Column("leader", gettext_lazy("分管领导"), width=10),
    ],
)

_REGISTER_FIELDS = (
    "id",
    "filing__kind",
    "filing__section_id",
    "filing__section__name",
    "filing__section__head__full_name",
    "filing__post__name",
    "filing__owner__full_name",
    "category__name",
    "title",
    "content",
    "final_grade__label",
    "reviewed_grade__label",
    "self_grade__label",
)


def register_points(campaign, user, section=None):
    """The register's risk points, in the register's order, as values."""
    points = RiskPoint.objects.filter(
        campaign=campaign, filing__in=visible_filings(user, campaign).values("pk")
    )
    if section is not None:
        points = points.filter(filing__section=section)
    kind_order = Case(
        When(filing__kind=Filing.Kind.UNIT, then=Value(0)),
        When(filing__kind=Filing.Kind.SECTION, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return points.order_by(
        F("filing__section__display_order").asc(nulls_first=True),
        F("filing__section_id").asc(nulls_first=True),
        kind_order,
        _rank_order("filing__owner__rank"),
        "filing__owner__employee_no",
        "filing_id",
        "position",
        "id",
    ).values_list(*_REGISTER_FIELDS)


def _chunk_measures(point_ids):
    """(point id, line, text) of the points' measures, in order.

    On PostgreSQL the ids go as one array parameter: building 2,000 separate
    placeholders per chunk took as long as reading the measures."""
    if connection.vendor == "postgresql":
        table = Measure._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT "risk_point_id", "line", "text" FROM "{table}" '
                'WHERE "risk_point_id" = ANY(%s) '
                'ORDER BY "risk_point_id", "line", "position", "id"',
                [list(point_ids)],
            )
            return cursor.fetchall()
    return (
        Measure.objects.filter(risk_point_id__in=point_ids)
        .order_by("risk_point_id", "line", "position", "id")
        .values_list("risk_point_id", "line", "text")
    )


def register_rows(campaign, user, section=None):
    """Dict rows, streamed in chunks: each chunk's measures come in one query
    (a hand-made prefetch over ``values_list``, which is several times faster
    than model instances at register sizes)."""
    leaders = _leaders_by_section(campaign)
    secretary = _secretary(campaign)
    unit_label = str(UNIT_LABEL)
    stream = register_points(campaign, user, section).iterator(chunk_size=CHUNK_SIZE)
    index = 0
    while chunk := list(islice(stream, CHUNK_SIZE)):
        measures = {}
        for point_id, line, text in _chunk_measures([row[0] for row in chunk]):
            measures.setdefault(point_id, {}).setdefault(line, []).append(text)
        for (
            point_id,
            kind,
            section_id,
            section_name,
            head,
            post,
            owner,
            category,
            title,
            content,
            final,
            reviewed,
            self_grade,
        ) in chunk:
            index += 1
            lines = measures.get(point_id, {})
            personal = kind == PERSONAL_KIND
            yield {
                "index": index,
                "section": section_name if section_id else unit_label,
                "post": post if personal else "",
                "person": owner if personal else "",
                "category": category,
                "title": title,
                "content": content,
                "grade": final or reviewed or self_grade,
                PREVENTION: "\n".join(lines.get(PREVENTION, ())),
                MONITORING: "\n".join(lines.get(MONITORING, ())),
                HANDLING: "\n".join(lines.get(HANDLING, ())),
                "head": head if section_id else "",
                "leader": leaders.get(section_id, "") if section_id else secretary,
            }


# The statistics table ------------------------------------------------------------

STATUSES = list(Filing.Status)


def statistics_table(campaign) -> Table:
    """Columns follow the campaign: one per grade level (in its own words)
    and one per risk category."""
    levels = list(campaign.grade_levels.all())
    categories = list(campaign.risk_categories.all())
    filings = gettext_lazy("登记表（份）")
    by_grade = gettext_lazy("风险点（按等级，个）")
    by_category = gettext_lazy("风险点（按类别，个）")
    number = {"kind": "number", "width": 7, "align": "center"}
    return Table(
        key="statistics",
        title=gettext_lazy("{unit}风险排查及风险评估汇总表"),
        columns=[
            Column("index", gettext_lazy("序号"), width=6, kind="number", align="center"),
            Column("section", gettext_lazy("科室（部门）"), width=18),
            Column("people", gettext_lazy("人数"), **number),
            Column("filings", gettext_lazy("合计"), group=filings, **number),
            *[
                Column(f"status_{status.value}", status.label, group=filings, **number)
                for status in STATUSES
            ],
            *[
                Column(f"grade_{level.pk}", level.label, group=by_grade, **number)
                for level in levels
            ],
            Column("grade_none", gettext_lazy("未定级"), group=by_grade, **number),
            *[
                Column(f"category_{category.pk}", category.name, group=by_category, **number)
                for category in categories
            ],
            Column("points", gettext_lazy("风险点合计"), **(number | {"width": 11})),
            Column("measures", gettext_lazy("防控措施（条）"), **number),
        ],
        note=gettext_lazy(
            "注：风险点按评定等级统计，尚未评定的按审核等级或自评等级统计；“%(unit)s”一行为单位登记表和"
            "领导班子成员的个人登记表。"
        )
        % {"unit": UNIT_LABEL},
    )


def statistics_rows(campaign, user, section=None):
    filings = visible_filings(user, campaign)
    points = RiskPoint.objects.filter(filing__in=filings.values("pk"))
    counts = defaultdict(lambda: defaultdict(int))

    for section_id, n in (
        filers_of(campaign)
        .values("section_id")
        .annotate(n=Count("id"))
        .values_list("section_id", "n")
    ):
        counts[section_id]["people"] += n
    for section_id, status, n in (
        filings.order_by()
        .values("section_id", "status")
        .annotate(n=Count("id"))
        .values_list("section_id", "status", "n")
    ):
        counts[section_id][f"status_{status}"] += n
        counts[section_id]["filings"] += n
    grade = Coalesce("final_grade_id", "reviewed_grade_id", "self_grade_id")
    for section_id, level_id, n in (
        points.annotate(level=grade)
        .order_by()
        .values("filing__section_id", "level")
        .annotate(n=Count("id"))
        .values_list("filing__section_id", "level", "n")
    ):
        counts[section_id][f"grade_{level_id}" if level_id else "grade_none"] += n
        counts[section_id]["points"] += n
    for section_id, category_id, n in (
        points.order_by()
        .values("filing__section_id", "category_id")
        .annotate(n=Count("id"))
        .values_list("filing__section_id", "category_id", "n")
    ):
        counts[section_id][f"category_{category_id}"] += n
    for section_id, n in (
        Measure.objects.filter(risk_point__in=points)
        .order_by()
        .values("risk_point__filing__section_id")
        .annotate(n=Count("id"))
        .values_list("risk_point__filing__section_id", "n")
    ):
        counts[section_id]["measures"] += n

    sections = Section.objects.filter(unit_id=campaign.unit_id).filter(
        Q(is_active=True) | Q(pk__in=[pk for pk in counts if pk])
    )
    if section is not None:
        sections = sections.filter(pk=section.pk)
    rows = []
    if section is None and counts.get(None):
        rows.append((str(UNIT_LABEL), counts[None]))
    rows += [(s.name, counts.get(s.pk, {})) for s in sections.order_by("display_order", "id")]
    total = defaultdict(int)
    for index, (name, values) in enumerate(rows, start=1):
        for key, n in values.items():
            total[key] += n
        yield _statistics_row(campaign, index, name, values)
    yield _statistics_row(campaign, None, _("合计"), total)


class _Counts(dict):
    """A statistics row: a count nobody had reads as 0."""

    def __missing__(self, key):
        return 0


def _statistics_row(campaign, index, name, values):
    return _Counts(values, index=index, section=name)


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
register(
    Export(
        key="register",
        title=gettext_lazy("风险点和等级目录汇总表"),
        table=REGISTER,
        rows=register_rows,
        per_section=True,
        description=gettext_lazy(
            "全单位风险点一览：科室、岗位、类别、风险点、表现形式、等级、防控措施、责任人。"
        ),
        order=50,
    )
)
register(
    Export(
        key="statistics",
        title=gettext_lazy("风险排查及风险评估汇总表"),
        table=statistics_table,
        rows=statistics_rows,
        description=gettext_lazy(
            "按科室统计人数、登记表状态、各等级和各类别风险点数量及防控措施数。"
        ),
        order=60,
    )
)
