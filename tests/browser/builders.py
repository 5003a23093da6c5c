"""The state each journey starts from, built with the factories and the
services the pages themselves call (never by writing statuses directly)."""

from types import SimpleNamespace

from accounts.models import Post, User
from accounts.roles import Role
from campaign import approvals
from campaign.models import LeadingGroupMember, Stage
from campaign.services import complete_stage, start_stage
from powers import services as power_services
from powers.models import Catalogue, Power
from tests.factories import (
    CampaignFactory,
    CatalogueFactory,
    PostFactory,
    PowerFactory,
    PowerStepFactory,
    SectionFactory,
    UnitFactory,
    UserFactory,
)

UNIT_NAME = "江川区测试促进局"
CAMPAIGN_TITLE = "2026年度廉政风险防控工作"
SUPERVISION_PHONE = "0571-8800 1234"


def unit_with_office(**campaign_fields):
    """A unit, its campaign (made as the wizard makes one) and the office head
    who runs it."""
    unit = UnitFactory(name=UNIT_NAME, supervision_phone=SUPERVISION_PHONE)
    office_section = SectionFactory(unit=unit, name="办公室", code="BGS")
    office = UserFactory(
        section=office_section,
        rank=User.Rank.MIDDLE,
        full_name="周立新",
        username="office",
        roles=[Role.OFFICE],
    )
    campaign = CampaignFactory(
        unit=unit,
        title=CAMPAIGN_TITLE,
        by=office,
        supervision_phone=SUPERVISION_PHONE,
        **campaign_fields,
    )
    assert campaign.leading_group.get(role=LeadingGroupMember.Role.OFFICE_HEAD).person == office
    return unit, campaign, office


def section_with_people(unit):
    """招商一科 with its head and one member of staff on a key post."""
    section = SectionFactory(unit=unit, name="招商一科", code="ZS1")
    head = UserFactory(
        section=section, rank=User.Rank.MIDDLE, full_name="郑国栋", username="kezhang"
    )
    section.head = head
    section.save(update_fields=["head"])
    post = PostFactory(section=section, name="政策兑现经办", key_type=Post.KeyType.MONEY)
    staff = UserFactory(section=section, post=post, full_name="冯明哲", username="keyuan")
    return section, head, staff


def advance_to(campaign, office, kind):
    """Run the plan up to ``kind``: earlier stages started and completed (with
    the reason the office gives for what is left open), ``kind`` started."""
    stop = Stage.ORDER[kind]
    for stage in campaign.stages.filter(position__lte=stop).order_by("position"):
        if stage.status == Stage.Status.PENDING:
            start_stage(stage.pk, office)
        if stage.position < stop and stage.status != Stage.Status.DONE:
            complete_stage(stage.pk, office, reason="浏览器测试：遗留事项转入下一阶段")


def risk_campaign():
    """A campaign in its find-risks stage: every person has a blank filing."""
    unit, campaign, office = unit_with_office()
    section, head, staff = section_with_people(unit)
    auditor = UserFactory(
        section=None, unit=unit, full_name="吴审计", username="shenji", roles=[Role.AUDITOR]
    )
    advance_to(campaign, office, Stage.Kind.RISKS)
    return SimpleNamespace(
        unit=unit,
        campaign=campaign,
        office=office,
        section=section,
        head=head,
        staff=staff,
        auditor=auditor,
        filing=campaign.filings.get(owner=staff),
    )


def approved_external_power(campaign, office, section, head):
    """招商一科's catalogue with one external power open to the public (with
    its flowchart) and one internal power, submitted by the head and approved
    through the catalogue chain."""
    catalogue = CatalogueFactory(campaign=campaign, section=section)
    external = PowerFactory(
        catalogue=catalogue,
        name="招商引资奖励兑现",
        content="对符合条件的招商引资项目兑现奖励资金。",
        legal_basis="《江川区招商引资奖励办法》第五条",
        publicity=Power.Publicity.PUBLIC,
        direction=Power.Direction.EXTERNAL,
    )
    PowerStepFactory(power=external, position=1, name="受理申请", responsible="经办人")
    PowerStepFactory(power=external, position=2, name="审核材料", responsible="科室负责人")
    PowerStepFactory(power=external, position=3, name="集体研究兑现", responsible="分管领导")
    PowerFactory(
        catalogue=catalogue,
        name="科室办公用品领用审批",
        publicity=Power.Publicity.INTERNAL,
        direction=Power.Direction.INTERNAL,
    )
    power_services.submit_catalogue(catalogue, head)
    for _round in range(3):
        step = approvals.open_step_for(catalogue)
        if step is None:
            break
        reviewer = office if step.assignees.filter(pk=office.pk).exists() else head
        approvals.approve(step.pk, reviewer, opinion="职权梳理完整，依据准确，同意。")
    catalogue.refresh_from_db()
    assert catalogue.status == Catalogue.Status.APPROVED, catalogue.status
    return external
