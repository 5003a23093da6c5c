"""The Excel side of an import: column specs, reading a sheet, writing a template.

* :func:`read_sheet` finds the header row of a sheet (a template has it on
  row 1; an exported filing table has a title above it and a second header
  row under grouped columns), maps the column names, and turns the rows into
  a ``tablib.Dataset`` while remembering each row's number in Excel, so
  every message can say "第 5 行";
* :func:`template_workbook` writes the downloadable template: the header row,
  one example row, drop-down lists for fixed values and a sheet explaining
  each column.

Wrong files never raise past :class:`ImportFileError`, whose message is shown
on the page.
"""

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from tablib import Dataset

MAX_HEADER_SEARCH = 15
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0"


class ImportFileError(Exception):
    """The file cannot be imported at all; the message says why, in Chinese."""


# Columns and sheets -----------------------------------------------------------


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an import file, named as people see it."""

    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: Any = ""
    help: str = ""
    choices: tuple[str, ...] = ()  # offered as a drop-down in the template
    width: float = 14

    def names(self):
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class SheetSpec:
    """The columns of one sheet. ``sheet`` names a sheet other than the
    first; ``optional`` sheets may be missing from the file."""

    title: str
    columns: tuple[ColumnSpec, ...]
    sheet: str | None = None
    optional: bool = False

    @property
    def required(self):
        return [column.name for column in self.columns if column.required]

    def lookup(self) -> dict[str, str]:
        return {_norm(name): column.name for column in self.columns for name in column.names()}


@dataclass
class ImportSheet:
    """A sheet read into a Dataset with canonical headers, plus the Excel row
    number of each dataset row (``rows[i]`` for dataset row ``i + 1``)."""

    dataset: Dataset
    rows: list[int]
    name: str

    def excel_row(self, number: int) -> int:
        """The Excel row of import-export's 1-based dataset row ``number``."""
        return self.rows[number - 1] if 0 < number <= len(self.rows) else number


def _norm(text) -> str:
    """Header text compared without spaces, line breaks and full/half-width
    differences in brackets and colons."""
    text = re.sub(r"\s+", "", str(text or ""))
    return text.translate(str.maketrans("（）：", "():")).rstrip("*＊")


