import pytest

from accounts.models import User
from accounts.roles import Role
from campaign.models import LeadingGroupMember, RiskCategory, Stage
from campaign.services import save_leading_group_member, start_stage
from risks.models import Filing
from tests.factories import CampaignFactory, SectionFactory, UserFactory


@pytest.fixture
def risk_org(db):
    """A campaign in its find-risks stage, with one section and every role."""
    campaign = CampaignFactory()
    unit = campaign.unit
    office = campaign.leading_group.get(role=LeadingGroupMember.Role.OFFICE_HEAD).person
    section = SectionFactory(unit=unit)
    other_section = SectionFactory(unit=unit)
    head = UserFactory(section=section, rank=User.Rank.MIDDLE)
    section.head = head
    section.save()
    supervisor = UserFactory(section=None, unit=unit, rank=User.Rank.LEADER)
    section.supervising_leaders.add(supervisor)
    secretary = UserFactory(
        section=None, unit=unit, rank=User.Rank.LEADER, roles=[Role.PARTY_COMMITTEE]
    )
    save_leading_group_member(
        campaign, office, person=secretary, role=LeadingGroupMember.Role.LEADER
    )
    people = {
        "campaign": campaign,
        "office": office,
        "section": section,
        "other_section": other_section,
        "head": head,
        "supervisor": supervisor,
        "secretary": secretary,
        "staff": UserFactory(section=section),
        "colleague": UserFactory(section=section),
        "stranger": UserFactory(section=other_section),
        "auditor": UserFactory(section=None, unit=unit, roles=[Role.AUDITOR]),
        "discipline": UserFactory(section=None, unit=unit, roles=[Role.DISCIPLINE]),
        "committee": UserFactory(
            section=None, unit=unit, rank=User.Rank.LEADER, roles=[Role.PARTY_COMMITTEE]
        ),
        "outsider": UserFactory(),
    }
    for stage in campaign.stages.filter(position__lt=Stage.ORDER[Stage.Kind.RISKS]):
        start_stage(stage.pk, office)
        from campaign.services import complete_stage

        complete_stage(stage.pk, office, reason="测试：遗留事项转入下一阶段")
    start_stage(campaign.stages.get(kind=Stage.Kind.RISKS).pk, office)
    people["category"] = RiskCategory.objects.filter(campaign=campaign).first()
    people["levels"] = {level.rank: level for level in campaign.grade_levels.all()}
    people["filing"] = Filing.objects.get(campaign=campaign, owner=people["staff"])
    return people
