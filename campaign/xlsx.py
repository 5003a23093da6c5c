"""Write the filing tables of :mod:`campaign.tables` to Excel, ready to print.

Every table gets the same layout: a title and a subtitle (unit, campaign,
export time) across the table, an optional block of facts, one or two header
rows repeated on every printed page, bordered data rows, then notes and
sign-off lines. Pages are A4, one page wide and as many long as needed.

The same code serves openpyxl's normal and write-only modes, so a 30,000-row
一览表 can stream from a queryset iterator without changing the layout.
Write-only mode dictates the order of work:

* sheet properties (fit to page), views (frozen panes) and column widths are
  serialised with the first row, so they are all set before any row;
* a row's height is serialised with the row, so it is set just before it;
* a write-only sheet has no ``merge_cells()``; merges are recorded on
  ``ws.merged_cells`` in both modes, and every position inside a merged range
  holds a styled cell, which is what Excel needs to print its borders.

Cells take their formatting from named styles registered once per workbook,
so each cell costs a name lookup rather than building fonts and borders.
"""

import re
import unicodedata
from collections.abc import Iterable
from copy import copy
from datetime import date, datetime, tzinfo
from decimal import Decimal
from io import BytesIO
from math import ceil
from typing import IO, Any, NamedTuple

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.page import PageMargins

from campaign.tables import Column, ExportContext, Table

SUBTITLE = _("单位：{unit}　　活动：{campaign}　　导出时间：{time}")
PAGE_NUMBER = _("第 &P 页 / 共 &N 页")
PAGE_EXPORTED_AT = _("导出时间：{time}")
BLOCK_ITEM = _("{label}：{value}")
YES = _("是")
NO = _("否")
DEFAULT_SHEET_TITLE = _("工作表")

PAPER_A4 = 9
MAX_CELL_TEXT = 32767  # Excel's limit; openpyxl truncates to it as well
MAX_SHEET_TITLE = 31
FONT_NAME = "宋体"
BODY_SIZE = 11
TITLE_SIZE = 16
SUBTITLE_SIZE = 10
PAGE_FOOTER_SIZE = 9
HEADER_FILL = "FFD9D9D9"
TIME_FORMAT = "%Y-%m-%d %H:%M"

# Pairs per row in the header block: enough to keep 姓名/科室/岗位/职级 on
# one line of a landscape page, few enough that each pair stays readable.
BLOCK_PAIRS_PER_ROW = 4

# Text a spreadsheet would take for a formula if typed or pasted (the OWASP
# list for CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_INVALID_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
# Excel reserves this name for its change-tracking sheet.
_RESERVED_SHEET_TITLE = "history"

_DEFAULT_ALIGNMENT = {
    "text": "left",
    "number": "right",
    "date": "center",
    "datetime": "center",
    "grade": "center",
}
_NUMBER_FORMATS = {
    # "@" keeps whatever a user later types into a text cell as text too.
    "text": "@",
    "grade": "@",
    "number": "General",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}

# Excel never fits row heights to merged cells, and the title, the header
# and the sign-off lines are all merged, so their heights are estimated:
# points per line of text at a given font size, plus padding. Data rows get
# an estimate too: Excel would fit their wrapped text on opening, but
# LibreOffice-based suites and a headless conversion to PDF print every
# row one line high, cutting the text off.
_LINE_SPACING = 1.35
_ROW_PADDING = 4

_THIN = Side(style="thin")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BODY_FONT = Font(name=FONT_NAME, size=BODY_SIZE)

# The fixed named styles, registered in a workbook the first time it is used.
_STYLES = {
    "lianfang-title": {
        "font": Font(name=FONT_NAME, size=TITLE_SIZE, bold=True),
        "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
    },
    "lianfang-subtitle": {
        "font": Font(name=FONT_NAME, size=SUBTITLE_SIZE),
        "alignment": Alignment(horizontal="left", vertical="center", wrap_text=True),
    },
    "lianfang-block": {
        "font": _BODY_FONT,
        "border": _GRID,
        "alignment": Alignment(horizontal="left", vertical="center", wrap_text=True),
    },
    "lianfang-header": {
        "font": Font(name=FONT_NAME, size=BODY_SIZE, bold=True),
        "fill": PatternFill("solid", fgColor=HEADER_FILL),
        "border": _GRID,
        "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
    },
    "lianfang-footer": {
        "font": _BODY_FONT,
        "alignment": Alignment(horizontal="left", vertical="top", wrap_text=True),
    },
}


