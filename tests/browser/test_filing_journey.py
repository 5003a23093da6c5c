"""Journey 1: a personal filing from the first risk point to the auditor's
Excel register.

A member of staff fills in two risk points with their factors, self grade and
measures, saves the draft and signs the pledge; the section head returns it
with a reason; the staff member reads the reason, fixes it and resubmits; the
head approves and raises one grade; the office (the leading-group step) fixes
the final grades; the dashboard counts the approved filing; an auditor
downloads the register and finds the risk points in it.
"""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from risks.models import Filing

from .builders import CAMPAIGN_TITLE, UNIT_NAME, risk_campaign

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIRST = {
    "category": "岗位职责",
    "title": "政策兑现审核把关不严",
    "content": "对企业申报材料审核不严，违规兑现奖励资金，或接受企业宴请后降低审核标准。",
    # Weighted score (2·2 + 2·2 + 3 + 2) / 6 = 2.17: the suggestion is 中.
    "factors": {"likelihood": 2, "harm": 2, "money": 3, "discretion": 2},
    "grade": "中",
    "measures": {"prevention": "实行申报材料双人审核、签字留痕"},
}
SECOND = {
    "category": "外部环境",
    "title": "企业请托说情",
    "content": "企业通过熟人打招呼、请托，要求加快或放宽奖励兑现。",
    # (2·1 + 2·1 + 2) / 5 = 1.2: 低.
    "factors": {"likelihood": 1, "harm": 1, "frequency": 2},
    "grade": "低",
    "measures": {"prevention": "落实请托事项登记报告制度"},
}
RETURN_REASON = "第二个风险点缺少中期监控措施，请补充后重新提交。"
FIX = "每季度抽查请托登记台账"


def point_cards(page):
    return page.locator("#points > [data-point]")


def fill_point(card, point):
    prefix = card.get_attribute("data-prefix")
    card.locator(f'[name="{prefix}-category"]').select_option(label=point["category"])
    card.locator(f'[name="{prefix}-title"]').fill(point["title"])
    card.locator(f'[name="{prefix}-content"]').fill(point["content"])
    for factor, value in point["factors"].items():
        card.locator(f'label[for="id_{prefix}-{factor}_{value}"]').click()
    # The suggested grade follows the factors (htmx); the filer agrees with it.
    expect(card.locator(".suggestion-head")).to_have_text(
        re.compile(rf"建议等级\s*{point['grade']}")
    )
    card.locator(".grade-group label", has_text=point["grade"]).click()
    for line, text in point["measures"].items():
        add_measure(card, line, text)
    # The heading follows the title as it is typed.
    expect(card.locator("[data-point-heading]")).to_have_text(point["title"])


def add_measure(card, line, text):
    label = {"prevention": "前期预防", "monitoring": "中期监控", "handling": "后期处置"}[line]
    items = card.locator(f'[data-line="{line}"] [data-measure]')
    before = items.count()
    card.get_by_role("button", name=f"添加{label}措施").click()
    expect(items).to_have_count(before + 1)
    items.last.locator("textarea").fill(text)


def sign_pledge(page):
    expect(page.get_by_role("heading", name="提交登记表并签署廉政承诺")).to_be_visible()
    expect(page.get_by_test_id("pledge")).not_to_be_empty()
    page.get_by_label("我已阅读并承诺").check()


def open_work_item(page, text):
    page.get_by_test_id("work-list").get_by_role("link", name=re.compile(re.escape(text))).click()


