"""待我审核: the review steps a person may act on, and for the office every
open step of its campaigns with a form to delegate it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User

from .. import access, approvals
from ..forms.common import group_people
from ..forms.reviews import DelegateForm
from ..models import Campaign, ReviewStep
from .common import back, refuse

PAGE_SIZE = 20


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
    mine = (
        approvals.steps_waiting_for(user)
        .prefetch_related("review__subject")
        .order_by("opened_at", "pk")
    )
    mine_page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": mine_page, "rows": _rows(mine_page.object_list)}

    administered = access.administered_campaigns(user).exclude(status=Campaign.Status.CLOSED)
    if administered.exists():
        steps = (
            ReviewStep.objects.filter(
                status=ReviewStep.Status.OPEN, review__campaign__in=administered.values("pk")
            )
            .select_related(
                "review", "review__campaign", "review__filer", "review__section", "delegate"
            )
            .prefetch_related("assignees", "review__subject")
            .order_by("opened_at", "pk")
        )
        office_page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("opage"))
        office_rows = _rows(office_page.object_list)
        units = {row["step"].review.campaign.unit_id for row in office_rows}
        people = (
            User.objects.filter(unit_id__in=units, is_active=True, is_superuser=False)
            .select_related("section")
            .order_by(F("section__display_order").asc(nulls_first=True), "employee_no", "pk")
        )
        by_unit = {}
        for person in people:
            by_unit.setdefault(person.unit_id, []).append(person)
        grouped = {unit: group_people(members) for unit, members in by_unit.items()}
        for row in office_rows:
            row["candidates"] = grouped.get(row["step"].review.campaign.unit_id, [])
        context.update(office_page=office_page, office_rows=office_rows)
    return render(request, "campaign/reviews.html", context)


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
