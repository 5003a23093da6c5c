"""Journey 2: the office lays out a new campaign with the wizard, lands on
the plan, moves a stage's due date and sees the seven stages."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from campaign.models import Campaign, Stage
from tests.factories import SectionFactory, UnitFactory, UserFactory

from .builders import SUPERVISION_PHONE, UNIT_NAME

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "2027年度廉政风险防控工作"
STAGES = ["宣传动员", "清权确权", "查找风险", "评估定级", "制定措施", "公示", "检查验收"]


def test_campaign_wizard(site, sign_in, shot):
    unit = UnitFactory(name=UNIT_NAME, supervision_phone=SUPERVISION_PHONE)
    office = UserFactory(
        section=SectionFactory(unit=unit, name="办公室", code="BGS"),
        rank=User.Rank.MIDDLE,
        full_name="周立新",
        roles=[Role.OFFICE],
    )
    starts_on = date(2027, 3, 1)

    page = sign_in(office)
    page.locator("nav.app-navbar").get_by_role("link", name="防控活动").click()
    page.get_by_role("link", name="新建活动").click()
    expect(page.get_by_role("heading", name="新建活动")).to_be_visible()
    # The wizard suggests the unit's supervision phone.
    expect(page.get_by_label("监督电话")).to_have_value(SUPERVISION_PHONE)
    page.get_by_label("活动名称").fill(TITLE)
    page.get_by_label("年度").fill("2027")
    page.get_by_label("依据文件文号").fill("江纪〔2027〕3号")
    page.get_by_label("依据文件名称").fill("关于深入开展廉政风险防控工作的实施意见")
    page.get_by_label("工作目标").fill("建立覆盖全部职权和岗位的廉政风险防控体系。")
    page.get_by_label("开始日期").fill(starts_on.isoformat())
    page.get_by_label("公示天数").fill("5")
    page.get_by_label("一级 / 二级 / 三级").check()
    shot(page, "01-wizard")
    page.get_by_role("button", name="创建并调整计划").click()

    # The plan page, with the seven stages laid out from the start date --------
    campaign = Campaign.objects.get(unit=unit, title=TITLE)
    page.wait_for_url(f"{site.url}/campaigns/{campaign.pk}/plan/")
    expect(page.locator(".app-messages")).to_contain_text("活动已创建")
    cards = page.locator("#plan-form .stage-card")
    expect(cards.locator(".card-header > span:first-child")).to_have_text(
        [f"{number}. {name} 未开始" for number, name in enumerate(STAGES, start=1)],
        use_inner_text=True,
    )
    shot(page, "02-plan-created")

    # … moves the last stage's due date ten days on and saves -------------------
    review = campaign.stages.get(kind=Stage.Kind.REVIEW)
    due = cards.nth(6).get_by_label("截止日期", exact=True)
    expect(due).to_have_value(review.due_on.isoformat())
    later = review.due_on + timedelta(days=10)
    due.fill(later.isoformat())
    page.get_by_role("button", name="保存计划").click()
    expect(page.locator(".app-messages")).to_contain_text("工作计划已保存。")
    expect(cards.nth(6).get_by_label("截止日期", exact=True)).to_have_value(later.isoformat())
    review.refresh_from_db()
    assert review.due_on == later
    shot(page, "03-plan-saved")

    # … and the overview shows the seven stages of the campaign ---------------
    page.get_by_role("link", name="返回概况").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    for name in STAGES:
        expect(page.locator("main").get_by_text(name, exact=True).first).to_be_visible()
    shot(page, "04-overview")

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.starts_on == starts_on and campaign.publicity_days == 5
    assert campaign.grading_scheme == Campaign.Scheme.NUMBERED
    assert list(campaign.grade_levels.order_by("rank").values_list("label", flat=True)) == [
        "一级",
        "二级",
        "三级",
    ]
    assert list(campaign.stages.order_by("position").values_list("kind", flat=True)) == list(
        Stage.Kind.values
    )
