"""The Excel writer, checked by reading every produced file back with openpyxl.

Layout tests run in both openpyxl modes: write-only mode serialises parts of
a sheet at different moments, and the printed result must not depend on it.
"""

from datetime import date, datetime
from io import BytesIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.http import HttpResponse
from openpyxl import Workbook, load_workbook

from campaign.tables import Column, ExportContext, Table
from campaign.xlsx import build_workbook, save_to_bytes, unique_sheet_title, write_xlsx

TZ = ZoneInfo("Asia/Shanghai")
EXPORTED_AT = datetime(2025, 3, 14, 9, 5, tzinfo=TZ)
GRADES = {"高": "#C00000", "中": "#FFC000", "低": "#00B050"}
UNIT = "江川区投资促进办公室"
CAMPAIGN = "2025年度廉政风险防控"
PLEDGE = (
    "本人承诺：以上填报的岗位职责、风险点及防控措施真实准确，"
    "将严格按照措施要求履职尽责，自觉接受组织和群众监督。" * 3
)
SIGN_OFF = "填表人（签名）：            日期：    年  月  日"

PERSONAL = Table(
    key="personal",
    title="{unit}{campaign}个人廉政风险点登记表",
    columns=[
        Column("index", "序号", width=6, kind="number"),
        Column("duty", "岗位职责", width=24),
        Column("risk", "风险点描述", width=30),
        Column("grade", "风险等级", width=8, kind="grade"),
        Column("before", "前期预防", width=20, group="防控措施"),
        Column("during", "中期监控", width=20, group="防控措施"),
        Column("after", "后期处置", width=20, group="防控措施"),
        Column("found_on", "排查日期", width=12, kind="date", wrap=False),
    ],
    header_block=lambda context: [
        ("姓名", context.extra["name"]),
        ("科室", "招商一科"),
        ("岗位", "科员"),
        ("职级", "一级科员"),
    ],
    footer_lines=lambda context: [context.extra["pledge"], SIGN_OFF],
    note="注：风险等级分为高、中、低三级。",
)

# Rows of PERSONAL: 1 title, 2 subtitle, 3 header block, 4-5 header, 6… data.
FIRST_DATA_ROW = 6


def risk(index, **fields):
    return {
        "index": index,
        "duty": "负责招商项目洽谈和协议起草",
        "risk": "在项目洽谈中泄露底价，或为亲友企业谋取利益",
        "grade": "高",
        "before": "严格执行保密制度",
        "during": "重大洽谈两人以上参加",
        "after": "发现问题及时报告纪检组",
        "found_on": date(2025, 3, 1),
        **fields,
    }


def context(**changes):
    values = {
        "unit_name": UNIT,
        "campaign_title": CAMPAIGN,
        "exported_at": EXPORTED_AT,
        "grade_colours": GRADES,
        "extra": {"name": "张三", "pledge": PLEDGE},
    }
    return ExportContext(**(values | changes))


def export(table, rows, write_only=False, **context_changes):
    """The first sheet of the exported file, as openpyxl reads it back."""
    data = save_to_bytes([(table, rows, context(**context_changes))], write_only=write_only)
    return load_workbook(BytesIO(data)).worksheets[0]


def merged(ws):
    return {str(cell_range) for cell_range in ws.merged_cells.ranges}


@pytest.fixture(params=[False, True], ids=["normal", "write-only"])
def write_only(request):
    return request.param


@pytest.fixture
def personal(write_only):
    rows = [risk(1), risk(2, grade="中", risk='=HYPERLINK("http://x")', found_on=None)]
    return export(PERSONAL, iter(rows), write_only=write_only)


def test_title_is_bold_centred_and_merged_across_the_table(personal):
    assert personal["A1"].value == f"{UNIT}{CAMPAIGN}个人廉政风险点登记表"
    assert "A1:H1" in merged(personal)
    assert personal["A1"].font.b
    assert personal["A1"].font.sz == 16
    assert personal["A1"].alignment.horizontal == "center"


