"""The personal integrity file (廉政档案): filings and pledges across
campaigns, warnings, deductions and yearly scores. The person, the office and
discipline inspection only — a 404 for everyone else."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Section, User
from risks.models import Filing, RiskPoint

from .. import access
from ..models import Deduction, EarlyWarning, TargetKind, WarningPolicy, YearlyScore
from .common import mark_sources, paginate, require


def my_file(request):
    return _file(request, request.user.pk)


def person_file(request, person_id):
    return _file(request, person_id)


def _file(request, person_id):
    user = request.user
    person = access.get_file_owner(user, person_id)
    today = timezone.localdate()
    policy = WarningPolicy.for_unit(person.unit_id)
    scores = list(YearlyScore.objects.filter(person=person).order_by("-year"))
    if not any(score.year == today.year for score in scores):
        scores.insert(
            0,
            YearlyScore(person=person, year=today.year, base_points=policy.base_points, deducted=0),
        )
    deductions = list(
        Deduction.objects.filter(person=person)
        .select_related("signal__person", "signal__post", "recorded_by")
        .order_by("-year", "-recorded_at", "-pk")
    )
    is_self = person.pk == user.pk
    for deduction in deductions:
        # The owner reads their file as the person concerned — like "my
        # warnings", never with a source, even when they are office staff.
        deduction.signal_visible = (
            not is_self
            and deduction.signal_id is not None
            and access.may_see_signal(user, deduction.signal)
        )
    warnings = list(
        EarlyWarning.objects.filter(
            unit_id=person.unit_id, target_kind=TargetKind.PERSON, person=person
        )
        .select_related("signal__person", "signal__post")
        .annotate(disposal_count=Count("disposals"))
        .order_by("-raised_at", "-pk")
    )
    if is_self:
        for warning in warnings:
            warning.source_visible, warning.shown_source, warning.signal_link = False, "", False
    else:
        mark_sources(user, warnings)
    filings = list(
        Filing.objects.filter(owner=person, kind=Filing.Kind.PERSONAL)
        .select_related("campaign", "section", "post")
        .prefetch_related(
            Prefetch(
                "risk_points",
                queryset=RiskPoint.objects.select_related(
                    "category", "final_grade", "reviewed_grade", "self_grade"
                ).annotate(measure_count=Count("measures")),
            )
        )
        .order_by("-campaign__year", "-campaign_id")
    )
    return render(
        request,
        "earlywarnings/file.html",
        {
            "person": person,
            "policy": policy,
            "scores": scores,
            "current": scores[0],
            "deductions": deductions,
            "warnings": warnings,
            "filings": filings,
            "is_self": is_self,
            "may_manage": access.may_manage(user),
        },
    )


def file_index(request):
    """The office's and discipline inspection's way into everyone's file."""
    user = request.user
    require(access.may_manage(user))
    year = timezone.localdate().year
    people = User.objects.filter(unit_id=user.unit_id, is_active=True).select_related(
        "section", "post"
    )
    q = request.GET.get("q", "").strip()
    if q:
        people = people.filter(
            Q(full_name__icontains=q) | Q(employee_no__icontains=q) | Q(section__name__icontains=q)
        )
    section_id = request.GET.get("section")
    if section_id and section_id.isdigit():
        people = people.filter(section_id=int(section_id))
    policy = WarningPolicy.for_unit(user.unit_id)
    deducted = YearlyScore.objects.filter(person=OuterRef("pk"), year=year).values("deducted")[:1]
    base = YearlyScore.objects.filter(person=OuterRef("pk"), year=year).values("base_points")[:1]
    open_count = (
        EarlyWarning.objects.filter(person=OuterRef("pk"), target_kind=TargetKind.PERSON)
        .exclude(status=EarlyWarning.Status.CLOSED)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    people = people.annotate(
        deducted=Coalesce(Subquery(deducted, output_field=IntegerField()), Value(0)),
        base=Coalesce(Subquery(base, output_field=IntegerField()), Value(policy.base_points)),
        open_warnings=Coalesce(Subquery(open_count, output_field=IntegerField()), Value(0)),
    ).order_by("section__display_order", "employee_no", "pk")
    page = paginate(request, people, 50)
    for person in page.object_list:
        person.score = max(person.base - person.deducted, 0)
        person.level = policy.level_for(person.deducted)
    return render(
        request,
        "earlywarnings/file_index.html",
        {
            "page": page,
            "q": q,
            "year": year,
            "sections": Section.objects.filter(unit_id=user.unit_id, is_active=True),
            "section_id": section_id,
            "policy": policy,
        },
    )
