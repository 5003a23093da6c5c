from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import User
from accounts.roles import Role
from campaign.models import Campaign
from tests.factories import PostFactory, SectionFactory, UnitFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour=9, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    """Freeze the clock at a given day (09:00 Shanghai): ``with frozen(day):``."""

    def travel(day, hour=9):
        return time_machine.travel(at(day, hour), tick=False)

    return travel


@pytest.fixture
def org(db):
    """A unit with every standing that matters for warnings.

    ``named`` is the staff member signals and warnings are about; ``head``
    heads their section; the office head heads another section (so is not
    recused); ``office`` is an office member who is not the head.
    """
    unit = UnitFactory()
    section = SectionFactory(unit=unit)
    office_section = SectionFactory(unit=unit)
    other_section = SectionFactory(unit=unit)
    post = PostFactory(section=section)
    head = UserFactory(section=section, rank=User.Rank.MIDDLE)
    section.head = head
    section.save()
    office_head = UserFactory(
        section=office_section, rank=User.Rank.MIDDLE, roles=[Role.OFFICE_HEAD]
    )
    office_section.head = office_head
    office_section.save()
    people = SimpleNamespace(
        unit=unit,
        section=section,
        other_section=other_section,
        post=post,
        head=head,
        named=UserFactory(section=section, post=post),
        colleague=UserFactory(section=section),
        stranger=UserFactory(section=other_section),
        office=UserFactory(section=office_section, roles=[Role.OFFICE]),
        office_head=office_head,
        discipline=UserFactory(
            section=None, unit=unit, rank=User.Rank.LEADER, roles=[Role.DISCIPLINE]
        ),
        auditor=UserFactory(section=None, unit=unit, roles=[Role.AUDITOR]),
        leader=UserFactory(
            section=None, unit=unit, rank=User.Rank.LEADER, roles=[Role.LEADING_GROUP]
        ),
        outsider=UserFactory(roles=[Role.OFFICE, Role.DISCIPLINE]),
    )
    return people


def running(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.RUNNING)
    campaign.refresh_from_db()
    return campaign
