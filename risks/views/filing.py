"""The page of one filing: its risk points with their grades, measures and
evidence, the pledge, the timeline and the field history."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render

from accounts.roles import standing
from campaign import approvals

from .. import services, uploads
from ..access import get_filing, may_edit
from ..models import Evidence, Factor, Filing, Measure, RiskPoint
from .common import header_context, url_of
from .history import change_log, timeline

FACTOR_FIELDS = [RiskPoint._meta.get_field(factor) for factor in Factor.values]


def _points_for_page(filing):
    evidence = Evidence.objects.select_related("uploaded_by").order_by("uploaded_at", "pk")
    measures = (
        Measure.objects.select_related("owner")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .order_by("line", "position", "pk")
    )
    return list(
        filing.risk_points.select_related(
            "category",
            "power",
            "power_step",
            "suggested_grade",
            "self_grade",
            "reviewed_grade",
            "final_grade",
            "reviewed_by",
            "final_by",
        )
        .prefetch_related(Prefetch("measures", queryset=measures))
        .order_by("position", "pk")
    )


def filing(request, pk):
    filing = get_filing(request.user, pk)
    user = request.user
    points = _points_for_page(filing)
    editor = may_edit(user, filing)
    closed = filing.campaign.is_closed
    step = approvals.open_step_for(filing)
    reviewer = step is not None and approvals.may_act(user, step)
    rows = []
    for number, point in enumerate(points, start=1):
        grouped = services.measures_of(point)
        rows.append(
            {
                "number": number,
                "point": point,
                "lines": [(line, label, grouped[line]) for line, label in Measure.Line.choices],
                "factors": [
                    (
                        field.verbose_name,
                        getattr(point, f"get_{field.name}_display")()
                        if getattr(point, field.name)
                        else "",
                        getattr(point, field.name),
                    )
                    for field in FACTOR_FIELDS
                ],
                "power_url": url_of(point.power) if point.power_id else "",
            }
        )
    page = Paginator(change_log(filing), 20).get_page(request.GET.get("changes"))
    return render(
        request,
        "risks/filing.html",
        {
            **header_context(filing),
            "rows": rows,
            "timeline": timeline(filing),
            "open_step": step,
            "changes": page,
            "changes_open": "changes" in request.GET,
            "may_edit": editor and filing.is_editable and not closed,
            "may_revise": editor and filing.status == Filing.Status.APPROVED and not closed,
            "may_review": reviewer and not closed,
            "may_upload_all": editor and not closed,
            "closed": closed,
            "user_id": user.pk,
            "evidence_accept": uploads.ACCEPT,
            "upload_limit": settings.UPLOAD_MAX_BYTES,
            "sees_section": standing(user).oversees(filing.section_id)
            if filing.section_id
            else False,
        },
    )
