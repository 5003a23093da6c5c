"""The export registry: every filing table a campaign can hand to auditors.

Campaign knows nothing of powers, risks or early warnings (imports flow the
other way), so each app describes its tables here from its own
``AppConfig.ready()``::

    from campaign.exports import Export, register

    register(
        Export(
            key="register",                    # unique, used in URLs and file names
            title=_("风险点和等级目录汇总表"),   # shown in the export centre and the file name
            table=REGISTER,                    # a campaign.tables.Table, or table(campaign) -> Table
            rows=register_rows,                # rows(campaign, user, section) -> iterable of rows
            per_section=True,                  # the person may narrow it to one section
        )
    )

``rows`` applies the person's access itself (for filings: through
``risks.access.visible_filings``, so an auditor never gets an unapproved
one) and should stream: return ``queryset.iterator(chunk_size=2000)`` with
``select_related``/``prefetch_related`` rather than a list. ``section`` is a
:class:`~accounts.models.Section` of the campaign's unit, or None for the
whole unit.

A table printed once per filing (the personal table: one sheet per person)
sets ``per_person=True``; its ``rows`` then yields :class:`Part` objects, one
per sheet, each with its own rows and the ``extra`` facts its table's
header block and footer read from :attr:`ExportContext.extra`.

Who may export: by default the office of the campaign and whoever's standing
says ``may_export`` (auditors, discipline inspection, the leading group);
an Export may narrow that with ``allowed(user, campaign)``. Views fetch the
campaign with :func:`campaign.access.get_campaign` first, so a person outside
the unit gets a 404 before any of this is asked.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from typing import IO, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import navigation
from accounts.roles import standing

from .access import may_administer
from .tables import ExportContext, Table
from .xlsx import Sheet, write_xlsx

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_DATE_FORMAT = "%Y%m%d"


class NothingToExport(Exception):
    """A per-person export found no filing in the chosen scope."""


def may_export(user, campaign) -> bool:
    """The default rule: the campaign's office, or a standing that exports."""
    return may_administer(user, campaign) or standing(user).may_export


@dataclass(frozen=True)
class Part:
    """One sheet of a per-person export: its rows, the facts its header
    block and footer need (``ExportContext.extra``) and the sheet's name."""

    rows: Iterable[Any]
    extra: Mapping[str, Any] = field(default_factory=dict)
    title: str | None = None


@dataclass(frozen=True)
class Export:
    key: str
    title: str
    table: Table | Callable[[Any], Table]
    rows: Callable[[Any, Any, Any], Iterable[Any]]
    per_section: bool = False
    per_person: bool = False
    allowed: Callable[[Any, Any], bool] = may_export
    description: str = ""
    order: int = 100
    # Streams rows to a temporary file; switch off only for tiny tables that
    # need openpyxl's normal mode.
    write_only: bool = True

    def table_for(self, campaign) -> Table:
        return self.table if isinstance(self.table, Table) else self.table(campaign)

    def may_use(self, user, campaign) -> bool:
        return bool(self.allowed(user, campaign))

    def filename(self, campaign, section=None, exported_at: datetime | None = None) -> str:
        """``2026年度…-风险点和等级目录汇总表-20261124.xlsx``; a section's name
        goes between the campaign and the table."""
        exported_at = exported_at or timezone.localtime()
        parts = [campaign.title]
        if section is not None:
            parts.append(section.name)
        parts += [str(self.title), exported_at.strftime(FILE_DATE_FORMAT)]
        return _safe_filename("-".join(parts)) + ".xlsx"

    def sheets(self, campaign, user, section=None, exported_at=None) -> Iterator[Sheet]:
        """The workbook's sheets, lazily; raises NothingToExport up front for
        a per-person export with nobody in scope."""
        exported_at = exported_at or timezone.localtime()
        table = self.table_for(campaign)
        rows = self.rows(campaign, user, section)
        if not self.per_person:
            return iter(
                [Sheet(table, rows, export_context(campaign, exported_at), str(self.title))]
            )
        parts = iter(rows)
        first = next(parts, None)
        if first is None:
            raise NothingToExport(self.key)
        return (
            Sheet(table, part.rows, export_context(campaign, exported_at, part.extra), part.title)
            for part in chain([first], parts)
        )

    def write(self, stream: IO[bytes], campaign, user, section=None, exported_at=None):
        """Write the workbook to ``stream`` (a file, a response)."""
        sheets = self.sheets(campaign, user, section, exported_at)
        write_xlsx(stream, sheets, write_only=self.write_only)


def export_context(campaign, exported_at=None, extra=None) -> ExportContext:
    """Unit, campaign, time and the campaign's own grade colours."""
    colours = {level.label: level.colour for level in campaign.grade_levels.all()}
    return ExportContext(
        unit_name=campaign.unit.name,
        campaign_title=campaign.title,
        exported_at=exported_at or timezone.localtime(),
        grade_colours=colours,
        extra=dict(extra or {}),
    )


def _safe_filename(name: str) -> str:
    # Keep Chinese text; drop what no file system accepts.
    return "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in name).strip()


_registry: dict[str, Export] = {}


def register(export: Export) -> Export:
    """Add (or replace, on a code reload) the export under its key."""
    _registry[export.key] = export
    return export


def unregister(key: str) -> None:
    _registry.pop(key, None)


def get(key: str) -> Export | None:
    return _registry.get(key)


def all_exports() -> list[Export]:
    return sorted(_registry.values(), key=lambda export: (export.order, export.key))


def exports_for(user, campaign) -> list[Export]:
    """The tables this person may export from this campaign, in order."""
    return [export for export in all_exports() if export.may_use(user, campaign)]


def may_open_centre(user, campaign) -> bool:
    return may_export(user, campaign)


def centre_url(campaign) -> str:
    return reverse("exports:centre", args=[campaign.pk])


navigation.register(
    navigation.NavItem(
        "exports",
        _("导出中心"),
        "exports:index",
        lambda who: who.may_export or who.is_office,
        order=80,
        icon="file-earmark-spreadsheet",
    )
)
