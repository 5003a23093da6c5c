"""Imports from Excel, built on django-import-export, and the roster import.

The shared machinery lives here, in the lowest app, so the catalogue import
(``powers/imports.py``) and the register import (``risks/imports.py``) use it
too:

* :func:`read_sheet` finds the header row of the first sheet (a template has
  it on row 1; an exported filing table has a title above it and a second
  header row under grouped columns), maps the column names, and turns the
  rows into a ``tablib.Dataset`` while remembering each row's number in
  Excel, so every message can say "第 5 行";
* :class:`SheetResource` is a ``ModelResource`` whose rows report errors per
  *column* (the Chinese header people see), whatever field raised them;
* :class:`Importer` runs a resource with import-export's ``import_data``:
  ``dry_run=True`` for the preview, then for real with
  ``rollback_on_validation_errors=True`` inside one transaction, so one bad
  row imports nothing;
* :func:`template_workbook` writes the downloadable template: the header row,
  one example row, drop-down lists for fixed values and a sheet explaining
  each column.

Wrong files never raise past :class:`ImportFileError`, whose message is shown
on the page.

The roster (人员名册) creates or updates sections, posts and people of the
office's unit. People are matched by employee number (工号), so importing
the same file again updates them. **New people get an unusable password**:
the result lists them so the office can hand out accounts (the system
administrator sets initial passwords in the admin, or a password-reset
invitation does). Generating and showing passwords was rejected: hashing
one costs about a third of a second, so a 3,000-person roster would take
over a quarter of an hour, and the passwords would sit in a web page.
"""

import re
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from tablib import Dataset

from .models import Post, Section, User

MAX_HEADER_SEARCH = 15
PREVIEW_ROWS = 200
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


# Widgets ------------------------------------------------------------------------


class TextWidget(widgets.Widget):
    """Text, trimmed; ``required`` and ``max_length`` give Chinese messages."""

    def __init__(self, required=False, max_length=None, blank_is_none=False, **kwargs):
        self.required = required
        self.max_length = max_length
        self.blank_is_none = blank_is_none
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if self.required and not text:
            raise ValueError(_("不能为空"))
        if self.max_length and len(text) > self.max_length:
            raise ValueError(
                _("内容过长（%(n)d 字），最多 %(max)d 字")
                % {"n": len(text), "max": self.max_length}
            )
        if not text and self.blank_is_none:
            return None
        return text


class ChoiceWidget(widgets.Widget):
    """A label from a fixed list, stored as its value; the message lists the
    labels people may use."""

    def __init__(self, choices, required=False, default=None, aliases=None, **kwargs):
        self.choices = {str(label): value for value, label in choices}
        self.aliases = dict(aliases or {})
        self.required = required
        self.default = default
        super().__init__(**kwargs)

    def options(self) -> str:
        return "、".join(self.choices)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            if self.required:
                raise ValueError(_("不能为空，可选值：%(options)s") % {"options": self.options()})
            return self.default
        if text in self.choices:
            return self.choices[text]
        if text in self.aliases:
            return self.aliases[text]
        raise ValueError(
            _("无法识别“%(value)s”，可选值：%(options)s")
            % {"value": text, "options": self.options()}
        )


YES_NO = ((True, gettext_lazy("是")), (False, gettext_lazy("否")))


def yes_no_widget(default=True):
    return ChoiceWidget(
        YES_NO,
        default=default,
        aliases={"在职": True, "离职": False, "Y": True, "N": False, "1": True, "0": False},
    )


# Resources ------------------------------------------------------------------------


