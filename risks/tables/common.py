"""What the risk filing tables share: the measures' three lines, the
label of the rows that belong to no section, the blanks of the sign-off
lines, and the lookups (rank order, supervising leaders, the party
secretary) that both the filing tables (``filings``) and the unit-wide
register (``summaries``) need.
"""

from collections import defaultdict

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import Section, User
from campaign.models import LeadingGroupMember
from campaign.tables import Column

from ..models import Filing, Measure

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


# Shared by the filing tables and the register -----------------------------------


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


def _secretary(campaign) -> str:
    member = (
        LeadingGroupMember.objects.filter(campaign=campaign, role=LeadingGroupMember.Role.LEADER)
        .select_related("person")
        .order_by("display_order", "id")
        .first()
    )
    return member.person.get_full_name() if member else ""
