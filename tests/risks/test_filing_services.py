"""Filings through their services: creation, drafts, submission with the
pledge, grading at each step (就高不就低), the state machine, revisions."""

from datetime import date

import pytest

from campaign import approvals
from campaign.approvals import ReviewError
from campaign.models import CampaignClosed, ReviewStep
from risks import services
from risks.models import Filing, Measure, RiskPoint


def add_point(filing, category, *, self_rank=2, levels, title="审批时收受好处", **factors):
    point = RiskPoint.objects.create(
        filing=filing,
        category=category,
        title=title,
        content="在项目准入审核中可能接受申请人宴请、礼金。",
        self_grade=levels[self_rank] if self_rank else None,
        **factors,
    )
    Measure.objects.create(
        risk_point=point, line=Measure.Line.PREVENTION, text="集体研究，签字留痕"
    )
    return point


def open_step(filing):
    return services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)


def test_everyone_gets_a_filing_when_the_find_risks_stage_starts(risk_org):
    campaign = risk_org["campaign"]
    personal = Filing.objects.filter(campaign=campaign, kind=Filing.Kind.PERSONAL)
    owners = set(personal.values_list("owner_id", flat=True))
    for key in ("staff", "colleague", "head", "stranger", "supervisor", "secretary"):
        assert risk_org[key].pk in owners, key
    # Auditors and discipline inspectors outside any section are not filers.
    assert risk_org["auditor"].pk not in owners
    assert Filing.objects.filter(campaign=campaign, kind=Filing.Kind.SECTION).count() == 3
    assert Filing.objects.filter(campaign=campaign, kind=Filing.Kind.UNIT).count() == 1
    assert services.ensure_filings(campaign) == 0  # idempotent


def test_save_draft_refuses_a_stale_copy(risk_org):
    filing, staff = risk_org["filing"], risk_org["staff"]
    services.save_draft(filing.pk, staff, expected_version=0, write=lambda f: None)
    with pytest.raises(services.StaleEdit, match="修改过"):
        services.save_draft(filing.pk, staff, expected_version=0, write=lambda f: None)
    filing.refresh_from_db()
    assert filing.version == 1 and filing.started_at is not None


def test_only_the_owner_saves_a_personal_filing(risk_org):
    with pytest.raises(ReviewError):
        services.save_draft(
            risk_org["filing"].pk, risk_org["head"], expected_version=0, write=lambda f: None
        )


def test_save_draft_computes_suggestions(risk_org):
    filing = risk_org["filing"]
    point = add_point(
        filing, risk_org["category"], levels=risk_org["levels"], money=3, discretion=3, likelihood=3
    )
    services.save_draft(filing.pk, risk_org["staff"], expected_version=0, write=lambda f: None)
    point.refresh_from_db()
    assert point.suggested_grade == risk_org["levels"][1]
    assert "资金流量高" in point.suggestion_reason


def test_submit_needs_a_complete_form(risk_org):
    filing = risk_org["filing"]
    with pytest.raises(ReviewError, match="至少需要填写一个风险点"):
        services.submit_filing(filing.pk, risk_org["staff"])
    RiskPoint.objects.create(
        filing=filing, category=risk_org["category"], title="无等级", content="x"
    )
    with pytest.raises(ReviewError) as caught:
        services.submit_filing(filing.pk, risk_org["staff"])
    assert any("还没有自评等级" in m for m in caught.value.messages)
    assert any("还没有防控措施" in m for m in caught.value.messages)


def test_submitting_signs_the_pledge(risk_org):
    filing = risk_org["filing"]
    add_point(filing, risk_org["category"], levels=risk_org["levels"])
    services.submit_filing(filing.pk, risk_org["staff"], ip="10.1.2.3")
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED
    assert filing.pledge_signed_at is not None
    assert filing.pledge_ip == "10.1.2.3"
    assert "审批时收受好处" in filing.pledge_text
    # General staff pledge to their section's leadership.
    assert filing.pledge_addressee == f"科室负责人{risk_org['head']}"
    with pytest.raises(ReviewError):
        services.save_draft(
            filing.pk, risk_org["staff"], expected_version=filing.version, write=lambda f: None
        )


def test_middle_cadres_pledge_to_their_supervising_leader_and_leaders_to_the_secretary(risk_org):
    campaign = risk_org["campaign"]
    head_filing = Filing.objects.get(campaign=campaign, owner=risk_org["head"])
    assert services.pledge_addressee(head_filing) == f"分管领导{risk_org['supervisor']}"
    leader_filing = Filing.objects.get(campaign=campaign, owner=risk_org["supervisor"])
    assert services.pledge_addressee(leader_filing) == f"党委（党组）书记{risk_org['secretary']}"


