"""待我审核: the review steps a person may act on, and for the office every
open step of its campaigns with a form to delegate it."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import render
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User

from .. import access, approvals
from ..forms.common import group_people
from ..forms.reviews import DelegateForm
from ..models import Campaign, LeadingGroupMember, ReviewStep
from .common import back, refuse

PAGE_SIZE = 20
# Above this many people a delegation list offers, for each step, the people
# of its section, the unit's leaders and the campaign's leading group (a
# city bureau has thousands: a full list per row would make the page
# megabytes long). The form still accepts anyone active in the unit.
DELEGATE_CHOICES_LIMIT = 300


def _rows(steps):
    rows = []
    for step in steps:
        subject = step.review.subject
        if subject is None:
            title, url = str(step.review), ""
        else:
            title = subject.review_title() if hasattr(subject, "review_title") else str(subject)
            url = subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""
        rows.append({"step": step, "title": title, "url": url})
    return rows


def reviews(request):
    user = request.user
    mine = approvals.steps_waiting_for(user).order_by("opened_at", "pk")
    mine_page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": mine_page, "rows": _rows(approvals.with_subjects(mine_page.object_list))}

    administered = access.administered_campaigns(user).exclude(status=Campaign.Status.CLOSED)
    if administered.exists():
        steps = (
            ReviewStep.objects.filter(
                status=ReviewStep.Status.OPEN, review__campaign__in=administered.values("pk")
            )
            .select_related(
                "review", "review__campaign", "review__filer", "review__section", "delegate"
            )
            .prefetch_related("assignees")
            .order_by("opened_at", "pk")
        )
        office_page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("opage"))
        office_rows = _rows(approvals.with_subjects(office_page.object_list))
        limited = _add_candidates(office_rows)
        context.update(office_page=office_page, office_rows=office_rows, limited=limited)
    return render(request, "campaign/reviews.html", context)


def _add_candidates(rows) -> bool:
    """Each row's ``candidates`` for delegation, grouped by section, without
    the filer. True when a large unit's lists hold only the people near each
    step (see ``DELEGATE_CHOICES_LIMIT``)."""
    reviews = [row["step"].review for row in rows]
    units = {review.campaign.unit_id for review in reviews}
    people = User.objects.filter(unit_id__in=units, is_active=True, is_superuser=False)
    sizes = dict(people.values_list("unit_id").annotate(n=Count("pk")).order_by())
    large = {unit for unit, n in sizes.items() if n > DELEGATE_CHOICES_LIMIT}
    seats = defaultdict(set)
    if large:
        campaigns = {review.campaign_id for review in reviews}
        for campaign_id, person_id in LeadingGroupMember.objects.filter(
            campaign_id__in=campaigns
        ).values_list("campaign_id", "person_id"):
            seats[campaign_id].add(person_id)
        near = (
            Q(rank=User.Rank.LEADER)
            | Q(pk__in={pk for members in seats.values() for pk in members})
            | Q(section_id__in={review.section_id for review in reviews if review.section_id})
        )
        people = people.filter(~Q(unit_id__in=large) | near)
    people = list(
        people.select_related("section").order_by(
            F("section__display_order").asc(nulls_first=True), "employee_no", "pk"
        )
    )
    # Who may appear in a row: everyone of a small unit; in a large one the
    # leaders and seats (per campaign) and the row's section.
    order = {person.pk: n for n, person in enumerate(people)}
    everyone, by_section = defaultdict(list), defaultdict(list)
    for person in people:
        everyone[person.unit_id].append(person)
        by_section[person.section_id].append(person)
    common = {}
    for review in reviews:
        key = (review.campaign.unit_id, review.campaign_id)
        if key[0] in large and key not in common:
            members = seats[review.campaign_id]
            common[key] = [
                person
                for person in everyone[key[0]]
                if person.rank == User.Rank.LEADER or person.pk in members
            ]
    for row, review in zip(rows, reviews, strict=True):
        unit = review.campaign.unit_id
        if unit in large:
            found = {p.pk: p for p in common[(unit, review.campaign_id)]}
            if review.section_id:
                found.update((p.pk, p) for p in by_section[review.section_id] if p.unit_id == unit)
            chosen = sorted(found.values(), key=lambda p: order[p.pk])
        else:
            chosen = everyone[unit]
        chosen = [person for person in chosen if person.pk != review.filer_id]
        row["candidates"] = group_people(chosen)
        # Rendered here: a template loop per option costs a millisecond per
        # thirty options, and the page holds a list per row.
        row["options"] = format_html_join(
            "",
            '<optgroup label="{}">{}</optgroup>',
            (
                (
                    group,
                    format_html_join(
                        "", '<option value="{}">{}</option>', ((p.pk, p) for p in people)
                    ),
                )
                for group, people in row["candidates"]
            ),
        )
    return bool(large)


@require_POST
def delegate(request, step_pk):
    step = ReviewStep.objects.select_related("review__campaign__unit").filter(pk=step_pk).first()
    if step is None:
        raise Http404
    campaign = step.review.campaign
    if not access.visible_campaigns(request.user).filter(pk=campaign.pk).exists():
        raise Http404
    if not access.may_administer(request.user, campaign):
        raise PermissionDenied
    form = DelegateForm(request.POST, unit=campaign.unit)
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            approvals.delegate(step.pk, person, request.user)
        except (ValidationError, PermissionDenied) as exc:
            refuse(request, exc)
        else:
            messages.success(
                request,
                _("已将“%(role)s”环节委托给 %(person)s。")
                % {"role": step.get_role_display(), "person": person},
            )
    else:
        messages.error(request, _("请选择本单位在职的受托人。"))
    return back(request, "campaign:reviews")