def test_subtitle_names_unit_campaign_and_export_time(personal):
    subtitle = personal["A2"].value
    assert subtitle == f"单位：{UNIT}　　活动：{CAMPAIGN}　　导出时间：2025-03-14 09:05"
    assert "A2:H2" in merged(personal)
    assert personal["A2"].alignment.horizontal == "left"


def test_header_block_renders_label_value_slots(personal):
    assert [personal.cell(3, column).value for column in (1, 3, 5, 7)] == [
        "姓名：张三",
        "科室：招商一科",
        "岗位：科员",
        "职级：一级科员",
    ]
    assert {"A3:B3", "C3:D3", "E3:F3", "G3:H3"} <= merged(personal)


def test_grouped_headers_merge_across_and_ungrouped_headers_merge_down(personal):
    assert [cell.value for cell in personal[4]] == [
        "序号",
        "岗位职责",
        "风险点描述",
        "风险等级",
        "防控措施",
        None,
        None,
        "排查日期",
    ]
    assert [cell.value for cell in personal[5]][4:7] == ["前期预防", "中期监控", "后期处置"]
    assert {"E4:G4", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "H4:H5"} <= merged(personal)
    header = personal["E5"]
    assert header.font.b
    assert header.fill.fgColor.rgb == "FFD9D9D9"
    assert header.alignment.horizontal == "center"
    assert header.alignment.wrap_text


def test_every_header_cell_has_borders_even_inside_merged_ranges(write_only):
    data = save_to_bytes([(PERSONAL, [risk(1)], context())], write_only=write_only)
    # Read-only mode shows the cells as stored, without openpyxl's merge handling.
    ws = load_workbook(BytesIO(data), read_only=True).worksheets[0]
    for row in ws.iter_rows(min_row=4, max_row=5, max_col=8):
        for cell in row:
            sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
            assert [side.style for side in sides] == ["thin"] * 4, cell.coordinate


def test_a_table_without_groups_has_one_header_row():
    table = Table("list", "风险点一览表", [Column("name", "姓名"), Column("risk", "风险点")])
    ws = export(table, [{"name": "李四", "risk": "虚报冒领"}])
    assert [cell.value for cell in ws[3]] == ["姓名", "风险点"]
    assert ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == "A4"
    assert ws["A4"].value == "李四"
    assert merged(ws) == {"A1:B1", "A2:B2"}


def test_prints_a4_landscape_one_page_wide_and_centred(personal):
    setup = personal.page_setup
    assert setup.orientation == "landscape"
    assert setup.paperSize == 9
    assert setup.fitToWidth == 1
    assert setup.fitToHeight == 0
    assert personal.sheet_properties.pageSetUpPr.fitToPage
    assert personal.print_options.horizontalCentered
    assert personal.page_margins.left == pytest.approx(0.4)


def test_portrait_when_the_table_says_so():
    table = Table("summary", "汇总表", [Column("name", "科室")], orientation="portrait")
    assert export(table, []).page_setup.orientation == "portrait"


def test_header_rows_repeat_on_every_page_and_the_sheet_freezes_below_them(personal):
    assert personal.print_title_rows == "$4:$5"
    assert personal.freeze_panes == f"A{FIRST_DATA_ROW}"


def test_page_footer_numbers_pages_and_shows_export_time(personal):
    assert personal.oddFooter.center.text == "第 &P 页 / 共 &N 页"
    assert personal.oddFooter.right.text == "导出时间：2025-03-14 09:05"


def test_column_widths_come_from_the_definition(personal):
    widths = [personal.column_dimensions[letter].width for letter in "ABCDEFGH"]
    assert widths == [6, 24, 30, 8, 20, 20, 20, 12]


