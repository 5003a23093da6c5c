"""The campaign's dashboard (工作台): the plan as a chart, the milestones,
and the panels other apps register in :mod:`campaign.dashboard`."""

from django.utils.translation import gettext as _

from .. import access, timeline
from ..dashboard import panels_for
from ..models import Stage
from .common import load, render_campaign


def dashboard(request, pk):
    # Every panel asks whether this person may see it: answer once.
    with access.remembering():
        return _dashboard(request, pk)


def _dashboard(request, pk):
    campaign = load(request, pk, watch=True)
    stages = list(campaign.stages.order_by("position").prefetch_related("milestones__section"))
    plan = timeline.build(stages)
    startable, active = timeline.stage_actions(stages)
    current = next((row for row in plan.stages if row.is_current), None)
    days_left = None
    if current is not None and current.stage.status == Stage.Status.ACTIVE:
        days_left = (current.stage.due_on - plan.today).days
    attention = [row for row in plan.milestones if row.state in ("overdue", "due_soon")]
    return render_campaign(
        request,
        "campaign/dashboard.html",
        campaign,
        "dashboard",
        {
            "plan": plan,
            "chart": plan.chart_data(),
            "counts": plan.counts(),
            "current": current,
            "days_left": days_left,
            "days_overdue": -days_left if days_left is not None and days_left < 0 else None,
            "startable": startable,
            "active": active,
            "attention": attention,
            "panels": panels_for(campaign, request.user),
            "chart_title": _("工作进度"),
        },
    )