class Sheet(NamedTuple):
    """One sheet of a workbook. Plain ``(table, rows, context[, title])``
    tuples are accepted wherever a Sheet is."""

    table: Table
    rows: Iterable[Any]
    context: ExportContext
    title: str | None = None


def build_workbook(sheets: Iterable[Sheet | tuple], write_only: bool = False) -> Workbook:
    """A workbook holding one sheet per entry of ``sheets``, in order.

    With ``write_only`` the rows stream straight to a temporary file, so
    ``rows`` may be a generator over any number of records; such a workbook
    can be saved exactly once.
    """
    workbook = Workbook(write_only=write_only)
    if not write_only:
        workbook.remove(workbook.active)
    for sheet in sheets:
        write_table(workbook, *Sheet(*sheet))
    if not workbook.sheetnames:
        raise ValueError("a workbook needs at least one sheet")
    return workbook


def write_xlsx(stream: IO[bytes], sheets: Iterable[Sheet | tuple], write_only: bool = False):
    """Write the workbook to a file-like object, such as a Django HttpResponse.

    The stream only needs ``write``: zip output falls back to data
    descriptors when it cannot seek.
    """
    build_workbook(sheets, write_only=write_only).save(stream)


def save_to_bytes(sheets: Iterable[Sheet | tuple], write_only: bool = False) -> bytes:
    buffer = BytesIO()
    write_xlsx(buffer, sheets, write_only=write_only)
    return buffer.getvalue()


def write_table(
    workbook: Workbook,
    table: Table,
    rows: Iterable[Any],
    context: ExportContext,
    sheet_title: str | None = None,
):
    """Add a sheet laid out for printing, fill it with ``rows`` and return it.

    ``rows`` is consumed once, lazily. The sheet is named ``sheet_title`` or
    else the table's title, made valid and unique in the workbook.
    """
    title = table.render_title(context)
    ws = workbook.create_sheet(unique_sheet_title(workbook, sheet_title or title))
    tz = context.exported_at.tzinfo
    block = _block_rows(table.header_pairs(context), len(table.columns), tz)
    # The header follows the title, the subtitle and the block. Its rows are
    # known before anything is written, as write-only mode needs.
    first_header_row = 3 + len(block)
    last_header_row = first_header_row + (1 if table.has_groups else 0)
    _set_up_page(ws, table, context, first_header_row, last_header_row)

    for name, attributes in _STYLES.items():
        _ensure_style(workbook, name, **attributes)
    sheet = _SheetWriter(ws, table.columns)
    sheet.line(title, "lianfang-title", TITLE_SIZE)
    sheet.line(_subtitle(context), "lianfang-subtitle", SUBTITLE_SIZE)
    sheet.block(block)
    sheet.header(table)
    styles = [_ColumnStyle.register(workbook, column, context) for column in table.columns]
    for row in rows:
        sheet.data(row, styles, tz)
    for text in ([table.note] if table.note else []) + table.render_footer(context):
        sheet.line(text, "lianfang-footer")
    return ws


def unique_sheet_title(workbook: Workbook, wanted: str) -> str:
    """``wanted`` made into a valid Excel sheet name not yet in ``workbook``.

    Excel allows 31 characters, none of []:*?/\\, no apostrophe at either
    end, and compares names case-insensitively; a clash gets "(2)", "(3)"…
    within the 31 characters, as for one sheet per person of the same name.
    """
    base = _INVALID_SHEET_CHARACTERS.sub("_", str(wanted)).strip().strip("'")
    base = base or str(DEFAULT_SHEET_TITLE)
    taken = {name.casefold() for name in workbook.sheetnames} | {_RESERVED_SHEET_TITLE}
    candidate, number = base[:MAX_SHEET_TITLE].rstrip("'"), 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f"({number})"
        candidate = base[: MAX_SHEET_TITLE - len(suffix)].rstrip("'") + suffix
    return candidate


