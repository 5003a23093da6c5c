"""The approval-chain engine, through its services."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from accounts.models import Notification, User
from accounts.roles import Role
from campaign import approvals
from campaign.approvals import ReviewError
from campaign.models import (
    CampaignClosed,
    FilerRank,
    LeadingGroupMember,
    Review,
    ReviewStep,
    StepRole,
    Subject,
)
from campaign.services import save_leading_group_member
from tests.factories import CampaignFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    """A campaign, a section with head and supervising leader, and its staff."""
    campaign = CampaignFactory()
    unit = campaign.unit
    office = campaign.leading_group.get(role=LeadingGroupMember.Role.OFFICE_HEAD).person
    leader = UserFactory(section=None, unit=unit, rank=User.Rank.LEADER)
    save_leading_group_member(campaign, office, person=leader, role=LeadingGroupMember.Role.LEADER)
    head = UserFactory(rank=User.Rank.MIDDLE, section=SectionFactory(unit=unit))
    section = head.section
    section.head = head
    section.save()
    supervisor = UserFactory(section=None, unit=unit, rank=User.Rank.LEADER)
    section.supervising_leaders.add(supervisor)
    staff = UserFactory(section=section)
    committee = UserFactory(
        section=None, unit=unit, rank=User.Rank.LEADER, roles=[Role.PARTY_COMMITTEE]
    )
    return {
        "campaign": campaign,
        "office": office,
        "leader": leader,
        "head": head,
        "section": section,
        "supervisor": supervisor,
        "staff": staff,
        "committee": committee,
    }


def submit_personal(org, filer=None, rank=FilerRank.GENERAL, subject=None):
    filer = filer or org["staff"]
    return approvals.submit(
        subject or filer.section,
        campaign=org["campaign"],
        subject_kind=Subject.PERSONAL,
        filer=filer,
        section=filer.section,
        by=filer,
        filer_rank=rank,
    )


def open_step(review):
    return review.steps.get(status=ReviewStep.Status.OPEN)


def test_approve_through_the_whole_chain(org):
    review = submit_personal(org)
    step = open_step(review)
    assert step.role == StepRole.SECTION_HEAD
    assert list(step.assignees.all()) == [org["head"]]
    assert Notification.objects.filter(
        recipient=org["head"], kind=Notification.Kind.REVIEW
    ).exists()

    approvals.approve(step.pk, org["head"], opinion="同意")
    review.refresh_from_db()
    step = open_step(review)
    assert step.role == StepRole.LEADING_GROUP
    # The leading group's leader and the office record its decision.
    assert set(step.assignees.all()) == {org["leader"], org["office"]}

    approvals.approve(step.pk, org["office"], opinion="领导小组审定")
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert review.finished_at is not None
    assert Notification.objects.filter(
        recipient=org["staff"], kind=Notification.Kind.DECISION
    ).exists()
    assert [s.status for s in approvals.history(org["section"])] == ["approved", "approved"]


def test_middle_cadre_goes_to_the_supervising_leader(org):
    review = submit_personal(org, filer=org["head"], rank=FilerRank.MIDDLE)
    assert open_step(review).role == StepRole.SUPERVISING_LEADER
    assert list(open_step(review).assignees.all()) == [org["supervisor"]]


def test_return_needs_a_reason_and_resubmission_restarts(org):
    review = submit_personal(org)
    step = open_step(review)
    with pytest.raises(ReviewError, match="退回理由"):
        approvals.return_for_changes(step.pk, org["head"], reason="  ")

    approvals.return_for_changes(step.pk, org["head"], reason="风险点表述不具体")
    review.refresh_from_db()
    assert review.status == Review.Status.RETURNED
    # The step that was never reached is closed for this round.
    assert review.steps.get(round=1, position=2).status == ReviewStep.Status.SKIPPED
    assert Notification.objects.filter(recipient=org["staff"], title__contains="退回").exists()

    review = submit_personal(org)
    assert review.round == 2
    step = open_step(review)
    assert (step.round, step.position) == (2, 1)
    # Both rounds stay on record.
    assert review.steps.count() == 4
    assert approvals.history(org["section"])[0].opinion == "风险点表述不具体"


def test_cannot_submit_twice_while_in_review(org):
    submit_personal(org)
    with pytest.raises(ReviewError, match="审核中"):
        submit_personal(org)


def test_party_committee_step_records_the_meeting_date(org):
    leader = org["leader"]
    review = submit_personal(org, filer=leader, rank=FilerRank.LEADER, subject=org["campaign"])
    step = open_step(review)
    assert step.role == StepRole.PARTY_COMMITTEE
    with pytest.raises(ReviewError, match="会议日期"):
        approvals.approve(step.pk, org["committee"])
    approvals.approve(
        step.pk, org["committee"], opinion="党组会议通过", meeting_date=date(2026, 6, 20)
    )
    step.refresh_from_db()
    assert step.meeting_date == date(2026, 6, 20)
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED


def test_a_filer_never_reviews_their_own_form(org):
    """The section head filing the section's form skips the section-head step."""
    review = approvals.submit(
        org["section"],
        campaign=org["campaign"],
        subject_kind=Subject.SECTION,
        filer=org["head"],
        section=org["section"],
        by=org["head"],
    )
    first = review.steps.get(position=1)
    assert first.status == ReviewStep.Status.SKIPPED
    assert "本人" in first.note
    assert open_step(review).role == StepRole.SUPERVISING_LEADER


