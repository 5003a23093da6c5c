"""Running an import: the resource base class and the :class:`Importer`.

The shared machinery lives in accounts, the lowest app, so the catalogue
import (``powers/imports.py``) and the register import
(``risks/imports.py``) use it too:

* :class:`SheetResource` is a ``ModelResource`` whose rows report errors per
  *column* (the Chinese header people see), whatever field raised them;
* :class:`Importer` runs a resource with import-export's ``import_data``:
  ``dry_run=True`` for the preview, then for real with
  ``rollback_on_validation_errors=True`` inside one transaction, so one bad
  row imports nothing, and sums it up in an :class:`Outcome`.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources, widgets
from import_export.results import RowResult

from .sheets import ImportSheet, SheetSpec, open_workbook, read_sheet, template_workbook

PREVIEW_ROWS = 200


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