def test_data_row_values_and_formats(personal):
    row = [cell.value for cell in personal[FIRST_DATA_ROW]]
    assert row == [
        1,
        "负责招商项目洽谈和协议起草",
        "在项目洽谈中泄露底价，或为亲友企业谋取利益",
        "高",
        "严格执行保密制度",
        "重大洽谈两人以上参加",
        "发现问题及时报告纪检组",
        datetime(2025, 3, 1),
    ]
    date_cell = personal.cell(FIRST_DATA_ROW, 8)
    assert date_cell.number_format == "yyyy-mm-dd"
    assert not date_cell.alignment.wrap_text
    text_cell = personal.cell(FIRST_DATA_ROW, 3)
    assert text_cell.alignment.wrap_text
    assert text_cell.alignment.vertical == "top"
    assert text_cell.border.left.style == text_cell.border.bottom.style == "thin"
    # None is an empty cell, still bordered like the rest of the row.
    empty = personal.cell(FIRST_DATA_ROW + 1, 8)
    assert empty.value is None
    assert empty.border.right.style == "thin"


def test_grade_cells_are_filled_with_their_colour_and_a_contrasting_font(write_only):
    rows = [risk(1, grade="高"), risk(2, grade="中"), risk(3, grade="待定")]
    ws = export(PERSONAL, rows, write_only=write_only)
    high, medium, unknown = (ws.cell(FIRST_DATA_ROW + i, 4) for i in range(3))
    assert high.fill.fgColor.rgb == "FFC00000"
    assert high.font.color.rgb == "FFFFFFFF"
    assert medium.fill.fgColor.rgb == "FFFFC000"
    assert medium.font.color.rgb == "FF000000"
    assert unknown.fill.fill_type is None


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil.example","点击")', "+1+1", "-2+3", "@SUM(A1:A2)", "#N/A"]
)
def test_text_that_looks_like_a_formula_stays_text(write_only, text):
    ws = export(PERSONAL, [risk(1, risk=text)], write_only=write_only)
    cell = ws.cell(FIRST_DATA_ROW, 3)
    assert cell.value == text
    assert cell.data_type == "s"
    # Excel keeps it text even when someone edits the cell later.
    assert cell.quotePrefix == (text[0] in "=+-@")


def test_control_characters_pasted_from_word_are_dropped():
    ws = export(PERSONAL, [risk(1, risk="第一段\x0b第二段\x07")])
    assert ws.cell(FIRST_DATA_ROW, 3).value == "第一段第二段"


def test_note_and_sign_off_lines_follow_the_data(personal):
    after = FIRST_DATA_ROW + 2
    assert [personal.cell(row, 1).value for row in range(after, after + 3)] == [
        "注：风险等级分为高、中、低三级。",
        PLEDGE,
        SIGN_OFF,
    ]
    assert {f"A{row}:H{row}" for row in range(after, after + 3)} <= merged(personal)
    pledge = personal.cell(after + 1, 1)
    assert pledge.alignment.horizontal == "left"
    assert pledge.alignment.wrap_text
    # Excel does not grow merged rows to fit, so a long pledge gets a taller row.
    heights = personal.row_dimensions
    assert heights[after + 1].height > heights[after + 2].height


def test_aware_datetimes_are_shown_in_the_export_time_zone():
    table = Table("log", "日志", [Column("at", "时间", kind="datetime", width=18)])
    ws = export(table, [{"at": datetime(2025, 3, 13, 17, 30, tzinfo=ZoneInfo("UTC"))}])
    assert ws["A4"].value == datetime(2025, 3, 14, 1, 30)
    assert ws["A4"].number_format == "yyyy-mm-dd hh:mm"


def test_values_come_from_dotted_paths_and_callables():
    table = Table(
        "people",
        "人员名单",
        [
            Column("full_name", "姓名"),
            Column("section.name", "科室"),
            Column("leader", "是否领导", value=lambda person: person.post == "科长"),
        ],
    )
    people = [
        SimpleNamespace(full_name="王五", section=SimpleNamespace(name="办公室"), post="科长"),
        SimpleNamespace(full_name="赵六", section=None, post="科员"),
    ]
    ws = export(table, people)
    assert [[cell.value for cell in row] for row in ws.iter_rows(min_row=4)] == [
        ["王五", "办公室", "是"],
        ["赵六", None, "否"],
    ]


