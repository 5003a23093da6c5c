"""The personal reminders in the D (green) style: the ``monthly`` reminder
of each person's own risk points and open measures, and the ``holidays``
reminder before each holiday on the office's list.

Both list a person's own register, read as sorted streams joined in Python
so that the number of queries does not grow with the number of people.
"""

from collections import defaultdict
from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Notification, User
from accounts.services import Message
from campaign.models import Campaign
from risks.models import Filing, Measure, RiskPoint

from ..models import Holiday, WarningPolicy
from .outbox import (
    CHUNK_SIZE,
    MAX_MEASURES_LISTED,
    MAX_POINTS_LISTED,
    Outbox,
    _url,
)

DEFAULT_HOLIDAY_DAYS = WarningPolicy._meta.get_field("holiday_notice_days").default


# Personal reminders: monthly and before holidays -------------------------------------------------


class _Stream:
    """A sorted row iterator that hands out the rows of one key at a time."""

    def __init__(self, rows, key=lambda row: row[0]):
        self._rows = iter(rows)
        self._key = key
        self._head = next(self._rows, None)

    def take(self, wanted) -> list:
        while self._head is not None and self._key(self._head) < wanted:
            self._head = next(self._rows, None)
        found = []
        while self._head is not None and self._key(self._head) == wanted:
            found.append(self._head)
            self._head = next(self._rows, None)
        return found


def _approved_filings(unit_ids=None, unit_id=None):
    filings = Filing.objects.filter(
        kind=Filing.Kind.PERSONAL,
        status=Filing.Status.APPROVED,
        campaign__status=Campaign.Status.RUNNING,
        owner__is_active=True,
    )
    if unit_ids is not None:
        filings = filings.filter(campaign__unit_id__in=unit_ids)
    if unit_id is not None:
        filings = filings.filter(campaign__unit_id=unit_id)
    return filings


def _register_streams(filings):
    """Risk points and open measures of ``filings``, sorted by owner."""
    points = (
        RiskPoint.objects.filter(filing__in=filings)
        .values_list(
            "filing__owner_id",
            "title",
            "final_grade__label",
            "reviewed_grade__label",
            "self_grade__label",
        )
        .order_by("filing__owner_id", "filing_id", "position", "pk")
    )
    measures = (
        Measure.objects.filter(risk_point__filing__in=filings)
        .exclude(status=Measure.Status.DONE)
        .values_list("risk_point__filing__owner_id", "text", "due_on", "status")
        .order_by(
            "risk_point__filing__owner_id",
            "risk_point__filing_id",
            "risk_point__position",
            "line",
            "position",
            "pk",
        )
    )
    return (
        _Stream(points.iterator(chunk_size=CHUNK_SIZE)),
        _Stream(measures.iterator(chunk_size=CHUNK_SIZE)),
    )


STATUS_LABELS = dict(Measure.Status.choices)


def _register_lines(points, measures) -> list[str]:
    lines = []
    if points:
        lines.append(_("您登记的廉政风险点："))
        for number, (_owner, title, final, reviewed, own) in enumerate(
            points[:MAX_POINTS_LISTED], start=1
        ):
            grade = final or reviewed or own
            lines.append(
                f"{number}. {title}" + (_("（%(grade)s）") % {"grade": grade} if grade else "")
            )
        if len(points) > MAX_POINTS_LISTED:
            lines.append(_("…… 共 %(count)d 个风险点") % {"count": len(points)})
    if measures:
        lines.append(_("尚未落实的防控措施："))
        for _owner, text, due_on, status in measures[:MAX_MEASURES_LISTED]:
            when = _("，期限 %(date)s") % {"date": due_on.isoformat()} if due_on else ""
            lines.append(f"· {text[:60]}（{STATUS_LABELS.get(status, status)}{when}）")
        if len(measures) > MAX_MEASURES_LISTED:
            lines.append(_("…… 共 %(count)d 项") % {"count": len(measures)})
    return lines


