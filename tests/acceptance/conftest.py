"""A running campaign with people, filings in several states, graded risk
points with measures, a small approved catalogue; the office, staff, a
whole-unit watcher, an auditor and an outsider from another unit."""

from types import SimpleNamespace

import pytest

from accounts.models import Post, User
from accounts.roles import Role
from campaign.models import Campaign, LeadingGroupMember
from powers.models import Catalogue, Power
from tests.factories import (
    CampaignFactory,
    CatalogueFactory,
    FilingFactory,
    MeasureFactory,
    PostFactory,
    PowerFactory,
    PowerStepFactory,
    RiskPointFactory,
    SectionFactory,
    UserFactory,
)


@pytest.fixture
def acc(db):
    campaign = CampaignFactory(title="2026年度廉政风险防控工作", year=2026)
    campaign.status = Campaign.Status.RUNNING
    campaign.save(update_fields=["status"])
    unit = campaign.unit
    office = campaign.leading_group.get(role=LeadingGroupMember.Role.OFFICE_HEAD).person
    levels = {level.rank: level for level in campaign.grade_levels.all()}
    categories = list(campaign.risk_categories.order_by("display_order"))

    section = SectionFactory(unit=unit, name="招商一科", code="ZS1")
    other = SectionFactory(unit=unit, name="计划财务科", code="JHCW")
    key_post = PostFactory(section=section, name="政策兑现经办", key_type=Post.KeyType.MONEY)
    uncovered_post = PostFactory(section=other, name="出纳", key_type=Post.KeyType.MONEY)
    head = UserFactory(section=section, rank=User.Rank.MIDDLE, full_name="郑科长")
    section.head = head
    section.save(update_fields=["head"])
    staff = UserFactory(section=section, post=key_post, full_name="冯明哲")
    colleague = UserFactory(section=section, full_name="陈同事")
    cashier = UserFactory(section=other, post=uncovered_post, full_name="蒋出纳")

    catalogue = CatalogueFactory(campaign=campaign, section=section)
    Catalogue.objects.filter(pk=catalogue.pk).update(status=Catalogue.Status.APPROVED)
    power = PowerFactory(
        catalogue=catalogue,
        code="ZS1-001",
        sequence=1,
        name="招商奖励兑现",
        publicity=Power.Publicity.PUBLIC,
        direction=Power.Direction.EXTERNAL,
    )
    step_one = PowerStepFactory(power=power, position=1, name="受理")
    step_two = PowerStepFactory(power=power, position=2, name="审核")
    spare = PowerFactory(catalogue=catalogue, code="ZS1-002", sequence=2, name="项目走访")

    filing = FilingFactory(campaign=campaign, owner=staff, status="approved")
    high = RiskPointFactory(
        filing=filing,
        title="兑现审核不严",
        category=categories[0],
        self_grade=levels[2],
        final_grade=levels[1],
        power=power,
        power_step=step_two,
        likelihood=3,
        harm=3,
    )
    MeasureFactory(risk_point=high, line="prevention", text="双人审核", owner=staff, status="done")
    MeasureFactory(
        risk_point=high, line="monitoring", text="结果公开", owner=head, status="in_progress"
    )
    low = RiskPointFactory(
        filing=filing,
        title="接受宴请",
        category=categories[1],
        self_grade=levels[3],
        final_grade=levels[3],
    )
    MeasureFactory(risk_point=low, line="handling", text="发现即报告", status="planned")
    draft = FilingFactory(campaign=campaign, owner=colleague, status="draft")
    ungraded = RiskPointFactory(
        filing=draft, title="信息泄露", category=categories[0], self_grade=None, final_grade=None
    )
    MeasureFactory(risk_point=ungraded, line="prevention", text="保密教育")
    section_filing = FilingFactory(
        campaign=campaign, kind="section", owner=None, section=section, status="submitted"
    )
    RiskPointFactory(
        filing=section_filing,
        title="集体决策走过场",
        category=categories[2],
        self_grade=levels[2],
        final_grade=None,
        reviewed_grade=levels[2],
    )
    FilingFactory(campaign=campaign, owner=cashier, status="draft")

    return SimpleNamespace(
        campaign=campaign,
        unit=unit,
        office=office,
        levels=levels,
        categories=categories,
        section=section,
        other=other,
        head=head,
        staff=staff,
        colleague=colleague,
        cashier=cashier,
        power=power,
        spare=spare,
        steps=(step_one, step_two),
        filing=filing,
        high=high,
        low=low,
        watcher=UserFactory(
            section=None, unit=unit, rank=User.Rank.LEADER, roles=[Role.DISCIPLINE]
        ),
        auditor=UserFactory(section=None, unit=unit, roles=[Role.AUDITOR]),
        outsider=UserFactory(roles=[Role.OFFICE]),
    )
