"""Reviewing filings: the page of one open review step, and the queue of
filing steps waiting for a person.

Only the open step's reviewers (or its delegate) may act: others who may see
the filing get a 403, everybody else a 404.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign import approvals
from campaign.models import GradeLevel, ReviewStep

from .. import services
from ..access import get_filing
from ..forms import ReviewForm
from ..models import Filing, Measure
from .common import header_context, locked_page, messages_of
from .filing import FACTOR_FIELDS
from .history import timeline

MEASURES = Prefetch("measures", queryset=Measure.objects.select_related("owner"))


def _points(filing, *, measures=True):
    points = filing.risk_points.select_related(
        "category",
        "power",
        "power_step",
        "suggested_grade",
        "self_grade",
        "reviewed_grade",
        "final_grade",
        "reviewed_by",
    ).order_by("position", "pk")
    return list(points.prefetch_related(MEASURES) if measures else points)


def _decided_by(user, filing):
    """The step of the filing's current round this person decided, if any."""
    return (
        ReviewStep.objects.filter(
            review__subject_type=ContentType.objects.get_for_model(Filing),
            review__subject_id=filing.pk,
            decided_by=user,
        )
        .filter(round=F("review__round"))
        .order_by("-decided_at")
        .first()
    )


def review(request, pk):
    user = request.user
    filing = get_filing(user, pk)
    step = approvals.open_step_for(filing)
    if step is None or not approvals.may_act(user, step):
        decided = _decided_by(user, filing) if request.method == "POST" else None
        if decided is None:
            raise PermissionDenied
        # A second click on 同意 or 退回 that arrives after the first one went
        # through: say so, as the engine does when both clicks race.
        messages.info(
            request,
            _("“%(title)s”的%(role)s环节已由您于 %(when)s 处理（%(what)s），无需重复操作。")
            % {
                "title": filing,
                "role": decided.get_role_display(),
                "when": timezone.localtime(decided.decided_at).strftime("%Y-%m-%d %H:%M"),
                "what": decided.get_status_display(),
            },
        )
        return redirect(filing)
    if filing.campaign.is_closed:
        return locked_page(request, filing, _("本次活动已结束并锁定，不能再审核。"))
    # A decision only needs the grades; the measures are for showing the page.
    points = _points(filing, measures=request.method != "POST")
    levels = list(GradeLevel.objects.filter(campaign_id=filing.campaign_id).order_by("rank"))
    # 就高不就低: at a step setting the final grade, the final grade set by
    # an earlier final step counts too.
    baselines = {point.pk: services.baseline(point, final=step.is_final) for point in points}
    action = request.POST.get("action") if request.method == "POST" else None
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        points=points,
        levels=levels,
        step=step,
        baselines=baselines,
        action=action,
    )
    problems = []
    if request.method == "POST":
        if action not in (ReviewForm.APPROVE, ReviewForm.RETURN):
            problems = [_("请选择“同意”或“退回”。")]
        elif form.is_valid():
            data = form.cleaned_data
            try:
                if action == ReviewForm.RETURN:
                    approvals.return_for_changes(step.pk, user, reason=data["opinion"])
                else:
                    approvals.approve(
                        step.pk,
                        user,
                        opinion=data["opinion"],
                        meeting_date=data.get("meeting_date"),
                        data={"grades": form.grades()},
                    )
            except (ValidationError, PermissionDenied) as exc:
                problems = messages_of(exc)
                if action == ReviewForm.APPROVE:
                    form.mark_missing_reasons()
            else:
                if action == ReviewForm.RETURN:
                    messages.success(
                        request, _("已退回“%(title)s”，填报人会收到退回理由。") % {"title": filing}
                    )
                else:
                    messages.success(request, _("已同意“%(title)s”。") % {"title": filing})
                return redirect("risks:reviews")
        else:
            problems = [_("没有提交：请按下方红色提示修改。")]
    if request.method == "POST":
        prefetch_related_objects(points, MEASURES)
    round_steps = list(step.review.steps.filter(round=step.round).order_by("position"))
    rows = form.rows()
    for row in rows:
        point = row["point"]
        grouped = services.measures_of(point)
        row["lines"] = [(line, label, grouped[line]) for line, label in Measure.Line.choices]
        row["factors"] = [
            (field.verbose_name, getattr(point, f"get_{field.name}_display")())
            for field in FACTOR_FIELDS
            if getattr(point, field.name)
        ]
    return render(
        request,
        "risks/review.html",
        {
            **header_context(filing),
            "form": form,
            "rows": rows,
            "step": step,
            "round_steps": round_steps,
            "step_total": len(round_steps),
            "problems": problems,
            "timeline": timeline(filing),
            "level_ranks": {str(level.pk): level.rank for level in levels},
        },
    )


def queue(request):
    """Open filing steps this person may act on, oldest first."""
    content_type = ContentType.objects.get_for_model(Filing)
    steps = (
        approvals.steps_waiting_for(request.user)
        .filter(review__subject_type=content_type)
        .order_by("opened_at", "pk")
    )
    page = Paginator(steps, 30).get_page(request.GET.get("page"))
    waiting = list(page.object_list)
    filings = {
        filing.pk: filing
        for filing in Filing.objects.filter(pk__in=[s.review.subject_id for s in waiting])
        .select_related("campaign", "owner", "section", "post")
        .annotate(point_count=Count("risk_points"))
    }
    totals = {
        (row["review_id"], row["round"]): row["n"]
        for row in ReviewStep.objects.filter(review_id__in={s.review_id for s in waiting})
        .values("review_id", "round")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rows = [
        {
            "step": step,
            "filing": filings.get(step.review.subject_id),
            "total": totals.get((step.review_id, step.round)),
            "delegated": step.delegate_id == request.user.pk,
        }
        for step in waiting
    ]
    return render(request, "risks/review_queue.html", {"page": page, "rows": rows})
