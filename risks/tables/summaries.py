"""The unit-wide tables, registered with the export centre at import:

* the register — 风险点和等级目录汇总表, one row per risk point;
* the statistics table — 风险排查及风险评估汇总表, with one column per grade
  level and per risk category of the campaign.

The register's columns are also what ``risks/imports.py`` reads, so a
register exported from one campaign imports into another unchanged.
"""

from collections import defaultdict
from itertools import islice

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Section
from campaign.exports import Export, register
from campaign.tables import Column, Table

from ..access import visible_filings
from ..models import Filing, Measure, RiskPoint
from ..services import filers_of
from .common import (
    CHUNK_SIZE,
    HANDLING,
    MONITORING,
    PERSONAL_KIND,
    PREVENTION,
    UNIT_LABEL,
    _leaders_by_section,
    _rank_order,
    _secretary,
    measure_columns,
)

# The unit-wide register --------------------------------------------------------


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
