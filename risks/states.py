"""Filing states as the oversight pages, panels and reminders show them.

A filing's stored status says little about a draft nobody has opened yet,
so the oversight pages split "draft" in two: not started (never saved) and
drafting. A person who joined after the find-risks stage started and has no
filing yet counts as not started too.

Everything here runs a fixed number of queries for any number of filings.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaign.models import ReviewStep

from .models import Filing

S = Filing.Status


@dataclass(frozen=True)
class State:
    key: str
    label: str
    colour: str  # chart colour
    badge: str  # Bootstrap badge classes
    query: Q


STATES = [
    State(
        "not_started",
        _("未开始"),
        "#9ca3af",
        "text-bg-secondary",
        Q(status=S.DRAFT, started_at__isnull=True),
    ),
    State(
        "drafting",
        _("填写中"),
        "#60a5fa",
        "text-bg-info",
        Q(status=S.DRAFT, started_at__isnull=False),
    ),
    State("submitted", _("已提交待审"), "#a78bfa", "text-bg-primary", Q(status=S.SUBMITTED)),
    State("in_review", _("审核中"), "#f59e0b", "text-bg-warning", Q(status=S.IN_REVIEW)),
    State("returned", _("已退回"), "#dc2626", "text-bg-danger", Q(status=S.RETURNED)),
    State("approved", _("已审定"), "#16a34a", "text-bg-success", Q(status=S.APPROVED)),
]
BY_KEY = {state.key: state for state in STATES}
# Not yet handed in: the people a reminder goes to.
BEHIND = ("not_started", "drafting", "returned")
BEHIND_STATUSES = (S.DRAFT, S.RETURNED)
# Handed in (whatever the reviewers do with it next).
HANDED_IN_STATUSES = (S.SUBMITTED, S.IN_REVIEW, S.APPROVED)


def state_of(filing) -> State:
    """The state of one filing; ``None`` (no filing at all) is not started."""
    if filing is None:
        return BY_KEY["not_started"]
    if filing.status == S.DRAFT:
        return BY_KEY["drafting" if filing.started_at else "not_started"]
    return BY_KEY[filing.status]


def query_for(key) -> Q:
    """The filter for one state key, ``behind`` (not handed in) or
    ``unapproved`` (anything short of approved)."""
    if key == "behind":
        return Q(status__in=BEHIND_STATUSES)
    if key == "unapproved":
        return ~Q(status=S.APPROVED)
    return BY_KEY[key].query


def counts(rows) -> dict:
    """Zeroed counts for every state, filled from an iterable of state keys."""
    result = {state.key: 0 for state in STATES}
    for key in rows:
        result[key] += 1
    return result


def _steps(filing_ids, status):
    return ReviewStep.objects.filter(
        status=status,
        review__subject_type__app_label="risks",
        review__subject_type__model="filing",
        review__subject_id__in=list(filing_ids),
    )


def open_steps(filings) -> dict:
    """``filing id → open review step`` (with its assignees) for the filings
    that wait at a step. Two queries."""
    ids = [f.pk for f in filings if f is not None and f.status in (S.SUBMITTED, S.IN_REVIEW)]
    if not ids:
        return {}
    steps = (
        _steps(ids, ReviewStep.Status.OPEN)
        .select_related("review", "delegate")
        .prefetch_related("assignees")
    )
    return {step.review.subject_id: step for step in steps}


def return_reasons(filings) -> dict:
    """``filing id → the step that returned it last`` for returned filings. One query."""
    ids = [f.pk for f in filings if f is not None and f.status == S.RETURNED]
    if not ids:
        return {}
    steps = (
        _steps(ids, ReviewStep.Status.RETURNED)
        .select_related("review", "decided_by")
        .order_by("decided_at", "pk")
    )
    # Later returns overwrite earlier ones.
    return {step.review.subject_id: step for step in steps}


def with_whom(step) -> str:
    """The people a waiting step sits with, for a list cell."""
    if step is None:
        return ""
    people = [str(p) for p in step.assignees.all()]
    if step.delegate_id and str(step.delegate) not in people:
        people.append(_("%(name)s（受托）") % {"name": step.delegate})
    return "、".join(people)
