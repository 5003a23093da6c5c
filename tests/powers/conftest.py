"""A running campaign with a section (head, staff, posts), a second section,
the office, a whole-unit watcher and an outsider from another unit."""

from types import SimpleNamespace

import pytest

from accounts.models import User
from accounts.roles import Role
from campaign.models import Campaign, LeadingGroupMember
from tests.factories import CampaignFactory, PostFactory, SectionFactory, UserFactory


@pytest.fixture
def org(db):
    campaign = CampaignFactory()
    campaign.status = Campaign.Status.RUNNING
    campaign.save(update_fields=["status"])
    unit = campaign.unit
    office = campaign.leading_group.get(role=LeadingGroupMember.Role.OFFICE_HEAD).person

    section = SectionFactory(unit=unit, code="ZS1", name="招商一科")
    head = UserFactory(section=section, rank=User.Rank.MIDDLE)
    section.head = head
    section.save(update_fields=["head"])
    chief = PostFactory(section=section, name="科长")
    clerk = PostFactory(section=section, name="政策兑现经办")
    staff = UserFactory(section=section, post=clerk)

    other = SectionFactory(unit=unit, code="ZS2", name="招商二科")
    other_head = UserFactory(section=other, rank=User.Rank.MIDDLE)
    other.head = other_head
    other.save(update_fields=["head"])

    watcher = UserFactory(section=None, unit=unit, rank=User.Rank.LEADER, roles=[Role.DISCIPLINE])
    outsider = UserFactory(roles=[Role.OFFICE])
    return SimpleNamespace(
        campaign=campaign,
        unit=unit,
        office=office,
        section=section,
        head=head,
        chief=chief,
        clerk=clerk,
        staff=staff,
        other=other,
        other_head=other_head,
        watcher=watcher,
        outsider=outsider,
    )