class SheetResource(resources.ModelResource):
    """A ModelResource reporting errors per column, for an :class:`Importer`.

    Widgets raise ``ValueError`` (the message for their own column) or
    ``ValidationError({"列名": message})`` for another column; subclasses
    add cross-column checks in :meth:`check_row`. Every row is validated
    even when an earlier one failed, so the preview lists every problem.
    """

    def __init__(self, importer=None, **kwargs):
        super().__init__(**kwargs)
        self.importer = importer

    def import_instance(self, instance, row, **kwargs):
        errors = defaultdict(list)
        for resource_field in self.get_import_fields():
            if isinstance(resource_field.widget, widgets.ManyToManyWidget):
                continue
            try:
                self.import_field(resource_field, instance, row, **kwargs)
            except ValueError as exc:
                errors[resource_field.column_name].append(str(exc))
            except ValidationError as exc:
                _merge(errors, exc, resource_field.column_name)
        try:
            self.check_row(instance, row, errors=errors, **kwargs)
        except ValidationError as exc:
            _merge(errors, exc, NON_FIELD_ERRORS)
        if errors:
            raise ValidationError(dict(errors))

    def check_row(self, instance, row, errors, **kwargs):
        """Cross-column checks; add to ``errors[column]`` or raise ValidationError."""

    def describe(self, row_result, row) -> tuple[str, str]:
        """(what the row is, what changes) for the preview table."""
        return (str(row_result.object_repr or ""), "")


def _merge(errors, exc, default_column):
    if hasattr(exc, "error_dict"):
        for column, messages in exc.message_dict.items():
            errors[column].extend(messages)
    else:
        errors[default_column].extend(exc.messages)


# Running an import ------------------------------------------------------------------

IMPORT_TYPE_LABELS = {
    RowResult.IMPORT_TYPE_NEW: gettext_lazy("新增"),
    RowResult.IMPORT_TYPE_UPDATE: gettext_lazy("更新"),
    RowResult.IMPORT_TYPE_SKIP: gettext_lazy("无变化"),
    RowResult.IMPORT_TYPE_DELETE: gettext_lazy("删除"),
    RowResult.IMPORT_TYPE_INVALID: gettext_lazy("错误"),
    RowResult.IMPORT_TYPE_ERROR: gettext_lazy("错误"),
}


@dataclass
class PreviewRow:
    number: int
    kind: str
    label: str
    what: str
    changes: str
    errors: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """What an import did (or, for a dry run, would do)."""

    dry_run: bool
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    total: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: list[PreviewRow] = field(default_factory=list)
    more_rows: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def committed(self) -> bool:
        return self.ok and not self.dry_run


