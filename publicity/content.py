"""What a notice shows, and nothing more.

* The register (unit-wide or one section's): risk points of **approved**
  filings only, with their measures. Owners' and heads' names only when the
  office chose to show names.
* The power catalogue: powers of **approved** catalogues, never one marked
  "unpublished"; through the public link only powers that are both public
  and external (对外行使), with their flowcharts.
* Nothing from early warning, ever.

Each function runs a fixed number of queries whatever the size.

A unit-wide register of a city bureau holds tens of thousands of points: no
one reads (or prints) that as one page. Beyond :data:`NOTICE_PART_ROWS` rows
the notice is shown in parts of whole sections (:func:`register_parts`),
with an index of every section leading to its part.
"""

from dataclasses import dataclass, field

from django.db.models import Case as SqlCase
from django.db.models import Count, F, IntegerField, Prefetch, Q, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from powers import flowchart
from powers.models import Catalogue, Power, PowerStep
from risks.models import Filing, Measure, RiskPoint

UNIT_LABEL = _("单位（领导班子）")
SECTION_FILING_LABEL = _("科室集体")
LEADER_LABEL = _("领导班子成员")
# About how many rows one part of a long register notice shows.
NOTICE_PART_ROWS = 300


@dataclass
class RegisterRow:
    section: str
    post: str
    person: str  # "" when names are hidden
    category: str
    title: str
    content: str
    grade: object  # a GradeLevel or None
    measures: dict = field(default_factory=dict)  # line label -> [texts]


@dataclass
class SectionGroup:
    label: str
    rows: list = field(default_factory=list)


@dataclass
class NoticeSection:
    section_id: int | None  # None: the leadership team and the unit filing
    label: str
    rows: int


@dataclass
class NoticePart:
    number: int
    sections: list = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(section.rows for section in self.sections)

    @property
    def section_ids(self) -> list:
        return [section.section_id for section in self.sections]


def _approved_points(window):
    points = RiskPoint.objects.filter(
        campaign_id=window.campaign_id, filing__status=Filing.Status.APPROVED
    )
    if window.section_id is not None:
        points = points.filter(filing__section_id=window.section_id)
    return points


def register_parts(window, size=NOTICE_PART_ROWS) -> list[NoticePart]:
    """The notice's sections in register order with their number of rows,
    cut into parts of whole sections of about ``size`` rows (a larger
    section makes a part of its own). One query."""
    counts = (
        _approved_points(window)
        .values("filing__section_id", "filing__section__name")
        .annotate(n=Count("pk"))
        .order_by(F("filing__section__display_order").asc(nulls_first=True), "filing__section_id")
    )
    parts: list[NoticePart] = []
    for row in counts:
        section = NoticeSection(
            row["filing__section_id"],
            row["filing__section__name"] or str(UNIT_LABEL),
            row["n"],
        )
        if not parts or (parts[-1].sections and parts[-1].rows + section.rows > size):
            parts.append(NoticePart(len(parts) + 1))
        parts[-1].sections.append(section)
    return parts


def register_points(window, section_ids=None):
    """Risk points of approved filings in the window's scope, in register
    order; only those of ``section_ids`` (None standing for the leadership
    team and the unit filing) when given."""
    points = _approved_points(window)
    if section_ids is not None:
        rule = Q(filing__section_id__in=[pk for pk in section_ids if pk is not None])
        if None in section_ids:
            rule |= Q(filing__section__isnull=True)
        points = points.filter(rule)
    kind_order = SqlCase(
        When(filing__kind=Filing.Kind.UNIT, then=Value(0)),
        When(filing__kind=Filing.Kind.SECTION, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        points.select_related(
            "filing__section__head",
            "filing__post",
            "filing__owner",
            "category",
            "final_grade",
            "reviewed_grade",
            "self_grade",
        )
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.order_by("line", "position", "pk"))
        )
        .annotate(kind_order=kind_order)
        .order_by(
            F("filing__section__display_order").asc(nulls_first=True),
            "filing__section_id",
            "kind_order",
            "filing__owner__employee_no",
            "filing_id",
            "position",
            "pk",
        )
    )


def _row(point, show_names) -> RegisterRow:
    filing = point.filing
    section = filing.section.name if filing.section_id else str(UNIT_LABEL)
    if filing.kind == Filing.Kind.PERSONAL:
        if filing.post_id:
            post = filing.post.name
        else:
            post = str(LEADER_LABEL) if filing.rank == User.Rank.LEADER else ""
        person = filing.owner.get_full_name() if show_names and filing.owner_id else ""
    elif filing.kind == Filing.Kind.SECTION:
        post = str(SECTION_FILING_LABEL)
        head = filing.section.head if filing.section_id else None
        person = head.get_full_name() if show_names and head is not None else ""
    else:
        post = str(_("领导班子"))
        person = ""
    lines = {str(line.label): [] for line in Measure.Line}
    labels = dict(Measure.Line.choices)
    for measure in point.measures.all():
        lines[str(labels[measure.line])].append(measure.text)
    return RegisterRow(
        section=section,
        post=post,
        person=person,
        category=point.category.name,
        title=point.title,
        content=point.content,
        grade=point.grade,
        measures=lines,
    )


def register_groups(window, section_ids=None) -> list[SectionGroup]:
    """The register grouped by section, as the notice prints it."""
    groups: list[SectionGroup] = []
    for point in register_points(window, section_ids):
        row = _row(point, window.show_names)
        if not groups or groups[-1].label != row.section:
            groups.append(SectionGroup(row.section))
        groups[-1].rows.append(row)
    return groups


def notice_powers(window, *, public=False):
    """Powers a notice shows: approved catalogues, never unpublished; the
    public link only the public, external ones."""
    powers = Power.objects.filter(
        campaign_id=window.campaign_id, catalogue__status=Catalogue.Status.APPROVED
    ).exclude(publicity=Power.Publicity.UNPUBLISHED)
    if public:
        powers = powers.filter(publicity=Power.Publicity.PUBLIC, direction=Power.Direction.EXTERNAL)
    return (
        powers.select_related("section", "category")
        .prefetch_related(
            "posts",
            Prefetch(
                "steps",
                queryset=PowerStep.objects.select_related("post__section").order_by(
                    "position", "id"
                ),
            ),
        )
        .order_by(F("section__display_order").asc(), "section_id", "sequence", "code", "id")
    )


def powers_with_flowcharts(window, *, public=False) -> list:
    """The powers, each with ``svg`` (its flowchart, or "" without steps)."""
    shown = list(notice_powers(window, public=public))
    for power in shown:
        steps = list(power.steps.all())
        power.svg = flowchart.render(power, steps) if steps else ""
        power.post_names = "、".join(post.name for post in power.posts.all())
    return shown