def test_full_path_with_grading(risk_org):
    filing, levels = risk_org["filing"], risk_org["levels"]
    point = add_point(filing, risk_org["category"], levels=levels, self_rank=2)
    services.submit_filing(filing.pk, risk_org["staff"])

    # The section head grades higher: always free.
    approvals.approve(
        open_step(filing).pk, risk_org["head"], data={"grades": {point.pk: (levels[1], "")}}
    )
    point.refresh_from_db()
    filing.refresh_from_db()
    assert point.reviewed_grade == levels[1]
    assert filing.status == Filing.Status.IN_REVIEW

    # The leading group lowers below the reviewed grade: needs a reason.
    step = open_step(filing)
    with pytest.raises(ReviewError, match="就高不就低"):
        approvals.approve(step.pk, risk_org["office"], data={"grades": {point.pk: (levels[3], "")}})
    assert open_step(filing).pk == step.pk  # nothing changed
    approvals.approve(
        step.pk,
        risk_org["office"],
        data={"grades": {point.pk: (levels[2], "已有AB角制约，风险可控")}},
    )
    point.refresh_from_db()
    filing.refresh_from_db()
    assert point.final_grade == levels[2]
    assert point.final_reason == "已有AB角制约，风险可控"
    assert filing.status == Filing.Status.APPROVED


def test_final_step_confirms_ungraded_points(risk_org):
    filing, levels = risk_org["filing"], risk_org["levels"]
    point = add_point(filing, risk_org["category"], levels=levels, self_rank=3)
    services.submit_filing(filing.pk, risk_org["staff"])
    approvals.approve(open_step(filing).pk, risk_org["head"])
    approvals.approve(open_step(filing).pk, risk_org["office"])
    point.refresh_from_db()
    assert point.final_grade == levels[3]


def test_return_and_resubmit(risk_org):
    filing = risk_org["filing"]
    add_point(filing, risk_org["category"], levels=risk_org["levels"])
    services.submit_filing(filing.pk, risk_org["staff"])
    approvals.return_for_changes(open_step(filing).pk, risk_org["head"], reason="措施太笼统")
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RETURNED
    services.save_draft(
        filing.pk, risk_org["staff"], expected_version=filing.version, write=lambda f: None
    )
    services.submit_filing(filing.pk, risk_org["staff"])
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED
    assert open_step(filing).round == 2


def test_revision_after_approval(risk_org):
    filing = risk_org["filing"]
    add_point(filing, risk_org["category"], levels=risk_org["levels"])
    services.submit_filing(filing.pk, risk_org["staff"])
    approvals.approve(open_step(filing).pk, risk_org["head"])
    approvals.approve(open_step(filing).pk, risk_org["office"])
    with pytest.raises(ReviewError):
        services.save_draft(
            filing.pk, risk_org["staff"], expected_version=filing.version, write=lambda f: None
        )
    services.open_revision(filing.pk, risk_org["staff"])
    filing.refresh_from_db()
    assert (filing.status, filing.revision) == (Filing.Status.DRAFT, 2)
    assert filing.history.count() >= 3


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (Filing.Status.DRAFT, True),
        (Filing.Status.RETURNED, True),
        (Filing.Status.SUBMITTED, False),
        (Filing.Status.IN_REVIEW, False),
        (Filing.Status.APPROVED, False),
    ],
)
def test_state_machine_for_editing(risk_org, status, allowed):
    filing = risk_org["filing"]
    Filing.objects.filter(pk=filing.pk).update(status=status)
    if allowed:
        services.save_draft(filing.pk, risk_org["staff"], expected_version=0, write=lambda f: None)
    else:
        with pytest.raises(ReviewError):
            services.save_draft(
                filing.pk, risk_org["staff"], expected_version=0, write=lambda f: None
            )


def test_section_filing_needs_the_meeting_date_and_skips_the_heads_own_step(risk_org):
    campaign = risk_org["campaign"]
    filing = Filing.objects.get(
        campaign=campaign, kind=Filing.Kind.SECTION, section=risk_org["section"]
    )
    add_point(filing, risk_org["category"], levels=risk_org["levels"])
    with pytest.raises(ReviewError):
        services.submit_filing(filing.pk, risk_org["head"])
    services.submit_filing(filing.pk, risk_org["head"], section_meeting_on=date(2026, 5, 20))
    step = open_step(filing)
    assert step.get_role_display() == "分管领导"


def test_closed_campaign_refuses_changes(risk_org):
    campaign = risk_org["campaign"]
    campaign.status = campaign.Status.CLOSED
    campaign.save()
    with pytest.raises(CampaignClosed):
        services.save_draft(
            risk_org["filing"].pk, risk_org["staff"], expected_version=0, write=lambda f: None
        )
