"""The campaign's plan as the pages show it: each stage and milestone with
its state on a given day, where it sits on the time bar, and the same data
for the dashboard's chart. Pure computation over already-fetched rows."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Milestone, Stage

DUE_SOON_DAYS = 7


@dataclass
class MilestoneRow:
    milestone: Milestone
    state: str  # done / overdue / due_soon / upcoming

    @property
    def state_label(self):
        return MILESTONE_STATES[self.state][0]

    @property
    def badge(self):
        return MILESTONE_STATES[self.state][1]


@dataclass
class StageRow:
    stage: Stage
    overdue: bool
    is_current: bool
    left: float = 0.0
    width: float = 0.0
    contains_today: bool = False
    today_before: bool = False  # the "today" line falls between the previous stage and this one
    milestones: list[MilestoneRow] = field(default_factory=list)

    @property
    def badge(self):
        if self.overdue:
            return "text-bg-danger"
        return {
            Stage.Status.DONE: "text-bg-success",
            Stage.Status.ACTIVE: "text-bg-primary",
        }.get(self.stage.status, "text-bg-light border")


MILESTONE_STATES = {
    "done": (gettext_lazy("已完成"), "text-bg-success"),
    "overdue": (gettext_lazy("已逾期"), "text-bg-danger"),
    "due_soon": (gettext_lazy("即将到期"), "text-bg-warning"),
    "upcoming": (gettext_lazy("未到期"), "text-bg-light border"),
}


def milestone_state(milestone, today) -> str:
    if milestone.done:
        return "done"
    if milestone.due_on < today:
        return "overdue"
    if milestone.due_on <= today + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return "upcoming"


@dataclass
class Timeline:
    stages: list[StageRow]
    today: date
    first: date | None
    last: date | None
    today_left: float | None  # percent along the bar, None if outside the plan
    today_after_all: bool = False

    @property
    def milestones(self):
        return [row for stage in self.stages for row in stage.milestones]

    def counts(self):
        rows = self.milestones
        return {
            "total": len(rows),
            "done": sum(r.state == "done" for r in rows),
            "overdue": sum(r.state == "overdue" for r in rows),
            "due_soon": sum(r.state == "due_soon" for r in rows),
        }

    def chart_data(self):
        """What the ECharts timeline needs, as plain JSON-able values."""
        return {
            "today": self.today.isoformat(),
            "labels": {
                "today": str(_("今天")),
                "overdue": str(_("逾期")),
                "done": str(_("已完成")),
                "active": str(_("进行中")),
                "pending": str(_("未开始")),
                "milestone": str(_("时间节点")),
                "due": str(_("完成时限")),
            },
            "stages": [
                {
                    "name": str(row.stage),
                    "start": row.stage.starts_on.isoformat(),
                    "end": row.stage.due_on.isoformat(),
                    "status": row.stage.status,
                    "statusLabel": str(row.stage.get_status_display()),
                    "overdue": row.overdue,
                }
                for row in self.stages
            ],
            "milestones": [
                {
                    "name": m.milestone.title,
                    "stage": str(row.stage),
                    "date": m.milestone.due_on.isoformat(),
                    "state": m.state,
                    "stateLabel": str(m.state_label),
                }
                for row in self.stages
                for m in row.milestones
            ],
        }


def stage_actions(stages):
    """(the stage the office may start next, the stage it may complete)."""
    active = next((s for s in stages if s.status == Stage.Status.ACTIVE), None)
    if active is not None:
        return None, active
    return next((s for s in stages if s.status == Stage.Status.PENDING), None), None


def build(stages, milestones=None, today=None) -> Timeline:
    """``stages`` in order; ``milestones`` (any order) or each stage's prefetched ones."""
    today = today or timezone.localdate()
    stages = list(stages)
    if milestones is None:
        milestones = [m for stage in stages for m in stage.milestones.all()]
    by_stage = {}
    for milestone in sorted(milestones, key=lambda m: (m.due_on, m.display_order, m.pk)):
        by_stage.setdefault(milestone.stage_id, []).append(
            MilestoneRow(milestone, milestone_state(milestone, today))
        )
    current = next((s for s in stages if s.status == Stage.Status.ACTIVE), None) or next(
        (s for s in stages if s.status == Stage.Status.PENDING), None
    )
    rows = [
        StageRow(
            stage=stage,
            overdue=stage.is_overdue(today),
            is_current=stage is current,
            milestones=by_stage.get(stage.pk, []),
        )
        for stage in stages
    ]
    first = min((s.starts_on for s in stages), default=None)
    last = max((s.due_on for s in stages), default=None)
    today_left = None
    if first and last:
        span = (last - first).days + 1
        for row in rows:
            row.left = round((row.stage.starts_on - first).days / span * 100, 2)
            row.width = max(
                round(((row.stage.due_on - row.stage.starts_on).days + 1) / span * 100, 2), 0.8
            )
        if first <= today <= last:
            today_left = round(((today - first).days + 0.5) / span * 100, 2)
    for row in rows:
        row.contains_today = row.stage.starts_on <= today <= row.stage.due_on
    if not any(row.contains_today for row in rows):
        following = next((row for row in rows if row.stage.starts_on > today), None)
        if following is not None:
            following.today_before = True
    return Timeline(
        stages=rows,
        today=today,
        first=first,
        last=last,
        today_left=today_left,
        today_after_all=bool(last and today > last),
    )
