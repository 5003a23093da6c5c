"""The personal table (one sheet per person), and the section and unit
tables of the same shape: header block, points, measures in three lines,
pledge, review opinions and sign-off lines."""

from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from campaign import exports

from .conftest import UNIT_NAME, merged, rows_of

HEADER = [
    "序号",
    "风险类别",
    "风险点",
    "风险内容及表现形式",
    "自评等级",
    "评定等级",
    "防控措施",
    None,
    None,
]
FIRST_DATA_ROW = 6  # title, subtitle, header block, two header rows


def export(key, campaign, user, section=None):
    buffer = BytesIO()
    exports.get(key).write(buffer, campaign, user, section)
    return load_workbook(BytesIO(buffer.getvalue()))


def footer(ws, points):
    return [row[0] for row in rows_of(ws, FIRST_DATA_ROW + points)]


def test_a_section_gives_one_sheet_per_person_named_after_them(org):
    workbook = export("personal", org.campaign, org.office, org.zs1)
    assert workbook.sheetnames == ["石向东", "贺文涛", "邵一帆"]


def test_the_whole_unit_starts_with_the_leadership_team(org):
    workbook = export("personal", org.campaign, org.office)
    assert workbook.sheetnames[0] == "卫明远"
    assert {"石向东", "贺文涛", "邵一帆", "钱少峰"} <= set(workbook.sheetnames)


def test_personal_sheet_layout(org):
    ws = export("personal", org.campaign, org.office, org.zs1)["贺文涛"]
    assert ws["A1"].value == f"{UNIT_NAME}个人岗位廉政风险点识别及防控措施表"
    assert [ws.cell(3, column).value for column in (1, 4, 6, 8)] == [
        "姓名：贺文涛",
        "科室：招商一科",
        "岗位：政策兑现经办",
        "职级：一般干部",
    ]
    assert [cell.value for cell in ws[4]] == HEADER
    assert [cell.value for cell in ws[5]][6:] == ["前期预防", "中期监控", "后期处置"]
    assert {"A1:I1", "G4:I4", "A4:A5", "E4:E5", "F4:F5"} <= merged(ws)
    assert ws.print_title_rows == "$4:$5"
    assert ws.page_setup.orientation == "landscape"
    assert ws.freeze_panes == "A6"


def test_personal_rows_show_both_grades_and_three_lines_of_measures(org):
    ws = export("personal", org.campaign, org.office, org.zs1)["贺文涛"]
    first, second = rows_of(ws, FIRST_DATA_ROW)[:2]
    assert first == [
        1,
        "岗位职责",
        "扶持资金审核把关不严",
        "对申报材料审核不严，为关系企业多报多拨扶持资金。",
        "高",
        "高",
        "严格执行申报材料清单和双人审核",
        "资金拨付前在单位内部公示",
        "发现违规拨付的及时追回并追责",
    ]
    assert second[0] == 2 and second[6] == "第一条措施\n第二条措施"
    high = org.levels[1]
    assert ws.cell(FIRST_DATA_ROW, 6).fill.fgColor.rgb == "FF" + high.colour[1:].upper()


def test_pledge_addressee_review_opinions_and_sign_off_at_the_foot(org):
    org.filing.refresh_from_db()
    ws = export("personal", org.campaign, org.office, org.zs1)["贺文涛"]
    pledge, addressee, reviews, *signers = footer(ws, 2)
    assert pledge.startswith("廉政承诺：本人已对照岗位职责查找了本岗位的廉政风险点")
    assert "承诺重点防控以下风险点：扶持资金审核把关不严" in pledge
    signed = timezone.localtime(org.filing.pledge_signed_at).strftime("%Y-%m-%d %H:%M")
    assert addressee == f"承诺对象：科室负责人石向东　　签署时间：{signed}"
    today = timezone.localdate().isoformat()
    lines = reviews.split("\n")
    assert lines[0] == "审核意见："
    assert lines[1] == f"科室负责人（石向东）：同意。同意，措施具体可行　{today}"
    assert lines[2].startswith("领导小组（") and lines[2].endswith(f"同意。同意定级　{today}")
    assert [line.split("（")[0] for line in signers] == ["填报人", "科室负责人", "领导小组"]
    assert all("日期：" in line for line in signers)
    # The long pledge gets a taller row: Excel does not fit merged rows itself.
    pledge_row = FIRST_DATA_ROW + 2
    assert ws.row_dimensions[pledge_row].height > ws.row_dimensions[pledge_row + 3].height


def test_a_filing_never_submitted_says_so(org):
    ws = export("personal", org.campaign, org.office, org.zs1)["邵一帆"]
    pledge, addressee, reviews, *_signers = footer(ws, 1)
    assert pledge == "廉政承诺：（尚未签署廉政承诺）"
    assert addressee == "承诺对象：—　　签署时间：—"
    assert reviews == "审核意见：（尚无审核记录）"


def test_a_middle_cadre_signs_with_the_supervising_leader(org):
    ws = export("personal", org.campaign, org.office, org.zs1)["石向东"]
    signers = footer(ws, 0)[3:]
    assert [line.split("（")[0] for line in signers] == ["填报人", "分管领导", "领导小组"]
    assert ws.cell(3, 8).value == "职级：中层干部"


def test_an_auditor_gets_only_approved_personal_filings(org):
    workbook = export("personal", org.campaign, org.auditor, org.zs1)
    assert workbook.sheetnames == ["贺文涛"]


def test_nobody_in_scope_is_refused_up_front(org):
    with pytest.raises(exports.NothingToExport):
        export("personal", org.campaign, org.auditor, org.office_section)


def test_section_table(org):
    workbook = export("section", org.campaign, org.office, org.zs1)
    ws = workbook["招商一科"]
    assert ws["A1"].value == f"{UNIT_NAME}科室（部门）廉政风险点识别及防控措施表"
    assert [ws.cell(3, column).value for column in (1, 4, 6, 8)] == [
        "科室：招商一科",
        "科室负责人：石向东",
        "分管领导：孔晓岚",
        "集体研究日期：",
    ]
    assert rows_of(ws, FIRST_DATA_ROW)[0][:3] == [1, "业务流程", "项目准入集体研究流于形式"]
    signers = footer(ws, 1)[3:]
    assert [line.split("（")[0] for line in signers] == ["科室负责人", "分管领导", "领导小组"]


def test_section_table_for_the_whole_unit_has_a_sheet_per_section(org):
    workbook = export("section", org.campaign, org.office)
    assert {"办公室", "招商一科"} <= set(workbook.sheetnames)


def test_unit_table(org):
    workbook = export("unit", org.campaign, org.office)
    assert workbook.sheetnames == ["单位（领导班子）"]
    ws = workbook.worksheets[0]
    assert ws["A1"].value == f"{UNIT_NAME}单位（领导班子）廉政风险点识别及防控措施表"
    assert ws.cell(3, 1).value == f"单位：{UNIT_NAME}"
    assert ws.cell(3, 4).value == "党委（党组）书记：卫明远"
    assert rows_of(ws, FIRST_DATA_ROW)[0][2] == "“三重一大”决策程序执行不到位"
    signers = footer(ws, 1)[3:]
    assert [line.split("（")[0] for line in signers] == ["领导小组办公室", "党委"]