def test_write_only_mode_produces_the_same_workbook_as_normal_mode():
    def snapshot(write_only):
        rows = (risk(index) for index in range(1, 4))
        ws = export(PERSONAL, rows, write_only=write_only)
        return {
            "merged": merged(ws),
            "print_titles": ws.print_title_rows,
            "freeze": ws.freeze_panes,
            "values": [[cell.value for cell in row] for row in ws.iter_rows()],
            "styles": [[cell.style for cell in row] for row in ws.iter_rows()],
            "heights": {row: dim.height for row, dim in ws.row_dimensions.items()},
            "widths": {col: dim.width for col, dim in ws.column_dimensions.items()},
            "page": (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth),
            "footer": (ws.oddFooter.center.text, ws.oddFooter.right.text),
        }

    assert snapshot(write_only=True) == snapshot(write_only=False)


def test_write_only_mode_streams_thousands_of_rows():
    rows = (risk(index, grade="高中低"[index % 3]) for index in range(1, 5001))
    ws = export(PERSONAL, rows, write_only=True)
    last = FIRST_DATA_ROW + 4999
    assert ws.cell(last, 1).value == 5000
    assert ws.cell(last + 3, 1).value == SIGN_OFF


def test_sheet_titles_are_made_valid_and_unique():
    workbook = Workbook()
    assert unique_sheet_title(workbook, "纪检/监察:室[1]*?\\") == "纪检_监察_室_1____"
    assert unique_sheet_title(workbook, "'张三'") == "张三"
    assert unique_sheet_title(workbook, "") == "工作表"
    assert unique_sheet_title(workbook, "History") == "History(2)"
    assert unique_sheet_title(workbook, "sheet") == "sheet(2)"  # the default "Sheet"
    assert len(unique_sheet_title(workbook, "长" * 40)) == 31


def test_one_sheet_per_person_gets_distinct_sheet_names(write_only):
    long_name = "某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某"
    names = ["张三", "张三", "张三", long_name, long_name]
    sheets = [
        (PERSONAL, [risk(1)], context(extra={"name": name, "pledge": PLEDGE}), name)
        for name in names
    ]
    workbook = load_workbook(BytesIO(save_to_bytes(sheets, write_only=write_only)))
    assert workbook.sheetnames == [
        "张三",
        "张三(2)",
        "张三(3)",
        long_name[:31],
        long_name[:28] + "(2)",
    ]


def test_sheet_title_defaults_to_the_table_title():
    ws = export(PERSONAL, [])
    assert ws.title == f"{UNIT}{CAMPAIGN}个人廉政风险点登记表"[:31]


def test_writes_into_a_django_response():
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    write_xlsx(response, [(PERSONAL, [risk(1)], context())], write_only=True)
    ws = load_workbook(BytesIO(response.content)).worksheets[0]
    assert ws.cell(FIRST_DATA_ROW, 1).value == 1


def test_an_empty_export_is_refused():
    with pytest.raises(ValueError):
        build_workbook([])


@pytest.mark.parametrize(
    "make",
    [
        lambda: Column("x", "X", kind="money"),
        lambda: Column("x", "X", align="middle"),
        lambda: Table("t", "T", []),
        lambda: Table("t", "T", [Column("a", "A")], orientation="sideways"),
        lambda: Table(
            "t",
            "T",
            [Column("a", "A", group="G"), Column("b", "B"), Column("c", "C", group="G")],
        ),
        lambda: context(exported_at=datetime(2025, 3, 14, 9, 5)),
        lambda: context(grade_colours={"高": "red"}),
    ],
    ids=[
        "unknown kind",
        "unknown alignment",
        "no columns",
        "unknown orientation",
        "split group",
        "naive export time",
        "bad colour",
    ],
)
def test_definition_mistakes_fail_early(make):
    with pytest.raises(ValueError):
        make()
