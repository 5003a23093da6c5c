"""The unit-wide register of risk points (风险点汇总表): for the campaign's
watchers (``campaign.access.may_watch``), each seeing the risk points of the
filings they may open (auditors: approved filings only). Another unit's
campaign is a 404."""

from django.db.models import Count, Exists, F, OuterRef, Q
from django.shortcuts import render

from accounts.models import Section
from accounts.roles import standing
from campaign.access import get_campaign
from campaign.models import LeadingGroupMember

from ..access import sees_all, visible_filings
from ..forms import RegisterFilter
from ..models import Filing, Measure, RiskPoint
from ..panels import CURRENT_GRADE
from .common import list_page


def _measure_lines():
    lines = {}
    for line in Measure.Line.values:
        lines[line] = Exists(Measure.objects.filter(risk_point=OuterRef("pk"), line=line))
    return lines


def register_points(user, campaign, form):
    """The risk points of the register for this person, filtered."""
    points = RiskPoint.objects.filter(campaign=campaign)
    if not sees_all(user, campaign):
        # Those who see every filing need no filter: counting and sorting the
        # campaign's points then uses its index alone.
        points = points.filter(filing__in=visible_filings(user, campaign))
    points = points.annotate(current_grade=CURRENT_GRADE)
    if not form.is_valid():
        return points.none()
    data = form.cleaned_data
    if data.get("section"):
        points = points.filter(filing__section=data["section"])
    if data.get("category"):
        points = points.filter(category=data["category"])
    grade = data.get("grade")
    if grade == "none":
        points = points.filter(current_grade__isnull=True)
    elif grade:
        points = points.filter(current_grade=grade)
    if data.get("kind"):
        points = points.filter(filing__kind=data["kind"])
    if data.get("status"):
        points = points.filter(filing__status=data["status"])
    if data.get("unfinal"):
        points = points.filter(final_grade__isnull=True)
    measures = data.get("measures")
    if measures == "incomplete":
        lines = _measure_lines()
        points = points.filter(~Q(*lines.values()))
    elif measures == "no_owner":
        points = points.filter(
            Exists(Measure.objects.filter(risk_point=OuterRef("pk"), owner__isnull=True))
        )
    if data.get("q"):
        q = data["q"]
        points = points.filter(
            Q(title__icontains=q)
            | Q(content__icontains=q)
            | Q(filing__owner__full_name__icontains=q)
            | Q(filing__post__name__icontains=q)
            | Q(filing__section__name__icontains=q)
        )
    return points.order_by(
        F("filing__section__display_order").asc(nulls_first=True),
        "filing__section_id",
        "filing__kind",
        "filing__owner__employee_no",
        "filing_id",
        "position",
        "pk",
    )


def _decorate(points, campaign):
    """Grades, measures per line and the people responsible, for one page."""
    levels = {level.pk: level for level in campaign.grade_levels.all()}
    ids = [p.pk for p in points]
    lines = {}
    for row in (
        Measure.objects.filter(risk_point_id__in=ids)
        .values("risk_point_id", "line")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        lines[(row["risk_point_id"], row["line"])] = row["n"]
    section_ids = {p.filing.section_id for p in points if p.filing.section_id}
    leaders = {}
    for link in (
        Section.supervising_leaders.through.objects.filter(section_id__in=section_ids)
        .select_related("user")
        .order_by("user__employee_no", "user_id")
    ):
        leaders.setdefault(link.section_id, []).append(str(link.user))
    secretary = (
        LeadingGroupMember.objects.filter(campaign=campaign, role=LeadingGroupMember.Role.LEADER)
        .select_related("person")
        .first()
    )
    for point in points:
        filing = point.filing
        point.current_level = levels.get(point.current_grade)
        point.line_counts = [lines.get((point.pk, line), 0) for line in Measure.Line.values]
        if filing.section_id:
            point.responsible_head = filing.section.head
            point.responsible_leader = "、".join(leaders.get(filing.section_id, []))
        else:
            point.responsible_head = None
            if filing.kind == Filing.Kind.PERSONAL:
                point.responsible_leader = str(filing.owner)
            else:
                point.responsible_leader = str(secretary.person) if secretary else ""
    return points


def register(request, campaign_pk):
    campaign = get_campaign(request.user, campaign_pk, watch=True)
    form = RegisterFilter(request.GET, campaign=campaign)
    page = list_page(
        register_points(request.user, campaign, form),
        request.GET.get("page"),
        load=lambda ids: (
            RiskPoint.objects.filter(pk__in=ids)
            .annotate(current_grade=CURRENT_GRADE)
            .select_related("filing__owner", "filing__section__head", "filing__post", "category")
        ),
    )
    _decorate(page.object_list, campaign)
    return render(
        request,
        "risks/register.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "lines": Measure.Line.choices,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "approved_only": standing(request.user).is_auditor
            and not sees_all(request.user, campaign),
        },
    )
