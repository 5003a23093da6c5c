"""Open review steps follow the people who hold their role: a leading-group
member removed or moved, a section's new head or supervising leaders."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Notification, User
from accounts.roles import GROUP_NAMES, Role
from campaign import approvals
from campaign.models import FilerRank, LeadingGroupMember, ReviewStep, StepRole, Subject
from campaign.services import remove_leading_group_member, save_leading_group_member
from tests.factories import CampaignFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

R = LeadingGroupMember.Role


@pytest.fixture
def org():
    campaign = CampaignFactory()
    unit = campaign.unit
    office = campaign.leading_group.get(role=R.OFFICE_HEAD).person
    leader = UserFactory(section=None, unit=unit, rank=User.Rank.LEADER)
    save_leading_group_member(campaign, office, person=leader, role=R.LEADER)
    second = UserFactory(section=None, unit=unit, rank=User.Rank.MIDDLE)
    save_leading_group_member(campaign, office, person=second, role=R.OFFICE_MEMBER)
    head = UserFactory(rank=User.Rank.MIDDLE, section=SectionFactory(unit=unit))
    section = head.section
    section.head = head
    section.save()
    supervisor = UserFactory(section=None, unit=unit, rank=User.Rank.LEADER)
    section.supervising_leaders.add(supervisor)
    staff = UserFactory(section=section)
    return {
        "campaign": campaign,
        "office": office,
        "leader": leader,
        "second": second,
        "head": head,
        "section": section,
        "supervisor": supervisor,
        "staff": staff,
    }


def submit(org, filer, rank=FilerRank.GENERAL, subject=None):
    return approvals.submit(
        subject or filer,
        campaign=org["campaign"],
        subject_kind=Subject.PERSONAL,
        filer=filer,
        section=org["section"],
        by=filer,
        filer_rank=rank,
    )


def open_step(review):
    return review.steps.get(status=ReviewStep.Status.OPEN)


@pytest.fixture
def group_step(org):
    """A personal form at the leading-group step (head approved)."""
    review = submit(org, org["staff"])
    approvals.approve(open_step(review).pk, org["head"])
    step = open_step(review)
    assert step.role == StepRole.LEADING_GROUP
    assert set(step.assignees.all()) == {org["office"], org["leader"], org["second"]}
    return step


def waiting(person):
    return list(approvals.steps_waiting_for(person))


def test_a_removed_member_can_no_longer_act(org, group_step):
    second = org["second"]
    assert approvals.may_act(second, group_step)
    remove_leading_group_member(org["campaign"].leading_group.get(person=second), org["office"])
    group_step.refresh_from_db()
    assert not approvals.may_act(second, group_step)
    assert waiting(second) == []
    assert set(group_step.assignees.all()) == {org["office"], org["leader"]}
    # The others keep it.
    assert approvals.may_act(org["office"], group_step)
    assert waiting(org["leader"]) == [group_step]
    assert org["campaign"].history.filter(action="review.reassigned").exists()


def test_the_replacement_can_act_and_is_told(org, group_step):
    campaign, office = org["campaign"], org["office"]
    remove_leading_group_member(campaign.leading_group.get(person=org["leader"]), office)
    newcomer = UserFactory(section=None, unit=campaign.unit, rank=User.Rank.LEADER)
    save_leading_group_member(campaign, office, person=newcomer, role=R.DEPUTY)
    assert not approvals.may_act(org["leader"], group_step)
    assert waiting(org["leader"]) == []
    assert approvals.may_act(newcomer, group_step)
    assert waiting(newcomer) == [group_step]
    assert newcomer in group_step.assignees.all()
    assert Notification.objects.filter(
        recipient=newcomer, kind=Notification.Kind.REVIEW, title__contains="等待您审核"
    ).exists()
    approvals.approve(group_step.pk, newcomer, opinion="同意")


def test_a_role_change_moves_the_grant(org, group_step):
    campaign = org["campaign"]
    member = campaign.leading_group.get(person=org["leader"])
    save_leading_group_member(
        campaign, org["office"], person=org["leader"], role=R.MEMBER, member=member
    )
    assert not approvals.may_act(org["leader"], group_step)
    assert org["leader"] not in group_step.assignees.all()
    # A plain member promoted to deputy gains it.
    save_leading_group_member(
        campaign, org["office"], person=org["leader"], role=R.DEPUTY, member=member
    )
    assert approvals.may_act(org["leader"], group_step)


def test_a_seat_given_to_someone_else(org, group_step):
    campaign = org["campaign"]
    member = campaign.leading_group.get(person=org["second"])
    other = UserFactory(section=None, unit=campaign.unit)
    save_leading_group_member(
        campaign, org["office"], person=other, role=R.OFFICE_MEMBER, member=member
    )
    assert not approvals.may_act(org["second"], group_step)
    assert approvals.may_act(other, group_step)


def test_an_explicit_delegate_stays_unless_they_are_removed(org, group_step):
    campaign, office = org["campaign"], org["office"]
    outside = UserFactory(section=org["section"])
    approvals.delegate(group_step.pk, outside, office)
    remove_leading_group_member(campaign.leading_group.get(person=org["leader"]), office)
    group_step.refresh_from_db()
    assert group_step.delegate == outside
    assert approvals.may_act(outside, group_step)

    # The delegate is a seat holder who then leaves the group.
    approvals.delegate(group_step.pk, org["second"], office)
    remove_leading_group_member(campaign.leading_group.get(person=org["second"]), office)
    group_step.refresh_from_db()
    assert group_step.delegate is None
    assert not approvals.may_act(org["second"], group_step)
    assert approvals.may_act(office, group_step)


def test_a_new_section_head_takes_over(org):
    review = submit(org, org["staff"])
    step = open_step(review)
    assert step.role == StepRole.SECTION_HEAD
    section, old = org["section"], org["head"]
    new = UserFactory(section=section, rank=User.Rank.MIDDLE)
    section.head = new
    section.save()
    step.refresh_from_db()
    assert not approvals.may_act(old, step)
    assert waiting(old) == []
    assert list(step.assignees.all()) == [new]
    assert waiting(new) == [step]
    assert Notification.objects.filter(recipient=new, kind=Notification.Kind.REVIEW).exists()


def test_saving_a_section_without_changing_its_head_changes_nothing(org):
    step = open_step(submit(org, org["staff"]))
    section = org["section"]
    section.name = "改名后的科室"
    section.save()
    assert approvals.may_act(org["head"], step)
    assert not org["campaign"].history.filter(action="review.reassigned").exists()


def test_supervising_leaders_changed_from_either_side(org):
    review = submit(org, org["head"], rank=FilerRank.MIDDLE, subject=org["head"])
    step = open_step(review)
    assert step.role == StepRole.SUPERVISING_LEADER
    section, old = org["section"], org["supervisor"]
    new = UserFactory(section=None, unit=section.unit, rank=User.Rank.LEADER)
    section.supervising_leaders.add(new)
    assert approvals.may_act(new, step) and approvals.may_act(old, step)
    old.supervised_sections.remove(section)  # the reverse side
    assert not approvals.may_act(old, step)
    assert approvals.may_act(new, step)
    section.supervising_leaders.clear()
    assert not approvals.may_act(new, step)
    assert list(step.assignees.all()) == []
    # Left with nobody, the step stays open and the office is asked to delegate it.
    step.refresh_from_db()
    assert step.status == ReviewStep.Status.OPEN
    assert Notification.objects.filter(recipient=org["office"], title__contains="无人审核").exists()
    section.supervising_leaders.set([old])
    assert approvals.may_act(old, step)


def test_decided_steps_are_left_alone(org):
    review = submit(org, org["staff"])
    first = open_step(review)
    approvals.approve(first.pk, org["head"])
    section = org["section"]
    section.head = UserFactory(section=section)
    section.save()
    first.refresh_from_db()
    assert list(first.assignees.all()) == [org["head"]]
    assert first.status == ReviewStep.Status.APPROVED


def committee_group():
    return Group.objects.get(name=GROUP_NAMES[Role.PARTY_COMMITTEE])


@pytest.fixture
def committee_step(org):
    """A leader's personal form at the party committee's step."""
    group = committee_group()
    first = UserFactory(section=None, unit=org["campaign"].unit, rank=User.Rank.LEADER)
    first.groups.add(group)
    review = submit(org, org["leader"], rank=FilerRank.LEADER, subject=org["leader"])
    step = open_step(review)
    assert step.role == StepRole.PARTY_COMMITTEE
    assert list(step.assignees.all()) == [first]
    return step, first


def test_party_committee_membership_changes_from_either_side(org, committee_step):
    step, first = committee_step
    group = committee_group()
    joiner = UserFactory(section=None, unit=org["campaign"].unit, rank=User.Rank.LEADER)
    joiner.groups.add(group)
    assert approvals.may_act(joiner, step)
    assert waiting(joiner) == [step]
    group.user_set.remove(first)  # the reverse side
    assert not approvals.may_act(first, step)
    assert waiting(first) == []
    joiner.groups.clear()
    assert not approvals.may_act(joiner, step)
    step.refresh_from_db()
    assert step.status == ReviewStep.Status.OPEN
    assert Notification.objects.filter(recipient=org["office"], title__contains="无人审核").exists()


def test_another_group_changes_nothing(org, committee_step):
    step, first = committee_step
    first.groups.add(Group.objects.get(name=GROUP_NAMES[Role.AUDITOR]))
    first.groups.remove(Group.objects.get(name=GROUP_NAMES[Role.AUDITOR]))
    assert approvals.may_act(first, step)
    assert not org["campaign"].history.filter(action="review.reassigned").exists()


def test_a_person_who_leaves_holds_no_step(org, group_step):
    second, office = org["second"], org["office"]
    outside = UserFactory(section=org["section"])
    approvals.delegate(group_step.pk, outside, office)
    assert approvals.may_act(second, group_step)
    second.is_active = False
    second.save()
    outside.is_active = False
    outside.save(update_fields=["is_active"])
    group_step.refresh_from_db()
    assert group_step.delegate is None
    assert second not in group_step.assignees.all()
    assert not approvals.may_act(outside, group_step)
    assert approvals.may_act(org["leader"], group_step)
    # Saving a person for anything else changes nothing.
    org["leader"].phone = "13800000000"
    org["leader"].save()
    assert approvals.may_act(org["leader"], group_step)
