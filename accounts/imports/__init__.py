"""Imports from Excel, built on django-import-export, and the roster import.

The machinery is shared: the catalogue import (``powers/imports.py``) and the
register import (``risks/imports.py``) build on it too.

* :mod:`.sheets` — column and sheet specs, reading a sheet into a Dataset,
  writing the downloadable template, and :class:`ImportFileError`;
* :mod:`.widgets` — import-export widgets with Chinese messages;
* :mod:`.base` — :class:`SheetResource`, :class:`Importer` and its
  :class:`Outcome`;
* :mod:`.roster_columns` and :mod:`.roster` — the roster (人员名册) of
  sections, posts and people.

Everything is re-exported here, so ``from accounts.imports import X`` keeps
working whichever module ``X`` lives in.
"""

from .base import (
    IMPORT_TYPE_LABELS,
    PREVIEW_ROWS,
    Importer,
    Outcome,
    PreviewRow,
    SheetResource,
    StopImport,
    row_message,
)
from .roster import RosterImporter, RosterResource
from .roster_columns import KEY_TYPE_LABELS, KEY_TYPE_WIDGET, RANK_LABELS, ROSTER_SHEET
from .sheets import (
    MAX_HEADER_SEARCH,
    XLS_SIGNATURE,
    ColumnSpec,
    ImportFileError,
    ImportSheet,
    SheetSpec,
    cell_text,
    open_workbook,
    read_sheet,
    template_workbook,
)
from .widgets import YES_NO, ChoiceWidget, TextWidget, yes_no_widget

__all__ = [
    "IMPORT_TYPE_LABELS",
    "KEY_TYPE_LABELS",
    "KEY_TYPE_WIDGET",
    "MAX_HEADER_SEARCH",
    "PREVIEW_ROWS",
    "RANK_LABELS",
    "ROSTER_SHEET",
    "XLS_SIGNATURE",
    "ChoiceWidget",
    "ColumnSpec",
    "ImportFileError",
    "ImportSheet",
    "Importer",
    "Outcome",
    "PreviewRow",
    "RosterImporter",
    "RosterResource",
    "SheetResource",
    "SheetSpec",
    "StopImport",
    "TextWidget",
    "YES_NO",
    "cell_text",
    "open_workbook",
    "read_sheet",
    "row_message",
    "template_workbook",
    "yes_no_widget",
]
