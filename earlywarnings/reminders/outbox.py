"""The machinery every reminder job shares: the :class:`Outbox` that skips
what the ``ReminderLog`` says was sent and writes logs and notifications in
batches, the batch sizes and list limits, and the helpers that decide when
something is due or overdue.

Kept apart from the jobs so that other apps' jobs (see
``register_daily_job`` in ``earlywarnings/reminders/registry.py``) build on
the same outbox without importing any particular job.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import Message, notify_many

from ..models import ReminderLog

# Days before a due date on which a reminder goes out.
REMINDER_OFFSETS = (7, 3, 1)
# An overdue thing is reminded of again after this many days.
OVERDUE_REPEAT_DAYS = 7
# Messages written per batch (one insert of logs, one of notifications).
FLUSH_SIZE = 5000
# Rows fetched per round trip by the streaming reads.
CHUNK_SIZE = 2000
# How much of a person's register a personal reminder lists.
MAX_POINTS_LISTED = 10
MAX_MEASURES_LISTED = 10
MAX_ERRORS_KEPT = 20


def _url(name, *args) -> str:
    """A link, or none while the page it points to does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# The outbox ---------------------------------------------------------------------


@dataclass
class Outbox:
    """Collects a job's reminders, skips those already sent, writes in batches."""

    today: date
    kinds: list
    since: date
    sent: int = 0
    errors: int = 0
    error_lines: list = field(default_factory=list)

    def __post_init__(self):
        self._seen = set()
        self._buffer = []  # (keys, Message)
        self._load()

    def _load(self):
        rows = (
            ReminderLog.objects.filter(kind__in=self.kinds, day__gte=self.since)
            .values_list("kind", "object_id", "person_id", "day")
            .iterator(chunk_size=CHUNK_SIZE)
        )
        self._seen = set(rows)

    def was_sent(self, kind, object_id, person_id, day) -> bool:
        return (kind, object_id, person_id, day) in self._seen

    def sent_within(self, kind, object_id, person_id, days) -> bool:
        """Was this reminded of on any of the last ``days`` days (today included)?"""
        return any(
            (kind, object_id, person_id, self.today - timedelta(days=back)) in self._seen
            for back in range(days)
        )

    def add(self, keys, message: Message):
        """Queue ``message`` under its log ``keys`` (kind, object, person, day)."""
        keys = [key for key in keys if key not in self._seen]
        if not keys:
            return
        self._seen.update(keys)
        self._buffer.append((keys, message))
        if len(self._buffer) >= FLUSH_SIZE:
            self.flush()

    def error(self, exc, what=""):
        self.errors += 1
        if len(self.error_lines) < MAX_ERRORS_KEPT:
            self.error_lines.append(f"{what}: {exc.__class__.__name__}: {exc}".strip(": "))

    def flush(self):
        if not self._buffer:
            return
        for attempt in (1, 2):
            try:
                with transaction.atomic():
                    ReminderLog.objects.bulk_create(
                        [
                            ReminderLog(
                                kind=kind, object_id=object_id, person_id=person_id, day=day
                            )
                            for keys, _message in self._buffer
                            for kind, object_id, person_id, day in keys
                        ]
                    )
                    notify_many([message for _keys, message in self._buffer])
                break
            except IntegrityError:
                if attempt == 2:
                    raise
                self._recover()
        self.sent += len(self._buffer)
        self._buffer = []

    def _recover(self):
        """Another run sent some of these meanwhile, or a person was deleted:
        keep only what is still to send, to people who still exist."""
        pending = self._buffer
        self._load()
        people = {message.recipient_id for _keys, message in pending}
        alive = set(User.objects.filter(pk__in=people).values_list("pk", flat=True))
        self._buffer = []
        for keys, message in pending:
            keys = [key for key in keys if key not in self._seen]
            if keys and message.recipient_id in alive:
                self._buffer.append((keys, message))

    def close(self):
        self.flush()
        return self


def _due_phase(due_on, today):
    """("due", days left) on a reminder day, ("overdue", days late), or None."""
    left = (due_on - today).days
    if left in REMINDER_OFFSETS:
        return "due", left
    if left < 0:
        return "overdue", -left
    return None


def _due_filter(field_name, today) -> Q:
    days = [today + timedelta(days=offset) for offset in REMINDER_OFFSETS]
    return Q(**{f"{field_name}__in": days}) | Q(**{f"{field_name}__lt": today})


def _add_due(box, kind, object_id, person_id, phase, message):
    """Queue a due/overdue reminder: due ones once a day (they fall on set
    days), overdue ones once every OVERDUE_REPEAT_DAYS."""
    full_kind = f"{kind}.{phase}"
    if phase == "overdue" and box.sent_within(full_kind, object_id, person_id, OVERDUE_REPEAT_DAYS):
        return
    box.add([(full_kind, object_id, person_id, box.today)], message)


def _due_kinds(*kinds):
    return [f"{kind}.{phase}" for kind in kinds for phase in ("due", "overdue")]