MONTHLY_OPENING = gettext_lazy(
    "【D级·绿色提醒】本月廉政风险提醒：请对照岗位职责，留意下列风险点，落实防控措施，守住廉洁底线。"
)
HOLIDAY_OPENING = gettext_lazy(
    "【D级·绿色提醒】%(name)s（%(date)s）将至。请严守中央八项规定精神，不收受礼品礼金，不违规吃喝，"
    "不公车私用，过一个廉洁的节日。"
)


def monthly_risk_reminder(today, unit_id=None) -> Outbox:
    """Each person with an approved personal filing in a running campaign:
    their own risk points and open measures, once a month."""
    first = today.replace(day=1)
    box = Outbox(today, ["monthly"], first)
    filings = _approved_filings(unit_id=unit_id)
    points, measures = _register_streams(filings)
    rows = (
        filings.values_list("owner_id", "pk", "campaign__title")
        .order_by("owner_id", "pk")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    url = _url("earlywarnings:my_file")
    current, mine = None, []

    def emit(owner_id, owned):
        if owner_id is None:
            return
        try:
            keys = [("monthly", pk, owner_id, first) for _o, pk, _t in owned]
            if all(box.was_sent(*key) for key in keys):
                return  # the streams skip this person's rows by themselves
            lines = [
                str(MONTHLY_OPENING),
                *_register_lines(points.take(owner_id), measures.take(owner_id)),
            ]
            title = _("%(month)s廉政风险提醒") % {
                "month": _("%(y)d年%(m)d月") % {"y": first.year, "m": first.month}
            }
            box.add(
                keys,
                Message(owner_id, Notification.Kind.RISK_REMINDER, title, "\n".join(lines), url),
            )
        except Exception as exc:
            box.error(exc, f"monthly {owner_id}")

    for row in rows:
        if row[0] != current:
            emit(current, mine)
            current, mine = row[0], []
        mine.append(row)
    emit(current, mine)
    return box.close()


def remind_holidays(today, unit_id=None) -> Outbox:
    """Everyone in a unit, N days before each holiday on its list (once per
    holiday), with their own risk points where they have an approved filing."""
    notice = dict(WarningPolicy.objects.values_list("unit_id", "holiday_notice_days"))
    longest = max([DEFAULT_HOLIDAY_DAYS, *notice.values()])
    box = Outbox(today, ["holiday"], today)
    holidays = Holiday.objects.filter(date__gt=today, date__lte=today + timedelta(days=longest))
    if unit_id is not None:
        holidays = holidays.filter(unit_id=unit_id)
    coming = defaultdict(list)
    for holiday in holidays.order_by("date"):
        if (holiday.date - today).days <= notice.get(holiday.unit_id, DEFAULT_HOLIDAY_DAYS):
            coming[holiday.unit_id].append(holiday)
    if not coming:
        return box.close()
    points, measures = _register_streams(_approved_filings(unit_ids=list(coming)))
    people = (
        User.objects.filter(unit_id__in=list(coming), is_active=True)
        .values_list("pk", "unit_id")
        .order_by("pk")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    url = _url("earlywarnings:my_file")
    for person_id, person_unit in people:
        try:
            mine_points, mine_measures = points.take(person_id), measures.take(person_id)
            for holiday in coming[person_unit]:
                key = ("holiday", holiday.pk, person_id, holiday.date)
                if box.was_sent(*key):
                    continue
                opening = HOLIDAY_OPENING % {"name": holiday.name, "date": holiday.date.isoformat()}
                lines = [opening, *_register_lines(mine_points, mine_measures)]
                title = _("节前廉政提醒：%(name)s") % {"name": holiday.name}
                box.add(
                    [key],
                    Message(
                        person_id, Notification.Kind.RISK_REMINDER, title, "\n".join(lines), url
                    ),
                )
        except Exception as exc:
            box.error(exc, f"holiday {person_id}")
    return box.close()
