"""Driving filings into each state through the real services, for the
oversight tests (section page, register, panels, hooks)."""

from campaign import approvals
from campaign.models import ReviewStep
from risks import services
from risks.models import Filing, Measure, RiskPoint


def add_point(
    filing,
    *,
    category=None,
    grade=None,
    title="审核中收受好处",
    content="可能接受宴请、礼金。",
    lines=3,
    **fields,
):
    """A risk point with a measure in each of ``lines`` lines of defence."""
    campaign = filing.campaign
    category = category or campaign.risk_categories.first()
    grade = grade or campaign.grade_levels.get(rank=2)
    point = RiskPoint.objects.create(
        filing=filing,
        category=category,
        title=title,
        content=content,
        self_grade=grade,
        **fields,
    )
    for line in Measure.Line.values[:lines]:
        Measure.objects.create(risk_point=point, line=line, text=f"{line}措施", owner=filing.owner)
    return point


def open_step(filing):
    return services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)


def draft(filing, **point):
    filing.refresh_from_db()

    def write(f):
        add_point(f, **point)

    services.save_draft(filing.pk, filing.owner, expected_version=filing.version, write=write)
    filing.refresh_from_db()
    return filing


def submit(filing, **point):
    draft(filing, **point)
    services.submit_filing(filing.pk, filing.owner)
    filing.refresh_from_db()
    return filing


def bring_to(filing, state, org, **point):
    """Move a general staff member's personal filing to ``state``:
    not_started, drafting, submitted, in_review, returned or approved."""
    if state == "not_started":
        return filing
    if state == "drafting":
        return draft(filing, **point)
    submit(filing, **point)
    if state == "returned":
        approvals.return_for_changes(open_step(filing).pk, org["head"], reason="请补充措施")
    elif state in ("in_review", "approved"):
        approvals.approve(open_step(filing).pk, org["head"])
        if state == "approved":
            approvals.approve(open_step(filing).pk, org["office"])
    filing.refresh_from_db()
    assert (
        filing.status
        == {
            "submitted": Filing.Status.SUBMITTED,
            "in_review": Filing.Status.IN_REVIEW,
            "returned": Filing.Status.RETURNED,
            "approved": Filing.Status.APPROVED,
        }[state]
    ), filing.status
    return filing