def test_a_step_nobody_holds_is_skipped_with_a_note(org):
    org["section"].supervising_leaders.clear()
    review = submit_personal(org, filer=org["head"], rank=FilerRank.MIDDLE)
    first = review.steps.get(position=1)
    assert first.status == ReviewStep.Status.SKIPPED
    assert "无人" in first.note
    assert open_step(review).role == StepRole.LEADING_GROUP


def test_only_assignees_may_act(org):
    review = submit_personal(org)
    step = open_step(review)
    for outsider in (org["staff"], org["supervisor"], UserFactory(is_superuser=True)):
        with pytest.raises(PermissionDenied):
            approvals.approve(step.pk, outsider)


def test_a_decided_step_says_who_decided(org):
    review = submit_personal(org)
    step = open_step(review)
    approvals.approve(step.pk, org["head"])
    with pytest.raises(ReviewError, match=org["head"].full_name):
        approvals.return_for_changes(step.pk, org["head"], reason="晚了")


def test_delegation_grants_and_then_revokes(org):
    review = submit_personal(org)
    step = open_step(review)
    deputy = UserFactory(section=org["section"])
    with pytest.raises(PermissionDenied):
        approvals.delegate(step.pk, deputy, org["head"])  # only the office delegates
    with pytest.raises(ReviewError):
        approvals.delegate(step.pk, org["staff"], org["office"])  # never to the filer

    approvals.delegate(step.pk, deputy, org["office"])
    assert approvals.may_act(deputy, step)
    assert step in approvals.steps_waiting_for(deputy)
    approvals.approve(step.pk, deputy, opinion="受托审核同意")
    step.refresh_from_db()
    assert step.decided_by == deputy
    # Closed: neither the delegate nor the original reviewer holds the grant.
    assert not approvals.may_act(deputy, step)
    assert not approvals.may_act(org["head"], step)
    assert list(approvals.steps_waiting_for(deputy)) == []


def test_closed_campaign_refuses_submission(org):
    campaign = org["campaign"]
    campaign.status = campaign.Status.CLOSED
    campaign.save()
    with pytest.raises(CampaignClosed):
        submit_personal(org)


def test_subject_hooks_are_called_in_order(org):
    calls = []
    subject = org["section"]
    subject.on_review_submitted = lambda review: calls.append(f"submitted:{review.round}")
    subject.on_review_step_opened = lambda step: calls.append(f"opened:{step.role}")
    subject.review_title = lambda: "第一科的测试表"
    submit_personal(org, subject=subject)
    assert calls == ["submitted:1", f"opened:{StepRole.SECTION_HEAD}"]
    note = Notification.objects.get(recipient=org["head"])
    assert note.title == "第一科的测试表 等待您审核"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.services
def test_two_reviewers_racing_exactly_one_wins(postgres):
    campaign = CampaignFactory()
    office = campaign.leading_group.get(role=LeadingGroupMember.Role.OFFICE_HEAD).person
    section = SectionFactory(unit=campaign.unit)
    head = UserFactory(section=section, rank=User.Rank.MIDDLE)
    section.head = head
    section.save()
    # A second office member, so the leading-group step has two reviewers.
    second = UserFactory(section=section)
    save_leading_group_member(
        campaign, office, person=second, role=LeadingGroupMember.Role.OFFICE_MEMBER
    )
    staff = UserFactory(section=section)
    review = approvals.submit(
        section,
        campaign=campaign,
        subject_kind=Subject.PERSONAL,
        filer=staff,
        section=section,
        by=staff,
        filer_rank=FilerRank.GENERAL,
    )
    approvals.approve(open_step(review).pk, head)
    step = open_step(review)
    assert set(step.assignees.all()) == {office, second}

    barrier = threading.Barrier(2)
    outcomes = []

    def act(person, decide):
        try:
            barrier.wait(timeout=10)
            decide(person)
            outcomes.append("ok")
        except ReviewError as exc:
            outcomes.append(str(exc.message))
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=act, args=(office, lambda p: approvals.approve(step.pk, p, opinion="同意"))
        ),
        threading.Thread(
            target=act,
            args=(second, lambda p: approvals.return_for_changes(step.pk, p, reason="再改改")),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
    loser = next(o for o in outcomes if o != "ok")
    assert "已由" in loser
    step.refresh_from_db()
    assert step.status in (ReviewStep.Status.APPROVED, ReviewStep.Status.RETURNED)
    assert review.steps.filter(round=1, decided_by__isnull=False).count() == 2
