"""What the printed page needs beyond the writer's own tests: data rows tall
enough for their wrapped text in every office suite, and a register that
stays one page wide."""

from io import BytesIO

from openpyxl import load_workbook

from campaign import exports

from .conftest import add_point


def register(org):
    buffer = BytesIO()
    exports.get("register").write(buffer, org.campaign, org.office)
    return load_workbook(BytesIO(buffer.getvalue())).worksheets[0]


def row_of(ws, title):
    return next(row[0].row for row in ws.iter_rows(min_row=5) if row[5].value == title)


def test_rows_with_long_text_are_given_the_height_it_needs(org):
    long = "在项目审核中可能接受申请人宴请、礼金，或为关系企业违规提供便利。" * 4
    add_point(
        org.section_filing,
        category=org.categories[0],
        grade=org.levels[2],
        title="长文本",
        content=long,
    )
    add_point(
        org.section_filing,
        category=org.categories[0],
        grade=org.levels[2],
        title="短",
        content="短",
    )
    ws = register(org)
    tall = ws.row_dimensions[row_of(ws, "长文本")].height
    # 26 units wide, two units a character: about 13 characters a line.
    assert tall and tall >= 10 * 11 * 1.35
    assert ws.row_dimensions[row_of(ws, "短")].height is None


def test_the_register_fits_one_page_wide_in_landscape(org):
    ws = register(org)
    widths = sum(ws.column_dimensions[letter].width for letter in "ABCDEFGHIJKLM")
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    # At more than about twice a landscape page's width the print gets too small to read.
    assert widths < 2 * 125