def cell_text(value) -> str:
    """Any cell value as the text a person typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def open_workbook(data: bytes, filename: str = ""):
    """The workbook in ``data``, or ImportFileError saying what is wrong."""
    label = filename or _("上传的文件")
    if not data:
        raise ImportFileError(_("“%(name)s”是空文件。") % {"name": label})
    if data.startswith(XLS_SIGNATURE):
        raise ImportFileError(
            _("“%(name)s”是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中另存为 .xlsx 格式后再上传。")
            % {"name": label}
        )
    if data.startswith(b"PK") and not zipfile.is_zipfile(BytesIO(data)):
        raise ImportFileError(
            _("“%(name)s”已损坏（文件不完整），无法读取。请用 Excel 打开检查后重新保存。")
            % {"name": label}
        )
    if not zipfile.is_zipfile(BytesIO(data)):
        raise ImportFileError(
            _(
                "“%(name)s”不是 Excel（.xlsx）文件。如果是 CSV 或文本文件，请在 Excel 中打开后"
                "另存为“Excel 工作簿（*.xlsx）”再上传。"
            )
            % {"name": label}
        )
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(
            _("“%(name)s”已损坏或不是有效的 Excel 文件，无法读取。请用 Excel 打开检查后重新保存。")
            % {"name": label}
        ) from exc


def read_sheet(workbook, spec: SheetSpec, filename: str = "") -> ImportSheet | None:
    """Read the sheet ``spec`` describes; None for a missing optional sheet."""
    if spec.sheet:
        if spec.sheet not in workbook.sheetnames:
            if spec.optional:
                return None
            raise ImportFileError(_("文件中没有名为“%(sheet)s”的工作表。") % {"sheet": spec.sheet})
        ws = workbook[spec.sheet]
    else:
        ws = workbook.worksheets[0]
    try:
        # Files written by other programs may carry a wrong size; read all.
        ws.reset_dimensions()
        raw = list(ws.iter_rows(min_row=1, min_col=1, values_only=True))
    except Exception as exc:
        raise ImportFileError(
            _("“%(name)s”已损坏，读取工作表“%(sheet)s”时出错。")
            % {"name": filename or _("上传的文件"), "sheet": ws.title}
        ) from exc
    lookup = spec.lookup()
    header_index, headers = _find_header(raw, lookup, spec)
    if header_index is None:
        raise ImportFileError(
            _(
                "工作表“%(sheet)s”的前 %(n)d 行中没有找到表头（应包含 %(columns)s 等列）。"
                "请使用下载的模板填写。"
            )
            % {
                "sheet": ws.title,
                "n": MAX_HEADER_SEARCH,
                "columns": "、".join(f"“{name}”" for name in spec.required[:4]),
            }
        )
    present = {name for name in headers if name}
    missing = [name for name in spec.required if name not in present]
    if missing:
        raise ImportFileError(
            _("工作表“%(sheet)s”缺少以下列：%(missing)s。请使用下载的模板，或补上这些列后再上传。")
            % {"sheet": ws.title, "missing": "、".join(f"“{name}”" for name in missing)}
        )
    columns = [(index, name) for index, name in enumerate(headers) if name]
    seen, unique = set(), []
    for index, name in columns:
        if name not in seen:
            seen.add(name)
            unique.append((index, name))
    dataset = Dataset(headers=[name for _index, name in unique])
    numbers = []
    significant = [i for i, name in unique if name != "序号"]
    for number, row in enumerate(raw[header_index + 1 :], start=header_index + 2):
        values = [cell_text(row[i]) if i < len(row) else "" for i, _name in unique]
        texts = {i: (cell_text(row[i]) if i < len(row) else "") for i in significant}
        if not any(texts.values()):
            continue  # blank rows and notes written in the first column
        dataset.append(values)
        numbers.append(number)
    if not numbers:
        raise ImportFileError(_("工作表“%(sheet)s”只有表头，没有数据行。") % {"sheet": ws.title})
    return ImportSheet(dataset=dataset, rows=numbers, name=ws.title)


def _find_header(raw, lookup, spec):
    """The last header row's index and the canonical name of each column.

    A header is the first row naming at least two known columns. A row under it naming known columns where the header has
    a group title (防控措施 over 前期预防/中期监控/后期处置) is merged in."""
    top = [
        [lookup.get(_norm(value)) if value is not None else None for value in row]
        for row in raw[:MAX_HEADER_SEARCH]
    ]
    # Two known names make a header; failing that, one does (so a file with
    # the wrong columns is told which are missing rather than "no header").
    wanted = min(2, max(1, len(spec.required)))
    candidates = [i for i, names in enumerate(top) if sum(map(bool, names)) >= wanted]
    candidates = candidates or [i for i, names in enumerate(top) if any(names)]
    for index in candidates[:1]:
        names = top[index]
        if index + 1 < len(raw):
            below = [lookup.get(_norm(v)) if v is not None else None for v in raw[index + 1]]
            if any(below):
                width = max(len(names), len(below))
                names += [None] * (width - len(names))
                below += [None] * (width - len(below))
                return index + 1, [low or up for up, low in zip(names, below, strict=True)]
        return index, names
    return None, []


# Templates ----------------------------------------------------------------------------

_HEADER_FONT = Font(name="宋体", bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="FFD9D9D9")
_REQUIRED_FILL = PatternFill("solid", fgColor="FFFCE4D6")


def template_workbook(sheets: Sequence[SheetSpec], title: str) -> bytes:
    """Header row (required columns shaded), one example row, drop-down
    lists for fixed values, and a 填写说明 sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        ws = workbook.create_sheet(str(spec.sheet or spec.title))
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            cell = ws.cell(row=1, column=index, value=column.name)
            cell.font = _HEADER_FONT
            cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            example = ws.cell(row=2, column=index, value=str(column.example))
            example.number_format = "@"
            ws.column_dimensions[letter].width = column.width
            if column.choices:
                options = ",".join(str(choice) for choice in column.choices)
                if len(options) <= 250:  # Excel's limit for an inline list
                    rule = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
                    rule.error = _("请从下拉列表中选择")
                    rule.add(f"{letter}2:{letter}5000")
                    ws.add_data_validation(rule)
        ws.freeze_panes = "A2"
    notes = workbook.create_sheet(_("填写说明"))
    notes.append([_("工作表"), _("列名"), _("是否必填"), _("说明"), _("可选值")])
    for cell in notes[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for spec in sheets:
        for column in spec.columns:
            notes.append(
                [
                    str(spec.sheet or spec.title),
                    column.name,
                    _("必填") if column.required else _("选填"),
                    str(column.help),
                    "、".join(str(choice) for choice in column.choices),
                ]
            )
    for letter, width in zip("ABCDE", (14, 16, 10, 60, 40), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    workbook.active = 0
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
