"""The unit-wide register (风险点和等级目录汇总表) as an auditor prints it."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from campaign import exports
from risks.models import Filing, Measure
from tests.factories import FilingFactory, MeasureFactory, RiskPointFactory, UserFactory

from .conftest import CAMPAIGN_TITLE, UNIT_NAME, add_point, merged, rows_of

HEADER = [
    "序号",
    "科室",
    "岗位",
    "姓名",
    "风险类别",
    "风险点",
    "风险内容及表现形式",
    "风险等级",
    "防控措施",
    None,
    None,
    "科室负责人",
    "分管领导",
]
FIRST_DATA_ROW = 5  # title, subtitle, two header rows


def export_register(campaign, user, section=None, write_only=True):
    buffer = BytesIO()
    exports.get("register").write(buffer, campaign, user, section)
    return load_workbook(BytesIO(buffer.getvalue())).worksheets[0]


def test_title_subtitle_and_grouped_header(org):
    ws = export_register(org.campaign, org.office)
    assert ws.title == "风险点和等级目录汇总表"
    assert ws["A1"].value == f"{UNIT_NAME}风险点和等级目录汇总表"
    assert ws["A2"].value.startswith(f"单位：{UNIT_NAME}　　活动：{CAMPAIGN_TITLE}　　导出时间：")
    assert [cell.value for cell in ws[3]] == HEADER
    assert [cell.value for cell in ws[4]][8:11] == ["前期预防", "中期监控", "后期处置"]
    assert {"A1:M1", "A2:M2", "I3:K3", "A3:A4", "F3:F4", "L3:L4", "M3:M4"} <= merged(ws)


def test_prints_a4_landscape_with_repeated_header_and_export_time(org):
    ws = export_register(org.campaign, org.office)
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$4"
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
    assert ws.oddFooter.right.text.startswith("导出时间：")
    assert ws.oddFooter.center.text == "第 &P 页 / 共 &N 页"


def test_rows_carry_section_post_person_grade_measures_and_who_is_responsible(org):
    ws = export_register(org.campaign, org.office)
    rows = rows_of(ws, FIRST_DATA_ROW)
    by_title = {row[5]: row for row in rows}
    assert by_title["扶持资金审核把关不严"] == [
        by_title["扶持资金审核把关不严"][0],
        "招商一科",
        "政策兑现经办",
        "贺文涛",
        "岗位职责",
        "扶持资金审核把关不严",
        "对申报材料审核不严，为关系企业多报多拨扶持资金。",
        "高",
        "严格执行申报材料清单和双人审核",
        "资金拨付前在单位内部公示",
        "发现违规拨付的及时追回并追责",
        "石向东",
        "孔晓岚",
    ]
    # Two measures of one line share a cell, one per line.
    assert by_title['=HYPERLINK("http://x")'][8] == "第一条措施\n第二条措施"
    # The section's own filing: no post or person, same responsible people.
    section_row = by_title["项目准入集体研究流于形式"]
    assert section_row[1:4] == ["招商一科", None, None]
    assert section_row[11:] == ["石向东", "孔晓岚"]
    # The unit and the leadership team: answerable to the party secretary.
    unit_row = by_title["“三重一大”决策程序执行不到位"]
    assert unit_row[1:4] == ["单位（领导班子）", None, None]
    assert unit_row[11:] == [None, "卫明远"]
    assert by_title["干预具体业务"][3] == "卫明远"


def test_rows_are_numbered_and_ordered_unit_first_then_sections(org):
    rows = rows_of(export_register(org.campaign, org.office), FIRST_DATA_ROW)
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    assert [row[5] for row in rows] == [
        "“三重一大”决策程序执行不到位",
        "干预具体业务",
        "项目准入集体研究流于形式",
        "扶持资金审核把关不严",
        '=HYPERLINK("http://x")',
        "草稿中的风险点",
    ]


def test_grades_are_filled_with_the_campaigns_colours(org):
    ws = export_register(org.campaign, org.office)
    high = org.levels[1]
    cell = next(
        row[7] for row in ws.iter_rows(min_row=FIRST_DATA_ROW) if row[7].value == high.label
    )
    assert cell.fill.fgColor.rgb == "FF" + high.colour[1:].upper()
    assert cell.border.left.style == "thin"
    assert ws.cell(FIRST_DATA_ROW, 7).alignment.wrap_text


def test_an_auditors_register_holds_only_approved_filings(org):
    rows = rows_of(export_register(org.campaign, org.auditor), FIRST_DATA_ROW)
    titles = [row[5] for row in rows]
    assert "草稿中的风险点" not in titles
    assert "扶持资金审核把关不严" in titles
    approved = set(
        Filing.objects.filter(campaign=org.campaign, status=Filing.Status.APPROVED).values_list(
            "risk_points__title", flat=True
        )
    )
    assert set(titles) <= approved


def test_one_section(org):
    rows = rows_of(export_register(org.campaign, org.office, section=org.zs1), FIRST_DATA_ROW)
    assert {row[1] for row in rows} == {"招商一科"}
    assert len(rows) == 4


def _points(campaign, section, count):
    person = UserFactory(section=section)
    filing = FilingFactory(campaign=campaign, owner=person)
    filing.status = Filing.Status.APPROVED
    filing.save(update_fields=["status"])
    for _index in range(count):
        point = RiskPointFactory(filing=filing)
        MeasureFactory(risk_point=point, line=Measure.Line.PREVENTION)
        MeasureFactory(risk_point=point, line=Measure.Line.HANDLING)


def _queries(campaign, user):
    with CaptureQueriesContext(connection) as captured:
        buffer = BytesIO()
        exports.get("register").write(buffer, campaign, user)
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["office", "auditor"])
def test_the_number_of_queries_does_not_grow_with_the_rows(org, who):
    user = getattr(org, who)
    _points(org.campaign, org.office_section, 10)
    _queries(org.campaign, user)  # the person's standing is looked up once, then cached
    few = _queries(org.campaign, user)
    _points(org.campaign, org.office_section, 90)
    many = _queries(org.campaign, user)
    assert few == many
    assert many <= 12


def test_every_point_of_a_large_register_is_written(org):
    _points(org.campaign, org.office_section, 150)
    ws = export_register(org.campaign, org.office)
    rows = rows_of(ws, FIRST_DATA_ROW)
    assert len(rows) == 6 + 150
    assert rows[-1][0] == 156


def test_control_characters_do_not_break_the_workbook(org):
    add_point(
        org.section_filing, category=org.categories[0], grade=org.levels[3], title="含\x0b控制符"
    )
    rows = rows_of(export_register(org.campaign, org.office), FIRST_DATA_ROW)
    assert "含控制符" in [row[5] for row in rows]
