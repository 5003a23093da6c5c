"""Journey 3: discipline inspection raises a warning by hand for a member of
staff; the person finds it under 我的预警 and answers it; the office reads
the answer."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from earlywarnings.models import EarlyWarning
from tests.factories import UserFactory

from .builders import UNIT_NAME, section_with_people
from .builders import unit_with_office as _unit_with_office

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "政策兑现审核时限偏长的提醒"
MESSAGE = "近期两家企业反映奖励兑现审核时间偏长。请说明原因，严格按规定时限办理，不得吃拿卡要。"
ANSWER = "两家企业材料不全，已一次性告知补正；今后按时限办理并登记告知情况。"


def open_nav(page, group, entry):
    """An entry of a dropdown group of the navigation bar."""
    nav = page.locator("nav.app-navbar")
    nav.get_by_role("button", name=group).click()
    nav.get_by_role("link", name=entry, exact=True).click()


def test_warning_raised_and_answered(site, sign_in, shot):
    unit, _campaign, office = _unit_with_office()
    assert unit.name == UNIT_NAME
    section, _head, staff = section_with_people(unit)
    inspector = UserFactory(
        section=None, unit=unit, full_name="陈纪检", username="jijian", roles=[Role.DISCIPLINE]
    )

    # Discipline inspection raises the warning --------------------------------
    page = sign_in(inspector)
    open_nav(page, "预警监督", "预警")
    expect(page.get_by_role("heading", name="预警", exact=True)).to_be_visible()
    page.get_by_test_id("raise-warning").click()
    page.get_by_label("预警等级").select_option(label="C级（蓝色）")
    page.get_by_label("对象类别").select_option(label="个人")
    page.get_by_label("涉及人员").select_option(label=f"{staff.full_name}（{section.name}）")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("预警内容").fill(MESSAGE)
    shot(page, "01-raise-warning")
    page.locator("main form").get_by_role("button", name="发出预警").click()
    expect(page.locator(".app-messages")).to_contain_text("预警已发出。")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    shot(page, "02-warning-raised")
    warning = EarlyWarning.objects.get(title=TITLE)
    assert (warning.person, warning.level, warning.raised_by) == (staff, "C", inspector)

    # The person sees it in 我的预警 and answers ---------------------------------
    person = sign_in(staff)
    expect(person.get_by_test_id("work-list")).to_contain_text(TITLE)
    open_nav(person, "预警监督", "我的预警")
    mine = person.get_by_test_id("my-warnings")
    expect(mine).to_contain_text(TITLE)
    expect(mine).to_contain_text("待答复")
    shot(person, "03-my-warnings")
    mine.get_by_role("link", name=TITLE).click()
    expect(person.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(person.locator("main")).to_contain_text(MESSAGE)
    person.get_by_label("我的答复").fill(ANSWER)
    person.get_by_test_id("answer-form").get_by_role("button", name="提交答复").click()
    expect(person.locator(".app-messages")).to_contain_text("答复已提交。")
    expect(person.locator("main")).to_contain_text(ANSWER)
    shot(person, "04-answered")
    warning.refresh_from_db()
    assert (warning.status, warning.response, warning.responded_by) == (
        EarlyWarning.Status.ANSWERED,
        ANSWER,
        staff,
    )

    # The office reads the answer ---------------------------------------------
    desk = sign_in(office)
    open_nav(desk, "预警监督", "预警")
    row = desk.get_by_test_id("warning-table").locator("tr", has_text=TITLE)
    expect(row).to_contain_text("已答复")
    expect(row).to_contain_text(staff.full_name)
    row.get_by_role("link", name=TITLE).click()
    expect(desk.locator("main")).to_contain_text(ANSWER)
    expect(desk.locator("main")).to_contain_text(staff.full_name)
    shot(desk, "05-office-reads-answer")
