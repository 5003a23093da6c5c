"""A running campaign with approved and draft filings, an approved catalogue
of external/internal/unpublished powers, the office, staff, a whole-unit
watcher and an outsider from another unit."""

from types import SimpleNamespace

import pytest

from accounts.models import User
from accounts.roles import Role
from campaign.models import Campaign, LeadingGroupMember
from powers.models import Catalogue, Power
from tests.factories import (
    CampaignFactory,
    CatalogueFactory,
    FilingFactory,
    MeasureFactory,
    PowerFactory,
    PowerStepFactory,
    RiskPointFactory,
    SectionFactory,
    UserFactory,
)


@pytest.fixture
def pub(db):
    campaign = CampaignFactory(publicity_days=7, supervision_phone="0571-8800 1234")
    campaign.status = Campaign.Status.RUNNING
    campaign.save(update_fields=["status"])
    unit = campaign.unit
    office = campaign.leading_group.get(role=LeadingGroupMember.Role.OFFICE_HEAD).person
    section = SectionFactory(unit=unit, name="招商一科", code="ZS1")
    other = SectionFactory(unit=unit, name="计划财务科", code="JHCW")
    head = UserFactory(section=section, rank=User.Rank.MIDDLE, full_name="郑科长")
    section.head = head
    section.save(update_fields=["head"])
    staff = UserFactory(section=section, full_name="冯明哲")
    drafter = UserFactory(section=section, full_name="褚未交")
    accountant = UserFactory(section=other, full_name="蒋会计")

    approved = FilingFactory(campaign=campaign, owner=staff, status="approved")
    point = RiskPointFactory(
        filing=approved, title="政策兑现审核把关不严", content="对申报材料审核不严，违规兑现"
    )
    MeasureFactory(risk_point=point, line="prevention", text="实行申报材料双人审核")
    MeasureFactory(risk_point=point, line="monitoring", text="兑现结果在科室内部公开")
    draft = FilingFactory(campaign=campaign, owner=drafter, status="draft")
    RiskPointFactory(filing=draft, title="草稿中的风险点不应公示")
    other_filing = FilingFactory(campaign=campaign, owner=accountant, status="approved")
    RiskPointFactory(filing=other_filing, title="资金支付审核不严")

    catalogue = CatalogueFactory(campaign=campaign, section=section)
    Catalogue.objects.filter(pk=catalogue.pk).update(status=Catalogue.Status.APPROVED)
    external = PowerFactory(
        catalogue=catalogue,
        name="招商引资奖励兑现",
        publicity=Power.Publicity.PUBLIC,
        direction=Power.Direction.EXTERNAL,
    )
    PowerStepFactory(power=external, position=1, name="受理申请")
    PowerStepFactory(power=external, position=2, name="审核材料")
    internal = PowerFactory(
        catalogue=catalogue,
        name="科室办公用品领用审批",
        publicity=Power.Publicity.INTERNAL,
        direction=Power.Direction.INTERNAL,
    )
    public_internal = PowerFactory(
        catalogue=catalogue,
        name="内部考核评比组织",
        publicity=Power.Publicity.PUBLIC,
        direction=Power.Direction.INTERNAL,
    )
    secret = PowerFactory(
        catalogue=catalogue,
        name="涉密项目洽谈安排",
        publicity=Power.Publicity.UNPUBLISHED,
        unpublished_reason="涉及商业秘密",
        direction=Power.Direction.EXTERNAL,
    )
    draft_catalogue = CatalogueFactory(campaign=campaign, section=other)
    unapproved = PowerFactory(
        catalogue=draft_catalogue,
        name="未审定的对外职权",
        publicity=Power.Publicity.PUBLIC,
        direction=Power.Direction.EXTERNAL,
    )
    return SimpleNamespace(
        campaign=campaign,
        unit=unit,
        office=office,
        section=section,
        other=other,
        head=head,
        staff=staff,
        drafter=drafter,
        accountant=accountant,
        point=point,
        external=external,
        internal=internal,
        public_internal=public_internal,
        secret=secret,
        unapproved=unapproved,
        watcher=UserFactory(
            section=None, unit=unit, rank=User.Rank.LEADER, roles=[Role.DISCIPLINE]
        ),
        outsider=UserFactory(roles=[Role.OFFICE]),
    )
