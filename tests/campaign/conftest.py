"""People around one running campaign, shared by the campaign page tests."""

import pytest

from accounts.models import User
from accounts.roles import Role
from campaign import services
from campaign.models import Stage
from tests.factories import CampaignFactory, SectionFactory, UnitFactory, UserFactory


@pytest.fixture
def draft(db):
    """A campaign as the wizard leaves it; its creator heads the office."""
    unit = UnitFactory()
    creator = UserFactory(
        section=SectionFactory(unit=unit), rank=User.Rank.MIDDLE, roles=[Role.OFFICE]
    )
    return CampaignFactory(unit=unit, by=creator)


@pytest.fixture
def campaign(draft):
    """The same campaign, running: its first stage has started."""
    services.start_stage(draft.stages.get(kind=Stage.Kind.MOBILISE).pk, draft.created_by)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def office(campaign):
    return campaign.created_by


@pytest.fixture
def section(campaign):
    return SectionFactory(unit=campaign.unit)


@pytest.fixture
def staff(section):
    """A general staff member of the unit, with no role."""
    return UserFactory(section=section)


@pytest.fixture
def watcher(campaign):
    """Discipline inspection: reads the dashboard, acts on nothing."""
    return UserFactory(
        section=None, unit=campaign.unit, rank=User.Rank.LEADER, roles=[Role.DISCIPLINE]
    )


@pytest.fixture
def outsider(db):
    """The office of another unit."""
    return UserFactory(roles=[Role.OFFICE_HEAD])
