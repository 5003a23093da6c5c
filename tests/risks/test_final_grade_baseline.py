"""就高不就低 across two steps that both set the final grade (F10): when the
party committee reviews after the leading group, the grade the leading group
set is part of the baseline, so lowering it needs a reason — in the service
and on the review page."""

import pytest

from campaign import approvals
from campaign.approvals import ReviewError
from campaign.models import ChainStep, ChainTemplate, FilerRank, ReviewStep, StepRole, Subject
from risks import services
from tests.risks.filing_helpers import make_point
from tests.risks.test_review_path import review, submit


def open_step(filing):
    return services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)


@pytest.fixture
def party_committee_last(risk_org):
    """General staff's chain: section head → leading group → party committee."""
    template = ChainTemplate.objects.get(
        campaign=risk_org["campaign"], subject=Subject.PERSONAL, filer_rank=FilerRank.GENERAL
    )
    ChainStep.objects.create(
        template=template, position=template.steps.count() + 1, role=StepRole.PARTY_COMMITTEE
    )
    return risk_org


def test_baseline_counts_the_final_grade_only_at_a_final_step(risk_org):
    levels = risk_org["levels"]
    point = make_point(risk_org["filing"], risk_org["category"], levels[3])
    point.final_grade = levels[1]
    assert services.baseline(point) == levels[3]
    assert services.baseline(point, final=True) == levels[1]


def test_lowering_the_leading_groups_final_grade_needs_a_reason(party_committee_last):
    org = party_committee_last
    filing, levels = org["filing"], org["levels"]
    point = make_point(filing, org["category"], levels[3])  # self grade 低
    services.submit_filing(filing.pk, org["staff"])
    approvals.approve(open_step(filing).pk, org["head"])
    # The leading group raises the grade to 高: free.
    approvals.approve(
        open_step(filing).pk, org["office"], data={"grades": {point.pk: (levels[1], "")}}
    )
    point.refresh_from_db()
    assert point.final_grade == levels[1]

    step = open_step(filing)
    assert step.role == StepRole.PARTY_COMMITTEE
    committee = step.assignees.first()
    with pytest.raises(ReviewError, match="就高不就低"):
        approvals.approve(
            step.pk,
            committee,
            meeting_date="2026-06-10",
            data={"grades": {point.pk: (levels[2], "")}},
        )
    assert open_step(filing).pk == step.pk
    approvals.approve(
        step.pk,
        committee,
        meeting_date="2026-06-10",
        data={"grades": {point.pk: (levels[2], "党组会议研究，已有制度制约")}},
    )
    point.refresh_from_db()
    assert (point.final_grade, point.final_reason) == (levels[2], "党组会议研究，已有制度制约")


def test_the_review_page_asks_the_party_committee_for_the_reason(party_committee_last, client):
    org = party_committee_last
    filing, levels = org["filing"], org["levels"]
    point = make_point(filing, org["category"], levels[3])
    submit(client, org["staff"], filing)
    review(client, org["head"], filing)
    review(client, org["office"], filing, grades={point: levels[1]})
    assert open_step(filing).role == StepRole.PARTY_COMMITTEE

    page, response = review(
        client, org["secretary"], filing, grades={point: levels[2]}, meeting_date="2026-06-10"
    )
    assert f'data-baseline-rank="1" id="point-{point.pk}"' in page.content.decode()
    assert response.status_code == 200
    answer = response.content.decode()
    assert "就高不就低" in answer
    reason_block = answer[answer.index(f'id="id_reason_{point.pk}"') :][:400]
    assert "须说明理由" in reason_block
    point.refresh_from_db()
    assert point.final_grade == levels[1]  # unchanged
