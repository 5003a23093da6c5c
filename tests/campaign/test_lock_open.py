"""Campaign services re-read the campaign under a row lock before acting: a
campaign closed since the page was read is refused, whatever the caller's
copy says."""

from unittest import mock

import pytest
from django.db.models import QuerySet

from campaign import approvals, services
from campaign.models import Campaign, CampaignClosed, FilerRank, LeadingGroupMember, Subject
from tests.factories import StudyMaterialFactory, UserFactory

pytestmark = pytest.mark.django_db


def close_behind_its_back(campaign):
    """Another request closes the campaign; ``campaign`` still says running."""
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    assert not campaign.is_closed


def test_lock_open_locks_the_row_and_refuses_a_closed_campaign(campaign):
    with mock.patch.object(
        QuerySet, "select_for_update", autospec=True, side_effect=QuerySet.select_for_update
    ) as locking:
        fresh = services.lock_open(campaign.pk)
    assert fresh == campaign and fresh is not campaign
    assert locking.call_args.kwargs == {"no_key": True}
    assert services.lock_open(campaign) == campaign  # the object does as well as its id
    close_behind_its_back(campaign)
    with pytest.raises(CampaignClosed):
        services.lock_open(campaign.pk)


def test_the_leading_group_of_a_campaign_closed_meanwhile(campaign, office, staff):
    member = services.save_leading_group_member(
        campaign, office, person=staff, role=LeadingGroupMember.Role.MEMBER
    )
    close_behind_its_back(campaign)
    with pytest.raises(CampaignClosed):
        services.save_leading_group_member(
            campaign, office, person=UserFactory(section=staff.section), role="member"
        )
    with pytest.raises(CampaignClosed):
        services.remove_leading_group_member(member, office)
    assert campaign.leading_group.filter(person=staff).exists()


def test_study_confirmation_in_a_campaign_closed_meanwhile(campaign, staff):
    material = StudyMaterialFactory(campaign=campaign)
    close_behind_its_back(material.campaign)
    with pytest.raises(CampaignClosed):
        services.confirm_study(material, staff)
    assert not material.confirmations.exists()


def test_submission_to_a_campaign_closed_meanwhile(campaign, staff):
    close_behind_its_back(campaign)
    with pytest.raises(CampaignClosed):
        approvals.submit(
            staff,
            campaign=campaign,
            subject_kind=Subject.PERSONAL,
            filer=staff,
            section=staff.section,
            by=staff,
            filer_rank=FilerRank.GENERAL,
        )
