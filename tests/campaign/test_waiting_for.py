"""What waits for a reviewer: never the open steps of a closed campaign."""

import pytest
from django.urls import reverse

from accounts import home
from accounts.models import User
from campaign import approvals
from campaign.models import Campaign, FilerRank, Subject
from tests.factories import CampaignFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_closed_campaign_shows_no_pending_work(client):
    open_campaign, closing = CampaignFactory(), None
    unit = open_campaign.unit
    closing = CampaignFactory(unit=unit)
    section = SectionFactory(unit=unit)
    head = UserFactory(section=section, rank=User.Rank.MIDDLE)
    section.head = head
    section.save()
    staff = UserFactory(section=section)
    steps = {}
    for campaign in (open_campaign, closing):
        review = approvals.submit(
            campaign,  # any model will do as the subject
            campaign=campaign,
            subject_kind=Subject.PERSONAL,
            filer=staff,
            section=section,
            by=staff,
            filer_rank=FilerRank.GENERAL,
        )
        steps[campaign.pk] = review.steps.get(status="open")
    assert set(approvals.steps_waiting_for(head)) == set(steps.values())

    Campaign.objects.filter(pk=closing.pk).update(status=Campaign.Status.CLOSED)
    assert list(approvals.steps_waiting_for(head)) == [steps[open_campaign.pk]]
    assert list(approvals.steps_waiting_for(head, campaign=closing)) == []
    assert len([i for i in home.work_for(head) if i.kind == "待我审核"]) == 1
    client.force_login(head)
    response = client.get(reverse("campaign:reviews"))
    assert [row["step"] for row in response.context["rows"]] == [steps[open_campaign.pk]]