class StopImport(Exception):
    """Raised from a resource's ``after_import`` with messages for the
    person; import-export rolls everything back."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


class Importer:
    """One kind of import: its sheets, resource, template and options.

    Subclasses set ``key``, ``title``, ``sheets`` (the first is the one the
    resource imports; others are read for it) and ``resource_class``.
    """

    key = ""
    title = ""
    sheets: Sequence[SheetSpec] = ()
    resource_class = SheetResource
    sheet: ImportSheet | None = None

    def __init__(self, *, user, unit, campaign=None, options=None):
        self.user = user
        self.unit = unit
        self.campaign = campaign
        self.options = options or {}
        self.extra_sheets: dict[str, ImportSheet | None] = {}

    # Reading -------------------------------------------------------------------

    def read(self, data: bytes, filename: str = "") -> ImportSheet:
        workbook = open_workbook(data, filename)
        try:
            sheets = self.get_sheets()
            main = read_sheet(workbook, sheets[0], filename)
            for spec in sheets[1:]:
                self.extra_sheets[str(spec.title)] = read_sheet(workbook, spec, filename)
        finally:
            workbook.close()
        return main

    # Running ------------------------------------------------------------------

    def check(self):
        """Refuse the whole import before reading it (e.g. a closed campaign)."""

    def lock(self):
        """First thing inside the import's transaction: lock what the import
        must not see change under it (e.g. the campaign's row)."""

    def run(self, data: bytes, *, dry_run: bool, filename: str = "") -> Outcome:
        self.check()
        sheet = self.sheet = self.read(data, filename)
        resource = self.resource_class(importer=self)
        outcome = Outcome(dry_run=dry_run, total=len(sheet.dataset))
        with transaction.atomic():
            self.lock()
            result = resource.import_data(
                sheet.dataset,
                dry_run=dry_run,
                raise_errors=False,
                use_transactions=True,
                rollback_on_validation_errors=True,
            )
            self._collect(outcome, result, resource, sheet)
            if outcome.committed:
                self.committed(outcome, result)
            else:
                transaction.set_rollback(True)
        return outcome

    def committed(self, outcome, result):
        """After a successful real import, inside its transaction."""

    def _collect(self, outcome, result, resource, sheet):
        totals = result.totals
        outcome.new = totals[RowResult.IMPORT_TYPE_NEW]
        outcome.updated = totals[RowResult.IMPORT_TYPE_UPDATE]
        outcome.unchanged = totals[RowResult.IMPORT_TYPE_SKIP]
        outcome.invalid = (
            totals[RowResult.IMPORT_TYPE_INVALID] + totals[RowResult.IMPORT_TYPE_ERROR]
        )
        messages_by_number = defaultdict(list)
        for invalid in result.invalid_rows:
            number = sheet.excel_row(invalid.number)
            for column, messages in invalid.error_dict.items():
                for message in messages:
                    messages_by_number[invalid.number].append(
                        row_message(number, None if column == NON_FIELD_ERRORS else column, message)
                    )
        for error_row in result.error_rows:
            number = sheet.excel_row(error_row.number)
            for error in error_row.errors:
                messages_by_number[error_row.number].append(
                    row_message(number, None, _("无法保存（%(error)s）") % {"error": error.error})
                )
        for number in sorted(messages_by_number):
            outcome.errors.extend(messages_by_number[number])
        for error in result.base_errors:
            if isinstance(error.error, StopImport):
                outcome.errors.extend(error.error.messages)
            else:
                outcome.errors.append(_("导入出错：%(error)s") % {"error": error.error})
        rows = list(
            zip(result.rows, sheet.dataset.dict, range(1, len(sheet.dataset) + 1), strict=False)
        )
        for row_result, row, number in rows[:PREVIEW_ROWS]:
            what, changes = ("", "")
            if row_result.is_valid():
                what, changes = resource.describe(row_result, row)
            else:
                what = " · ".join(str(v) for v in list(row.values())[:4] if v)
            outcome.rows.append(
                PreviewRow(
                    number=sheet.excel_row(number),
                    kind=row_result.import_type,
                    label=str(IMPORT_TYPE_LABELS.get(row_result.import_type, "")),
                    what=what,
                    changes=changes,
                    errors=messages_by_number.get(number, []),
                )
            )
        outcome.more_rows = max(0, len(rows) - PREVIEW_ROWS)

    # Templates ----------------------------------------------------------------

    def get_sheets(self) -> Sequence[SheetSpec]:
        """The sheets; a subclass may build them per campaign (its own
        categories and grade labels as drop-down choices)."""
        return self.sheets

    def template(self) -> bytes:
        return template_workbook(self.get_sheets(), title=str(self.title))

    def template_filename(self) -> str:
        return _("%(title)s导入模板.xlsx") % {"title": self.title}


def row_message(number: int, column: str | None, message: str, sheet: str | None = None) -> str:
    """第 5 行「职级」：无法识别“科长”，可选值：…"""
    where = _("%(sheet)s第 %(n)d 行") % {"sheet": f"“{sheet}”" if sheet else "", "n": number}
    if column:
        where += f"「{column}」"
    return f"{where}：{message}"


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


# The roster ---------------------------------------------------------------------------

KEY_TYPE_LABELS = {
    Post.KeyType.PERSONNEL: "管人",
    Post.KeyType.MONEY: "管财",
    Post.KeyType.GOODS: "管物",
    Post.KeyType.APPROVAL: "管审批",
    Post.KeyType.ENFORCEMENT: "管执法",
    Post.KeyType.NONE: "一般",
}
KEY_TYPE_WIDGET = ChoiceWidget(
    list(KEY_TYPE_LABELS.items()), aliases={"一般岗位": Post.KeyType.NONE}
)
RANK_LABELS = tuple(str(label) for label in User.Rank.labels)

ROSTER_SHEET = SheetSpec(
    title=gettext_lazy("人员名册"),
    columns=(
        ColumnSpec(
            "工号",
            required=True,
            example="JC101",
            help=gettext_lazy("每人唯一；再次导入时按工号更新。"),
        ),
        ColumnSpec("姓名", required=True, example="骆嘉禾"),
        ColumnSpec(
            "科室",
            aliases=("部门", "处室", "科室名称"),
            example="办公室",
            help=gettext_lazy("科室名称；领导班子成员可不填。"),
        ),
        ColumnSpec(
            "科室编码",
            example="BGS",
            help=gettext_lazy(
                "本单位内唯一，如 BGS；名册中出现新的编码时按“科室”一列的名称新建科室。"
            ),
        ),
        ColumnSpec(
            "岗位", example="办公室主任", help=gettext_lazy("科室内的岗位名称，没有的会新建。")
        ),
        ColumnSpec(
            "重点岗位类型",
            example="管人",
            choices=tuple(KEY_TYPE_LABELS.values()),
            help=gettext_lazy("不填则新岗位为一般岗位、已有岗位保持不变。"),
        ),
        ColumnSpec("职级", required=True, example="中层干部", choices=RANK_LABELS),
        ColumnSpec(
            "职务",
            example="办公室主任",
            help=gettext_lazy("如科长、副主任、科员。职务、电话、邮箱不填时保持原有内容。"),
        ),
        ColumnSpec("电话", example="0571-88001101"),
        ColumnSpec(
            "邮箱",
            aliases=("电子邮箱", "Email", "E-mail"),
            example="luojiahe@example.gov.cn",
            width=26,
        ),
        ColumnSpec(
            "用户名",
            aliases=("登录名", "账号"),
            example="",
            help=gettext_lazy("登录用的用户名；不填时新人员为工号的小写形式，已有人员保持不变。"),
        ),
        ColumnSpec(
            "在职",
            example="是",
            choices=("是", "否"),
            help=gettext_lazy("不填为“是”；填“否”的人员不能再登录。"),
        ),
    ),
)


class _RosterLoader(BaseInstanceLoader):
    """People of the file found by employee number in one query, in any unit
    (an employee number is unique across the installation)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        numbers = {cell_text(row.get("工号")) for row in dataset.dict} - {""}
        self.people = {
            person.employee_no: person
            for person in User.objects.filter(employee_no__in=numbers).select_related(
                "section", "post"
            )
        }

    def get_instance(self, row):
        return self.people.get(cell_text(row.get("工号")))


class _SectionWidget(widgets.Widget):
    def __init__(self, resource):
        self.resource = resource
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        return self.resource.section_of(row)


class _PostWidget(widgets.Widget):
    def __init__(self, resource):
        self.resource = resource
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        return self.resource.post_of(row)


class _UsernameWidget(TextWidget):
    def __init__(self):
        super().__init__(max_length=150)

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text and not re.fullmatch(r"[\w.@+-]+", text):
            raise ValueError(_("只能包含字母、数字和 @ . + - _"))
        return text or None


class _EmailWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text:
            try:
                validate_email(text)
            except ValidationError as exc:
                raise ValueError(_("“%(value)s”不是有效的邮箱地址") % {"value": text}) from exc
        return text


class RosterResource(SheetResource):
    employee_no = fields.Field(
        attribute="employee_no", column_name="工号", widget=TextWidget(True, 30)
    )
    full_name = fields.Field(attribute="full_name", column_name="姓名", widget=TextWidget(True, 60))
    rank = fields.Field(
        attribute="rank", column_name="职级", widget=ChoiceWidget(User.Rank.choices, required=True)
    )
    # A blank 职务, 电话 or 邮箱 keeps what the person has: rosters from
    # personnel files often lack contact details the office already holds.
    title = fields.Field(
        attribute="title",
        column_name="职务",
        widget=TextWidget(max_length=60, blank_is_none=True),
        saves_null_values=False,
    )
    phone = fields.Field(
        attribute="phone",
        column_name="电话",
        widget=TextWidget(max_length=30, blank_is_none=True),
        saves_null_values=False,
    )
    email = fields.Field(
        attribute="email",
        column_name="邮箱",
        widget=_EmailWidget(max_length=254, blank_is_none=True),
        saves_null_values=False,
    )
    # A blank 用户名 keeps a person's login; a new person gets the employee number.
    username = fields.Field(
        attribute="username",
        column_name="用户名",
        widget=_UsernameWidget(),
        saves_null_values=False,
    )
    is_active = fields.Field(attribute="is_active", column_name="在职", widget=yes_no_widget())

    class Meta:
        model = User
        fields = (
            "employee_no",
            "full_name",
            "section",
            "post",
            "rank",
            "title",
            "phone",
            "email",
            "username",
            "is_active",
        )
        import_id_fields = ("employee_no",)
        instance_loader_class = _RosterLoader
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        store_instance = True
        use_transactions = True

    def __init__(self, importer=None, **kwargs):
        super().__init__(importer=importer, **kwargs)
        # The section and post of a row span two columns each; they are
        # fields of their own so import-export compares them for "unchanged".
        self.fields["section"] = fields.Field(
            attribute="section", column_name="科室编码", widget=_SectionWidget(self)
        )
        self.fields["post"] = fields.Field(
            attribute="post", column_name="岗位", widget=_PostWidget(self)
        )
        self.unit = importer.unit
        self.new_sections, self.renamed_sections, self.new_posts = [], [], []
        self.retyped_posts = []
        self.new_people = []

    def get_import_order(self):
        return (
            "employee_no",
            "full_name",
            "section",
            "post",
            "rank",
            "title",
            "phone",
            "email",
            "username",
            "is_active",
        )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A column that is missing leaves its field alone, but the section
        # spans two columns: a file with only 科室 still sets it by name.
        if field.attribute == "section" and ("科室" in row or "科室编码" in row):
            instance.section = self.section_of(row)
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    # Set-up -----------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.sections_by_code = {s.code: s for s in Section.objects.filter(unit=self.unit)}
        self.sections_by_name = {s.name: s for s in self.sections_by_code.values()}
        self.posts = {
            (p.section_id, p.name): p for p in Post.objects.filter(section__unit=self.unit)
        }
        self.section_claims = {}  # code → (name, row number) as the file states it
        self.post_claims = {}  # (section code, post) → (key type, row number)
        rows = dataset.dict
        self.first_row_of = {}
        self.duplicate_of = {}
        names = set()
        for number, row in enumerate(rows, start=1):
            employee_no = cell_text(row.get("工号"))
            if employee_no:
                if employee_no in self.first_row_of:
                    self.duplicate_of[number] = self.first_row_of[employee_no]
                else:
                    self.first_row_of[employee_no] = number
            names.add(cell_text(row.get("用户名")))
            names.add(employee_no.lower())
        self.usernames = dict(
            User.objects.filter(username__in=names - {""}).values_list("username", "pk")
        )
        self.usernames_in_file = {}
        self.excel_row = self.importer.sheet.excel_row

    def before_import_row(self, row, **kwargs):
        self.row_number = kwargs.get("row_number")
        self._section_cache = None

    # Sections and posts -------------------------------------------------------

    def section_of(self, row):
        """The row's section from 科室编码 and 科室, created or renamed as the
        file says; None for people outside any section."""
        if self._section_cache is not None:
            return self._section_cache[0]
        self._section_cache = (None,)
        code = cell_text(row.get("科室编码"))
        name = cell_text(row.get("科室"))
        if not code and not name:
            return None
        if code and len(code) > 12:
            raise ValidationError({"科室编码": _("编码过长，最多 12 个字符")})
        if name and len(name) > 120:
            raise ValidationError({"科室": _("名称过长，最多 120 字")})
        if code:
            claim = self.section_claims.get(code)
            if name and claim and claim[0] != name:
                raise ValidationError(
                    {
                        "科室": _("与第 %(row)d 行不一致：编码“%(code)s”在该行是“%(name)s”")
                        % {"row": self.excel_row(claim[1]), "code": code, "name": claim[0]}
                    }
                )
            section = self.sections_by_code.get(code)
            if section is None:
                if not name:
                    raise ValidationError(
                        {
                            "科室编码": _(
                                "本单位没有编码为“%(code)s”的科室；新建科室时请同时填写「科室」"
                            )
                            % {"code": code}
                        }
                    )
                other = self.sections_by_name.get(name)
                if other is not None:
                    raise ValidationError(
                        {
                            "科室编码": _(
                                "科室“%(name)s”的编码是“%(code)s”，与填写的“%(given)s”不一致"
                            )
                            % {"name": name, "code": other.code, "given": code}
                        }
                    )
                section = Section.objects.create(
                    unit=self.unit,
                    code=code,
                    name=name,
                    display_order=(
                        max((s.display_order for s in self.sections_by_code.values()), default=0)
                        + 10
                    ),
                )
                self.sections_by_code[code] = self.sections_by_name[name] = section
                self.new_sections.append(section)
            elif name and section.name != name:
                other = self.sections_by_name.get(name)
                if other is not None and other.pk != section.pk:
                    raise ValidationError(
                        {
                            "科室": _(
                                "科室“%(name)s”已存在，编码为“%(code)s”，与填写的“%(given)s”不一致"
                            )
                            % {"name": name, "code": other.code, "given": code}
                        }
                    )
                old = section.name
                self.sections_by_name.pop(old, None)
                section.name = name
                section.save(update_fields=["name"])
                self.sections_by_name[name] = section
                self.renamed_sections.append((old, name))
            if name and code not in self.section_claims:
                self.section_claims[code] = (name, self.row_number)
        else:
            section = self.sections_by_name.get(name)
            if section is None:
                raise ValidationError(
                    {"科室编码": _("新科室“%(name)s”须填写科室编码") % {"name": name}}
                )
        self._section_cache = (section,)
        return section

    def post_of(self, row):
        name = cell_text(row.get("岗位"))
        key_label = cell_text(row.get("重点岗位类型"))
        key_type = None
        if key_label:
            try:
                key_type = KEY_TYPE_WIDGET.clean(key_label)
            except ValueError as exc:
                raise ValidationError({"重点岗位类型": str(exc)}) from exc
        if not name:
            return None
        if len(name) > 120:
            raise ValueError(_("名称过长，最多 120 字"))
        try:
            section = self.section_of(row)
        except ValidationError:
            return None  # reported under the section's columns
        if section is None:
            raise ValueError(_("填写岗位时须同时填写科室"))
        if key_type is not None:
            claim = self.post_claims.get((section.code, name))
            if claim and claim[0] != key_type:
                raise ValidationError(
                    {
                        "重点岗位类型": _("与第 %(row)d 行不一致：该行填写的是“%(label)s”")
                        % {"row": self.excel_row(claim[1]), "label": KEY_TYPE_LABELS[claim[0]]}
                    }
                )
            self.post_claims.setdefault((section.code, name), (key_type, self.row_number))
        post = self.posts.get((section.pk, name))
        if post is None:
            post = Post.objects.create(
                section=section, name=name, key_type=key_type or Post.KeyType.NONE
            )
            self.posts[(section.pk, name)] = post
            self.new_posts.append(post)
        elif key_type is not None and post.key_type != key_type:
            self.retyped_posts.append(
                (post, KEY_TYPE_LABELS[post.key_type], KEY_TYPE_LABELS[key_type])
            )
            post.key_type = key_type
            post.save(update_fields=["key_type"])
        return post

    # People -----------------------------------------------------------------------

    def check_row(self, instance, row, errors, **kwargs):
        number = kwargs.get("row_number")
        employee_no = cell_text(row.get("工号"))
        if number in self.duplicate_of:
            errors["工号"].append(
                _("与第 %(row)d 行的工号“%(no)s”重复")
                % {"row": self.excel_row(self.duplicate_of[number]), "no": employee_no}
            )
        if instance.pk and instance.unit_id != self.unit.pk:
            errors["工号"].append(_("工号“%(no)s”已被其他单位的人员使用") % {"no": employee_no})
        if not instance.username and employee_no:
            instance.username = employee_no.lower()
        username = instance.username
        if username and number not in self.duplicate_of:
            owner = self.usernames.get(username)
            column = "用户名" if cell_text(row.get("用户名")) else "工号"
            if owner is not None and owner != instance.pk:
                errors[column].append(_("用户名“%(name)s”已被其他人员使用") % {"name": username})
            earlier = self.usernames_in_file.get(username)
            if earlier is not None and earlier != number:
                errors[column].append(
                    _("用户名“%(name)s”与第 %(row)d 行重复")
                    % {"name": username, "row": self.excel_row(earlier)}
                )
            self.usernames_in_file.setdefault(username, number)
        if instance.post_id is not None and instance.post.section_id != instance.section_id:
            # Moved to another section without a post there.
            instance.post = None
        instance.unit = self.unit

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.set_unusable_password()
            self.new_people.append(instance)

    def describe(self, row_result, row):
        person = row_result.instance
        what = " · ".join(
            part
            for part in (
                person.employee_no,
                person.full_name,
                person.section.name if person.section_id else "",
                person.post.name if person.post_id else "",
                person.get_rank_display(),
            )
            if part
        )
        changes = []
        original = row_result.original
        if row_result.is_update() and original is not None:
            for name, label in (
                ("full_name", _("姓名")),
                ("rank", _("职级")),
                ("title", _("职务")),
                ("phone", _("电话")),
                ("email", _("邮箱")),
                ("username", _("用户名")),
            ):
                before, after = getattr(original, name), getattr(person, name)
                if before != after:
                    if name == "rank":
                        before, after = original.get_rank_display(), person.get_rank_display()
                    changes.append(f"{label}：{before or '—'} → {after or '—'}")
            if original.section_id != person.section_id:
                changes.append(
                    _("科室：%(a)s → %(b)s")
                    % {
                        "a": original.section.name if original.section_id else "—",
                        "b": person.section.name if person.section_id else "—",
                    }
                )
            if original.post_id != person.post_id:
                changes.append(
                    _("岗位：%(a)s → %(b)s")
                    % {
                        "a": original.post.name if original.post_id else "—",
                        "b": person.post.name if person.post_id else "—",
                    }
                )
            if original.is_active != person.is_active:
                changes.append(
                    _("在职：%(a)s → %(b)s")
                    % {
                        "a": _("是") if original.is_active else _("否"),
                        "b": _("是") if person.is_active else _("否"),
                    }
                )
        return what, "；".join(changes)


class RosterImporter(Importer):
    key = "roster"
    title = gettext_lazy("人员名册")
    sheets = (ROSTER_SHEET,)
    resource_class = RosterResource

    def check(self):
        if self.unit is None:
            raise ImportFileError(_("您不属于任何单位，不能导入人员名册。"))

    def _collect(self, outcome, result, resource, sheet):
        super()._collect(outcome, result, resource, sheet)
        if resource.new_sections:
            outcome.notes.append(
                _("新建科室：%(names)s")
                % {"names": "、".join(f"{s.name}（{s.code}）" for s in resource.new_sections)}
            )
        for old, new in resource.renamed_sections:
            outcome.notes.append(_("科室更名：%(old)s → %(new)s") % {"old": old, "new": new})
        if resource.new_posts:
            outcome.notes.append(
                _("新建岗位：%(names)s")
                % {"names": "、".join(f"{p.section.name}·{p.name}" for p in resource.new_posts)}
            )
        for post, before, after in resource.retyped_posts:
            outcome.notes.append(
                _("岗位类型变更：%(post)s %(a)s → %(b)s")
                % {"post": f"{post.section.name}·{post.name}", "a": before, "b": after}
            )
        outcome.extra["new_people"] = [
            {
                "employee_no": person.employee_no,
                "full_name": person.full_name,
                "username": person.username,
                "email": person.email,
                "section": person.section.name if person.section_id else "",
            }
            for person in resource.new_people
        ]