def _set_up_page(ws, table: Table, context: ExportContext, first_header: int, last_header: int):
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.orientation = table.orientation
    # One page wide; 0 pages tall means "as many as the rows need".
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{first_header}:{last_header}"
    ws.freeze_panes = f"A{last_header + 1}"
    for index, column in enumerate(table.columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.oddFooter.center.text = str(PAGE_NUMBER)
    ws.oddFooter.center.size = PAGE_FOOTER_SIZE
    ws.oddFooter.right.text = str(PAGE_EXPORTED_AT).format(time=_exported_at(context))
    ws.oddFooter.right.size = PAGE_FOOTER_SIZE


def _subtitle(context: ExportContext) -> str:
    return str(SUBTITLE).format(
        unit=context.unit_name, campaign=context.campaign_title, time=_exported_at(context)
    )


def _exported_at(context: ExportContext) -> str:
    return context.exported_at.strftime(TIME_FORMAT)


class _ColumnStyle(NamedTuple):
    """The named style of a column's data cells, and for a grade column the
    style of each grade label that has a colour."""

    plain: str
    by_grade: dict[str, str]

    @classmethod
    def register(cls, workbook: Workbook, column: Column, context: ExportContext):
        by_grade = {}
        if column.kind == "grade":
            by_grade = {
                label: _data_style(workbook, column, colour)
                for label, colour in context.grade_colours.items()
            }
        return cls(_data_style(workbook, column), by_grade)

    def for_value(self, value: Any) -> str:
        return self.by_grade.get(value, self.plain)


def _data_style(workbook: Workbook, column: Column, colour: str | None = None) -> str:
    horizontal = column.align or _DEFAULT_ALIGNMENT[column.kind]
    name = f"lianfang-{column.kind}-{horizontal}" + ("-wrap" if column.wrap else "")
    font, fill = _BODY_FONT, PatternFill()
    if colour:
        rgb = colour[1:].upper()
        name += f"-{rgb}"
        font = Font(name=FONT_NAME, size=BODY_SIZE, color=_text_colour_on(rgb))
        fill = PatternFill("solid", fgColor=f"FF{rgb}")
    return _ensure_style(
        workbook,
        name,
        font=font,
        fill=fill,
        border=_GRID,
        alignment=Alignment(horizontal=horizontal, vertical="top", wrap_text=column.wrap),
        number_format=_NUMBER_FORMATS[column.kind],
    )


def _ensure_style(workbook: Workbook, name: str, **attributes) -> str:
    if name not in workbook.named_styles:
        workbook.add_named_style(NamedStyle(name=name, **attributes))
    return name


def _text_colour_on(rgb: str) -> str:
    """Black or white, whichever contrasts more with the background (WCAG 2)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(rgb[i : i + 2], 16)) for i in (0, 2, 4))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    white_contrast = 1.05 / (luminance + 0.05)
    black_contrast = (luminance + 0.05) / 0.05
    return "FFFFFFFF" if white_contrast > black_contrast else "FF000000"


def _place_cells(cells, row_index):
    for column, cell in enumerate(cells, 1):
        cell.column = column
        cell.row = row_index
        yield cell


class _SheetWriter:
    """Appends styled rows to one worksheet and records their merges."""

    def __init__(self, ws, columns: tuple[Column, ...]):
        self.ws = ws
        self.columns = columns
        self.widths = [column.width for column in columns]
        self._plain_keys = [
            column.key if column.value is None and "." not in column.key else None
            for column in columns
        ]
        self.row = 0  # the last row written
        self._style_arrays = {}
        # A write-only sheet serialises each cell as it is appended, so its
        # cells may share one style array; a normal sheet's cells stay
        # editable, so each gets its own.
        self._share_styles = bool(getattr(ws.parent, "write_only", False))
        if self._share_styles:
            # openpyxl's write-only append tries each value as a plain value
            # first and only takes a Cell after that fails: an exception and
            # a spare cell per styled cell. Every row here is a list of cells,
            # so it can be placed directly.
            ws._values_to_row = _place_cells

    def cell(self, value: Any, style: str) -> Cell:
        """A styled cell. Text reaching here has been through _clean()."""
        if value == "":
            value = None  # an empty cell rather than an empty string
        cell = Cell(self.ws, row=1, column=1)
        formula_like = False
        if isinstance(value, str):
            # What assigning ``cell.value`` does for text, minus the checks
            # _clean() has made, and always as text: openpyxl would store
            # "=…" as a formula and "#N/A" as an error; what people typed is
            # always shown as the text they typed.
            cell._value = value[:MAX_CELL_TEXT]
            cell.data_type = "s"
            formula_like = value.startswith(FORMULA_TRIGGERS)
        elif value is not None:
            cell.value = value
        # What ``cell.style = style`` does, without looking the named style
        # up by name for every cell: large tables spent most of their time
        # there.
        array = self._style_array(style)
        cell._style = array if self._share_styles and not formula_like else copy(array)
        if formula_like:
            # As if typed with a leading apostrophe: editing the cell in
            # Excel later does not turn it into a formula either.
            cell.quotePrefix = True
        return cell

    def _style_array(self, name: str):
        array = self._style_arrays.get(name)
        if array is None:
            named = self.ws.parent._named_styles[name]
            array = self._style_arrays[name] = named.as_tuple()
        return array

    def append(self, cells: list[Cell], height: float | None = None):
        self.row += 1
        if height is not None:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(cells)
        if height is not None and self._share_styles:
            # Written with the row already; keeping it would grow memory
            # with every row of a 30,000-row table.
            del self.ws.row_dimensions[self.row]

    def merge(self, first_column: int, last_column: int, first_row: int, last_row: int):
        if (first_column, first_row) != (last_column, last_row):
            self.ws.merged_cells.add(
                CellRange(
                    min_col=first_column, min_row=first_row, max_col=last_column, max_row=last_row
                )
            )

    def span(self, first_column: int, last_column: int) -> float:
        return sum(self.widths[first_column - 1 : last_column])

    def line(self, text: str, style: str, size: int = BODY_SIZE):
        """A line of unbordered text merged across the whole table."""
        text = _clean(text)
        lines = _line_count(text, self.span(1, len(self.widths)), size)
        self.append([self.cell(text, style)], _height(lines, size))
        self.merge(1, len(self.widths), self.row, self.row)

    def block(self, rows: list[list[str]]):
        """The header block: one bordered, merged slot per "label：value"."""
        for texts in rows:
            slots = _slots(len(self.widths), len(texts))
            cells, lines = [], 1
            for (first, last), text in zip(slots, texts, strict=True):
                cells.append(self.cell(text, "lianfang-block"))
                cells.extend(self.cell(None, "lianfang-block") for _ in range(first, last))
                lines = max(lines, _line_count(text, self.span(first, last)))
            self.append(cells, _height(lines))
            for first, last in slots:
                self.merge(first, last, self.row, self.row)

    def header(self, table: Table):
        if table.has_groups:
            self._two_row_header(table)
            return
        headers = [_clean(column.header) for column in self.columns]
        lines = max(
            _line_count(text, width) for text, width in zip(headers, self.widths, strict=True)
        )
        self.append([self.cell(text, "lianfang-header") for text in headers], _height(lines))

    def _two_row_header(self, table: Table):
        """Groups merged across their columns above the columns' own headers;
        an ungrouped header merged down through both rows."""
        runs = table.header_runs()
        upper, lower = [], []
        upper_lines = lower_lines = through_lines = 1
        for run in runs:
            columns = self.columns[run.first : run.last + 1]
            if run.group is None:
                text = _clean(columns[0].header)
                upper.append(self.cell(text, "lianfang-header"))
                lower.append(self.cell(None, "lianfang-header"))
                through_lines = max(through_lines, _line_count(text, columns[0].width))
                continue
            group = _clean(run.group)
            upper.append(self.cell(group, "lianfang-header"))
            upper.extend(self.cell(None, "lianfang-header") for _ in columns[1:])
            span = self.span(run.first + 1, run.last + 1)
            upper_lines = max(upper_lines, _line_count(group, span))
            for column in columns:
                text = _clean(column.header)
                lower.append(self.cell(text, "lianfang-header"))
                lower_lines = max(lower_lines, _line_count(text, column.width))
        # A tall ungrouped header takes the lines it lacks from the lower row.
        lower_lines = max(lower_lines, through_lines - upper_lines)
        self.append(upper, _height(upper_lines))
        self.append(lower, _height(lower_lines))
        for run in runs:
            if run.group is None:
                self.merge(run.first + 1, run.first + 1, self.row - 1, self.row)
            else:
                self.merge(run.first + 1, run.last + 1, self.row - 1, self.row - 1)

    def data(self, row: Any, styles: list[_ColumnStyle], tz: tzinfo):
        # A plain key of a dict row is looked up directly: Column.extract
        # gives the same value, at a cost that shows in 30,000-row tables.
        direct = type(row) is dict
        cells, lines = [], 1
        for column, style, width, key in zip(
            self.columns, styles, self.widths, self._plain_keys, strict=True
        ):
            raw = row[key] if direct and key else column.extract(row)
            value = _cell_value(column, raw, tz)
            cells.append(self.cell(value, style.for_value(value)))
            if column.wrap and type(value) is str:
                lines = max(lines, _quick_line_count(value, width))
        self.append(cells, _height(lines) if lines > 1 else None)


def _block_rows(pairs: list[tuple[str, Any]], width: int, tz: tzinfo) -> list[list[str]]:
    """The header block's texts row by row, every row with the same number
    of slots so the slots line up as a grid."""
    if not pairs:
        return []
    per_row = min(len(pairs), BLOCK_PAIRS_PER_ROW, width)
    texts = [
        _clean(str(BLOCK_ITEM).format(label=label, value=_as_text(value, tz)))
        for label, value in pairs
    ]
    texts += [""] * (-len(texts) % per_row)
    return [texts[start : start + per_row] for start in range(0, len(texts), per_row)]


def _slots(width: int, count: int) -> list[tuple[int, int]]:
    """Columns 1..width split into ``count`` runs as equal as they can be,
    the wider runs first."""
    size, wider = divmod(width, count)
    slots, first = [], 1
    for index in range(count):
        last = first + size - (0 if index < wider else 1)
        slots.append((first, last))
        first = last + 1
    return slots


def _cell_value(column: Column, value: Any, tz: tzinfo) -> Any:
    """The value to store for ``column``: dates and numbers stay typed so
    Excel can sort and sum them; anything else becomes clean text."""
    if value is None:
        return None
    if type(value) is str:
        return _clean(value)  # what the rest comes to for text, taken early
    if column.kind in ("date", "datetime") and isinstance(value, datetime):
        value = _local(value, tz)
        return value.date() if column.kind == "date" else value
    if column.kind in ("date", "datetime") and isinstance(value, date):
        return value
    if column.kind == "number" and _is_number(value):
        return value
    return _as_text(value, tz)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _as_text(value: Any, tz: tzinfo) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        value = YES if value else NO
    elif isinstance(value, datetime):
        value = _local(value, tz).strftime(TIME_FORMAT)
    elif isinstance(value, date):
        value = value.isoformat()
    return _clean(value)


def _local(value: datetime, tz: tzinfo) -> datetime:
    """A naive wall-clock time in the export's zone; Excel has no zones."""
    if value.utcoffset() is None:
        return value
    return value.astimezone(tz).replace(tzinfo=None)


def _clean(text: Any) -> str:
    """Text without the control characters that make a workbook invalid
    (and make openpyxl refuse it), as pasted from word processors."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(text))


def _line_count(text: str, width: float, size: int = BODY_SIZE) -> int:
    """Roughly how many lines ``text`` wraps to in ``width`` character units.

    A column unit is one digit of the body font; a CJK character takes two,
    and a larger font proportionally more.
    """
    capacity = max(width * BODY_SIZE / size - 1, 1)
    lines = 0
    for paragraph in text.split("\n"):
        units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in paragraph)
        lines += max(1, ceil(units / capacity))
    return lines


def _quick_line_count(text: str, width: float) -> int:
    """_line_count for data cells, fast enough for 30,000-row tables: a
    character's width is taken from its UTF-8 length (CJK and full-width
    characters take three bytes and two units, ASCII one and one)."""
    capacity = max(width - 0.5, 1)
    if len(text) * 2 <= capacity and "\n" not in text:
        return 1
    lines = 0
    for paragraph in text.split("\n"):
        units = (len(paragraph.encode()) + len(paragraph)) // 2
        lines += max(1, ceil(units / capacity))
    return lines


def _height(lines: int, size: int = BODY_SIZE) -> float:
    return round(lines * size * _LINE_SPACING + _ROW_PADDING, 1)
