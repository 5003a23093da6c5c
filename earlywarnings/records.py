"""The warning disposal record (预警处置记录), as rows for a table.

:func:`disposal_record` is what the Excel export turns into the printed
table: one row per disposal, and one row for a warning that has none yet.
The source column is masked for people who may not see the warning's signal
(see ``access.sees_source``): it is then empty, exactly as for a warning
raised without a signal, so a row never tells that a petition lies behind it.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone

from . import access
from .models import Disposal, EarlyWarning


@dataclass(frozen=True)
class DisposalRecordRow:
    date: date  # the day the warning was raised
    target: str  # the person (or post, section, 全单位) warned
    section: str
    level: str  # e.g. "C级（蓝色）"
    scope: str  # 岗位预警 / 单位预警 / 综合预警
    source: str  # the signal's source, "" when none or not to be shown
    warning_title: str
    disposal_kind: str  # "" for a warning without disposals
    responsible: str
    due: date | None
    report: str
    reported_at: datetime | None
    evaluation: str
    evaluated_at: datetime | None
    closed: bool
    closed_at: datetime | None
    warning_id: int
    disposal_id: int | None


def disposal_record(
    user, *, year=None, date_from=None, date_to=None, level=None, section=None
) -> list[DisposalRecordRow]:
    """Rows of the warning disposal record that ``user`` may see, oldest
    warning first; ``year`` (the warning's year), the raised-on dates, the
    level and the section warned (or the warned person's section) narrow
    it. A fixed number of queries whatever the size."""
    warnings = access.visible_warnings(user)
    if section is not None:
        warnings = warnings.filter(section=section)
    if year is not None:
        warnings = warnings.filter(year=year)
    if date_from is not None:
        warnings = warnings.filter(raised_at__date__gte=date_from)
    if date_to is not None:
        warnings = warnings.filter(raised_at__date__lte=date_to)
    if level:
        warnings = warnings.filter(level=level)
    warnings = (
        warnings.select_related(
            "person", "post__section", "section", "signal__person", "signal__post"
        )
        .prefetch_related(
            Prefetch(
                "disposals",
                queryset=Disposal.objects.select_related("responsible").order_by(
                    "created_at", "pk"
                ),
            )
        )
        .order_by("raised_at", "pk")
    )
    rows = []
    for warning in warnings:
        rows.extend(_rows_of(user, warning))
    return rows


def _rows_of(user, warning: EarlyWarning):
    source = warning.signal.get_source_display() if access.sees_source(user, warning) else ""
    common = {
        "date": timezone.localtime(warning.raised_at).date() if warning.raised_at else None,
        "target": warning.target_label(),
        "section": warning.section.name if warning.section_id else "",
        "level": str(warning.get_level_display()),
        "scope": str(warning.scope_label),
        "source": str(source),
        "warning_title": warning.title,
        "warning_id": warning.pk,
    }
    disposals = list(warning.disposals.all())
    if not disposals:
        yield DisposalRecordRow(
            **common,
            disposal_kind="",
            responsible="",
            due=None,
            report=warning.response,
            reported_at=warning.responded_at,
            evaluation=warning.closing_note,
            evaluated_at=None,
            closed=warning.is_closed,
            closed_at=warning.closed_at,
            disposal_id=None,
        )
        return
    for disposal in disposals:
        yield DisposalRecordRow(
            **common,
            disposal_kind=str(disposal.get_kind_display()),
            responsible=str(disposal.responsible),
            due=disposal.due_on,
            report=disposal.report,
            reported_at=disposal.reported_at,
            evaluation=disposal.evaluation,
            evaluated_at=disposal.evaluated_at,
            closed=disposal.status == Disposal.Status.CLOSED,
            closed_at=disposal.closed_at,
            disposal_id=disposal.pk,
        )
