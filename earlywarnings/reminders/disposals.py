"""The reminder jobs about warning disposals: the daily ``disposals`` job
(7/3/1 days before a disposal's report is due, then weekly once overdue and
escalated to the responsible official) and the office's one-off "催报"
(``urge_disposal``).
"""

from datetime import timedelta

from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.services import Message

from ..models import Disposal
from .outbox import (
    CHUNK_SIZE,
    OVERDUE_REPEAT_DAYS,
    Outbox,
    _add_due,
    _due_filter,
    _due_kinds,
    _due_phase,
    _url,
)

# Disposals --------------------------------------------------------------------------------


def remind_disposals(today, unit_id=None) -> Outbox:
    box = Outbox(today, _due_kinds("disposal"), today - timedelta(days=OVERDUE_REPEAT_DAYS))
    disposals = Disposal.objects.filter(status=Disposal.Status.PLANNED).filter(
        _due_filter("due_on", today)
    )
    if unit_id is not None:
        disposals = disposals.filter(warning__unit_id=unit_id)
    rows = disposals.values_list(
        "pk",
        "kind",
        "due_on",
        "reporter_id",
        "reporter__is_active",
        "responsible_id",
        "responsible__is_active",
        "warning_id",
    )
    kinds = dict(Disposal.Kind.choices)
    for (
        pk,
        kind,
        due_on,
        reporter,
        reporter_active,
        responsible,
        responsible_active,
        warning_id,
    ) in rows.iterator(chunk_size=CHUNK_SIZE):
        try:
            phase, days = _due_phase(due_on, today)
            url = _url("earlywarnings:my_warning", warning_id)
            values = {"kind": kinds.get(kind, kind), "days": days, "date": due_on.isoformat()}
            if phase == "due":
                title = (
                    _("预警处置提醒：%(kind)s的落实情况还有 %(days)d 天到期（%(date)s）") % values
                )
            else:
                title = (
                    _("预警处置逾期：%(kind)s的落实情况已逾期 %(days)d 天（应于 %(date)s 报告）")
                    % values
                )
            if reporter_active:
                _add_due(
                    box,
                    "disposal",
                    pk,
                    reporter,
                    phase,
                    Message(reporter, Notification.Kind.DISPOSAL, title, "", url),
                )
            if phase == "overdue" and responsible_active and responsible != reporter:
                escalated = (
                    _("处置逾期督办：%(kind)s的落实情况已逾期 %(days)d 天（应于 %(date)s 报告）")
                    % values
                )
                _add_due(
                    box,
                    "disposal",
                    pk,
                    responsible,
                    phase,
                    Message(responsible, Notification.Kind.DISPOSAL, escalated, "", url),
                )
        except Exception as exc:
            box.error(exc, f"disposal {pk}")
    return box.close()


def urge_disposal(today, unit_id=None, *, disposal_id) -> Outbox:
    """The office's "催报" button: remind the reporter of one disposal now
    (at most once a day). A disposal deleted or reported meanwhile is skipped."""
    box = Outbox(today, ["disposal.urge"], today)
    row = (
        Disposal.objects.filter(
            pk=disposal_id, status=Disposal.Status.PLANNED, reporter__is_active=True
        )
        .values_list("kind", "due_on", "reporter_id", "warning_id")
        .first()
    )
    if row is not None:
        kind, due_on, reporter, warning_id = row
        title = _("请尽快报告预警处置落实情况：%(kind)s（期限 %(date)s）") % {
            "kind": Disposal.Kind(kind).label,
            "date": due_on.isoformat(),
        }
        box.add(
            [("disposal.urge", disposal_id, reporter, today)],
            Message(
                reporter,
                Notification.Kind.DISPOSAL,
                title,
                "",
                _url("earlywarnings:my_warning", warning_id),
            ),
        )
    return box.close()