def test_filing_journey(site, sign_in, shot, tmp_path):
    org = risk_campaign()
    filing = org.filing
    title = f"{org.staff.full_name}的个人岗位风险点登记表"

    # The member of staff opens their filing from the home page ------------
    staff = sign_in(org.staff)
    expect(staff.get_by_test_id("work-list")).to_contain_text("填报个人岗位风险点登记表")
    shot(staff, "01-staff-home")
    open_work_item(staff, "填报个人岗位风险点登记表")
    expect(staff.get_by_role("heading", name=title)).to_be_visible()
    staff.get_by_test_id("edit").click()

    # … fills in two risk points (the second one added with the page's button)
    cards = point_cards(staff)
    expect(cards).to_have_count(1)  # a new filing starts with one blank point
    fill_point(cards.nth(0), FIRST)
    staff.get_by_role("button", name="添加风险点").click()
    expect(cards).to_have_count(2)
    fill_point(cards.nth(1), SECOND)
    expect(staff.locator("[data-point-count]")).to_have_text("（2）")
    shot(staff, "02-filing-form-filled")

    # … saves the draft
    staff.get_by_test_id("save").click()
    expect(staff.locator(".app-messages")).to_contain_text("草稿已保存。")
    expect(cards).to_have_count(2)
    expect(cards.nth(0).locator("[data-point-heading]")).to_have_text(FIRST["title"])
    expect(cards.nth(1).locator("[data-point-heading]")).to_have_text(SECOND["title"])
    shot(staff, "03-draft-saved")
    filing.refresh_from_db()
    assert filing.status == Filing.Status.DRAFT
    points = list(filing.risk_points.order_by("position"))
    assert [p.title for p in points] == [FIRST["title"], SECOND["title"]]
    assert [p.self_grade.label for p in points] == [FIRST["grade"], SECOND["grade"]]
    assert [p.category.name for p in points] == [FIRST["category"], SECOND["category"]]
    assert [p.measures.count() for p in points] == [1, 1]
    assert (points[0].harm, points[0].money, points[1].frequency) == (2, 3, 2)

    # … and submits it: the pledge page, tick, confirm
    staff.get_by_test_id("submit").click()
    sign_pledge(staff)
    shot(staff, "04-pledge")
    staff.get_by_test_id("sign").click()
    expect(staff.locator(".app-messages")).to_contain_text("登记表已提交，廉政承诺已签署")
    expect(
        staff.get_by_role("status").filter(has_text="正在第 1 步：科室负责人审核")
    ).to_be_visible()
    shot(staff, "05-submitted")

    # The section head returns it with a reason -------------------------------
    head = sign_in(org.head)
    open_work_item(head, title)
    head.get_by_test_id("review").click()
    expect(head.get_by_test_id("step-info")).to_contain_text("第 1 步（共 2 步）：科室负责人审核")
    head.get_by_label("意见 / 退回理由").fill(RETURN_REASON)
    shot(head, "06-head-review")
    head.get_by_test_id("return").click()  # confirmed in the dialog
    expect(head.locator(".app-messages")).to_contain_text("已退回")
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RETURNED

    # The member of staff sees the reason, fixes the filing and resubmits ---
    staff.goto(f"{site.url}/")
    open_work_item(staff, "修改被退回的登记表")
    expect(staff.get_by_test_id("timeline")).to_contain_text(f"退回理由：{RETURN_REASON}")
    shot(staff, "07-staff-sees-reason")
    staff.get_by_test_id("edit").click()
    expect(staff.get_by_role("status").filter(has_text="登记表已被退回")).to_be_visible()
    add_measure(cards.nth(1), "monitoring", FIX)
    staff.get_by_test_id("save").click()
    expect(staff.locator(".app-messages")).to_contain_text("草稿已保存。")
    expect(cards.nth(1).locator('[data-line="monitoring"] textarea')).to_have_value(FIX)
    staff.get_by_test_id("submit").click()
    sign_pledge(staff)
    staff.get_by_test_id("sign").click()
    expect(staff.locator(".app-messages")).to_contain_text("登记表已提交")

    # The head approves and raises the first point's grade ---------------------
    head.goto(f"{site.url}/")
    open_work_item(head, title)
    head.get_by_test_id("review").click()
    rows = head.locator("[data-review-row]")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text(FIX)
    rows.nth(0).locator("select[data-review-grade]").select_option(label="高")
    head.get_by_label("意见 / 退回理由").fill("已补充监控措施。政策兑现涉及资金，等级上调为高。")
    shot(head, "08-head-approves-and-grades")
    head.get_by_test_id("approve").click()
    expect(head.locator(".app-messages")).to_contain_text("已同意")

    # The office (the leading-group step) fixes the final grades -------------
    office = sign_in(org.office)
    open_work_item(office, title)
    office.get_by_test_id("review").click()
    expect(office.get_by_test_id("step-info")).to_contain_text("第 2 步（共 2 步）：领导小组审核")
    expect(office.get_by_test_id("step-info")).to_contain_text("评定等级")
    # The head's grades are the defaults of the final grading.
    rows = office.locator("[data-review-row]")
    expect(rows.nth(0).locator("select[data-review-grade] option:checked")).to_have_text("高")
    expect(rows.nth(1).locator("select[data-review-grade] option:checked")).to_have_text("低")
    office.get_by_label("意见 / 退回理由").fill("领导小组研究同意。")
    shot(office, "09-office-final-grade")
    office.get_by_test_id("approve").click()
    expect(office.locator(".app-messages")).to_contain_text("已同意")
    filing.refresh_from_db()
    assert filing.status == Filing.Status.APPROVED
    assert [p.final_grade.label for p in filing.risk_points.order_by("position")] == ["高", "低"]

    staff.goto(f"{site.url}{filing.get_absolute_url()}")
    expect(staff.get_by_test_id("grades").first).to_contain_text("高")
    # The whole record, oldest first: the returned round (its last step never
    # reached) before the second submission.
    expect(staff.get_by_test_id("timeline").locator(":scope > li")).to_have_text(
        [
            re.compile("提交了.*（第 1 次）", re.S),
            re.compile(f"第 1 轮 · 第 1 步：科室负责人.*退回理由：{RETURN_REASON}", re.S),
            re.compile("第 1 轮 · 第 2 步：领导小组.*已退回，本轮未到达", re.S),
            re.compile("提交了.*（第 2 次）", re.S),
            re.compile("第 2 轮 · 第 1 步：科室负责人.*等级上调为高", re.S),
            re.compile("第 2 轮 · 第 2 步：领导小组.*领导小组研究同意。", re.S),
        ]
    )
    shot(staff, "10-filing-approved")

    # The dashboard counts it --------------------------------------------------
    office.goto(f"{site.url}/campaigns/{org.campaign.pk}/dashboard/")
    progress = office.locator('[data-risk-panel="risks_progress"]')
    expect(progress).to_contain_text("已审定 1 人")
    section_row = office.get_by_test_id("distribution-sections").locator("tr", has_text="招商一科")
    # 招商一科: two points, one 高, none 中, one 低, none ungraded.
    expect(section_row.locator("td")).to_have_text(["招商一科", "2", "1", "0", "1", "0"])
    shot(office, "11-dashboard")

    # An auditor downloads the register from the export centre -----------------
    auditor = sign_in(org.auditor)
    auditor.locator("nav.app-navbar").get_by_role("link", name="导出中心").click()
    expect(auditor.get_by_role("heading", name="导出中心")).to_be_visible()
    auditor.get_by_label("风险点和等级目录汇总表").check()
    shot(auditor, "12-export-centre")
    with auditor.expect_download() as info:
        auditor.get_by_test_id("export-submit").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    sheet = load_workbook(path).worksheets[0]
    assert sheet["A1"].value == f"{UNIT_NAME}风险点和等级目录汇总表"
    assert CAMPAIGN_TITLE in sheet["A2"].value
    rows_by_title = {row[5]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    first = rows_by_title[FIRST["title"]]
    # 序号, 科室, 岗位, 姓名, 风险类别, 风险点, 内容, 等级, 三道防线, 科室负责人, 分管领导
    assert first[1:8] == (
        "招商一科",
        "政策兑现经办",
        org.staff.full_name,
        FIRST["category"],
        FIRST["title"],
        FIRST["content"],
        "高",
    )
    assert "双人审核" in first[8]
    assert first[11] == org.head.full_name
    second = rows_by_title[SECOND["title"]]
    assert second[7] == "低" and FIX in second[9]
