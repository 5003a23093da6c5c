"""The reminder jobs that Celery beat runs (``earlywarnings/tasks.py`` wraps
them; the data migration ``0002_default_schedules`` creates their schedules).

================  =========================================================
job               what it reminds of
================  =========================================================
``deadlines``     stages and milestones of running campaigns: 7, 3 and 1
                  days before the due date, and once overdue (again every
                  7 days while overdue); an overdue milestone is escalated
                  to the section head(s) concerned and the campaign office
``reviewers``     open review steps waiting more than N days (the unit's
                  ``WarningPolicy.reviewer_waiting_days``, default 3): one
                  digest per reviewer (assignees and delegate), repeated
                  every N days while the step stays open
``measures``      measures of running campaigns with an owner, not done:
                  7/3/1 days before ``due_on`` and overdue (weekly); one
                  digest per owner and day
``disposals``     disposals waiting for their report: 7/3/1 days before and
                  overdue (weekly, escalated to the responsible official)
``holidays``      N days before each holiday on the office's list (default
                  2): everyone, with their own risk points and measures
``monthly``       on the first of the month: each person with an approved
                  personal filing in a running campaign gets a green (D
                  style) reminder of their own risk points and measures
================  =========================================================

Rules every job follows:

* **Idempotent.** Every reminder sent writes a :class:`ReminderLog` row keyed
  by kind, object, person and day (unique constraint
  ``reminder_log_once_per_day``). A job first loads the recent log keys and
  skips what was sent; two runs at the same time collide on the constraint,
  and the loser's batch rolls back, drops what the winner sent and retries.
* **Batched.** Rows are read as a handful of streaming queries
  (``iterator(chunk_size=…)``), joined in Python on sorted keys; logs and
  notifications are written with ``bulk_create`` through
  ``accounts.services.notify_many`` every :data:`FLUSH_SIZE` messages. The
  number of queries does not depend on the number of people (up to
  :data:`FLUSH_SIZE` messages per job and run; SQLite additionally splits
  large inserts into several statements).
* **Recorded.** :func:`run_job` writes a :class:`JobRun` (started, finished,
  sent, errors) that the office reads on the job-run page.

Hook for more daily jobs (e.g. "publicity window closing" from the publicity
app): an app that may import ``earlywarnings`` calls
``register_daily_job(key, label, func)`` from its ``AppConfig.ready``; the
``earlywarnings.tasks.run_extra_daily_jobs`` beat task (daily, 08:50) runs
each registered ``func(today, unit_id)`` in turn, each recorded as its own
JobRun. ``func`` queues its reminders in an ``Outbox(today, kinds, since)``
(which gives it the ReminderLog idempotency and the batched writes) and
returns ``box.close()``. An app that must not import this one simply adds
its own ``PeriodicTask`` (in the admin, or a data migration like ours).
"""

import contextlib
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Notification, Section, User
from accounts.roles import GROUP_NAMES, Role
from accounts.services import Message, notify_many
from campaign.models import Campaign, LeadingGroupMember, Milestone, ReviewStep, Stage, Subject
from risks.models import Filing, Measure, RiskPoint

from .models import Disposal, Holiday, JobRun, ReminderLog, WarningPolicy

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

DEFAULT_REVIEWER_DAYS = WarningPolicy._meta.get_field("reviewer_waiting_days").default
DEFAULT_HOLIDAY_DAYS = WarningPolicy._meta.get_field("holiday_notice_days").default


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


# Deadlines: stages and milestones ---------------------------------------------------


def _people_by_unit(unit_ids, role):
    result = defaultdict(list)
    rows = User.objects.filter(
        unit_id__in=unit_ids, is_active=True, groups__name=GROUP_NAMES[role]
    ).values_list("unit_id", "pk")
    for unit_id, pk in rows.distinct():
        result[unit_id].append(pk)
    return result


def remind_deadlines(today, unit_id=None) -> Outbox:
    box = Outbox(
        today, _due_kinds("stage", "milestone"), today - timedelta(days=OVERDUE_REPEAT_DAYS)
    )
    campaigns = Campaign.objects.filter(status=Campaign.Status.RUNNING)
    if unit_id is not None:
        campaigns = campaigns.filter(unit_id=unit_id)
    stages = list(
        Stage.objects.filter(campaign__in=campaigns)
        .exclude(status=Stage.Status.DONE)
        .filter(_due_filter("due_on", today))
        .select_related("campaign")
    )
    milestones = list(
        Milestone.objects.filter(stage__campaign__in=campaigns, done=False)
        .exclude(stage__status=Stage.Status.DONE)
        .filter(_due_filter("due_on", today))
        .select_related("stage__campaign", "section")
    )
    if not stages and not milestones:
        return box.close()
    campaign_ids = {s.campaign_id for s in stages} | {m.stage.campaign_id for m in milestones}
    unit_ids = {s.campaign.unit_id for s in stages} | {m.stage.campaign.unit_id for m in milestones}
    office, group = defaultdict(list), defaultdict(list)
    seats = LeadingGroupMember.objects.filter(campaign_id__in=campaign_ids, person__is_active=True)
    for campaign_id, person_id, role in seats.values_list("campaign_id", "person_id", "role"):
        group[campaign_id].append(person_id)
        if role in LeadingGroupMember.OFFICE_ROLES:
            office[campaign_id].append(person_id)
    committee = _people_by_unit(unit_ids, Role.PARTY_COMMITTEE)
    heads, head_of = defaultdict(list), {}
    sections = Section.objects.filter(unit_id__in=unit_ids, is_active=True, head__is_active=True)
    for section_unit, section_id, head_id in sections.values_list("unit_id", "pk", "head_id"):
        heads[section_unit].append(head_id)
        head_of[section_id] = head_id
    staff = defaultdict(list)
    R = Milestone.Responsible
    everyone_units = {
        m.stage.campaign.unit_id
        for m in milestones
        if m.responsible == R.ALL_STAFF and _due_phase(m.due_on, today)[0] == "due"
    }
    if everyone_units:
        rows = User.objects.filter(unit_id__in=everyone_units, is_active=True).values_list(
            "unit_id", "pk"
        )
        for person_unit, pk in rows.iterator(chunk_size=CHUNK_SIZE):
            staff[person_unit].append(pk)

    for stage in stages:
        try:
            phase, days = _due_phase(stage.due_on, today)
            campaign = stage.campaign
            if phase == "due":
                title = _("阶段提醒：“%(stage)s”还有 %(days)d 天到期（%(date)s）")
            else:
                title = _("阶段逾期：“%(stage)s”已逾期 %(days)d 天（应于 %(date)s 完成）")
            title %= {
                "stage": stage.get_kind_display(),
                "days": days,
                "date": stage.due_on.isoformat(),
            }
            url = _url("campaign:plan", campaign.pk) or _url("campaign:detail", campaign.pk)
            for person_id in set(office[campaign.pk]):
                _add_due(
                    box,
                    "stage",
                    stage.pk,
                    person_id,
                    phase,
                    Message(person_id, Notification.Kind.DEADLINE, title, campaign.title, url),
                )
        except Exception as exc:  # one bad row must not stop the others
            box.error(exc, f"stage {stage.pk}")

    for milestone in milestones:
        try:
            phase, days = _due_phase(milestone.due_on, today)
            campaign = milestone.stage.campaign
            unit = campaign.unit_id
            responsible = {
                R.OFFICE: office[campaign.pk],
                R.LEADING_GROUP: group[campaign.pk],
                R.PARTY_COMMITTEE: committee[unit],
                R.SECTION_HEADS: heads[unit],
                R.ALL_STAFF: staff[unit] if phase == "due" else [],
                R.SECTION: [head_of[milestone.section_id]]
                if milestone.section_id in head_of
                else [],
            }[milestone.responsible]
            body = _("%(campaign)s · %(stage)s · 责任主体：%(who)s") % {
                "campaign": campaign.title,
                "stage": milestone.stage.get_kind_display(),
                "who": milestone.responsible_label(),
            }
            url = _url("campaign:detail", campaign.pk)
            values = {"title": milestone.title, "days": days, "date": milestone.due_on.isoformat()}
            if phase == "due":
                title = _("时间节点提醒：“%(title)s”还有 %(days)d 天到期（%(date)s）") % values
                for person_id in set(responsible):
                    _add_due(
                        box,
                        "milestone",
                        milestone.pk,
                        person_id,
                        phase,
                        Message(person_id, Notification.Kind.DEADLINE, title, body, url),
                    )
                continue
            # Overdue: the responsible people, and up the line to the heads of
            # the sections concerned and the campaign office.
            escalate = set(office[campaign.pk])
            if milestone.responsible == R.SECTION:
                escalate.update(responsible)
            elif milestone.responsible in (R.SECTION_HEADS, R.ALL_STAFF):
                escalate.update(heads[unit])
            own_title = (
                _("时间节点已逾期：“%(title)s”已逾期 %(days)d 天（应于 %(date)s 完成）") % values
            )
            escalated_title = (
                _("逾期督办：“%(title)s”已逾期 %(days)d 天（应于 %(date)s 完成）") % values
            )
            for person_id in set(responsible) | escalate:
                title = own_title if person_id in responsible else escalated_title
                _add_due(
                    box,
                    "milestone",
                    milestone.pk,
                    person_id,
                    phase,
                    Message(person_id, Notification.Kind.DEADLINE, title, body, url),
                )
        except Exception as exc:
            box.error(exc, f"milestone {milestone.pk}")
    return box.close()


# Reviewers with work waiting ------------------------------------------------------------


def remind_reviewers(today, unit_id=None) -> Outbox:
    policies = dict(WarningPolicy.objects.values_list("unit_id", "reviewer_waiting_days"))
    shortest = min([DEFAULT_REVIEWER_DAYS, *policies.values()])
    longest = max([DEFAULT_REVIEWER_DAYS, *policies.values()])
    box = Outbox(today, ["review.waiting"], today - timedelta(days=longest))
    steps = ReviewStep.objects.filter(
        status=ReviewStep.Status.OPEN,
        opened_at__lt=_start_of(today - timedelta(days=shortest - 1)),
        review__campaign__status=Campaign.Status.RUNNING,
    )
    if unit_id is not None:
        steps = steps.filter(review__campaign__unit_id=unit_id)
    waiting = {}
    rows = steps.values_list(
        "pk",
        "opened_at",
        "delegate_id",
        "delegate__is_active",
        "review__subject_kind",
        "review__filer__full_name",
        "review__section__name",
        "review__campaign__unit_id",
    )
    subjects = dict(Subject.choices)
    for (
        pk,
        opened_at,
        delegate_id,
        delegate_active,
        subject_kind,
        filer,
        section,
        step_unit,
    ) in rows.iterator(chunk_size=CHUNK_SIZE):
        period = policies.get(step_unit, DEFAULT_REVIEWER_DAYS)
        waited = (today - timezone.localdate(opened_at)).days
        if waited < period:
            continue
        period_day = timezone.localdate(opened_at) + timedelta(days=period * (waited // period))
        label = f"{subjects.get(subject_kind, subject_kind)}：{filer}" + (
            f"（{section}）" if section else ""
        )
        waiting[pk] = (label, waited, period, period_day, delegate_id if delegate_active else None)
    if not waiting:
        return box.close()
    per_person = defaultdict(list)
    links = ReviewStep.assignees.through.objects.filter(reviewstep__in=steps, user__is_active=True)
    for step_id, person_id in links.values_list("reviewstep_id", "user_id").iterator(
        chunk_size=CHUNK_SIZE
    ):
        if step_id in waiting:
            per_person[person_id].append(step_id)
    for step_id, (_label, _waited, _period, _day, delegate_id) in waiting.items():
        if delegate_id and step_id not in per_person[delegate_id]:
            per_person[delegate_id].append(step_id)
    url = _url("campaign:reviews") or _url("home")
    for person_id, step_ids in per_person.items():
        try:
            keys = [("review.waiting", s, person_id, waiting[s][3]) for s in step_ids]
            fresh = [s for s, key in zip(step_ids, keys, strict=True) if not box.was_sent(*key)]
            if not fresh:
                continue
            days = min(waiting[s][2] for s in fresh)
            lines = [
                _("· %(label)s，已等待 %(days)d 天")
                % {"label": waiting[s][0], "days": waiting[s][1]}
                for s in sorted(fresh, key=lambda s: -waiting[s][1])[:MAX_POINTS_LISTED]
            ]
            if len(fresh) > MAX_POINTS_LISTED:
                lines.append(_("…… 共 %(count)d 项") % {"count": len(fresh)})
            title = _("审核催办：您有 %(count)d 项审核已等待超过 %(days)d 天") % {
                "count": len(fresh),
                "days": days,
            }
            box.add(
                [("review.waiting", s, person_id, waiting[s][3]) for s in fresh],
                Message(person_id, Notification.Kind.REVIEW, title, "\n".join(lines), url),
            )
        except Exception as exc:
            box.error(exc, f"reviewer {person_id}")
    return box.close()


# Measures -----------------------------------------------------------------------------


def remind_measures(today, unit_id=None) -> Outbox:
    box = Outbox(today, _due_kinds("measure"), today - timedelta(days=OVERDUE_REPEAT_DAYS))
    measures = (
        Measure.objects.filter(
            owner__isnull=False,
            owner__is_active=True,
            risk_point__campaign__status=Campaign.Status.RUNNING,
        )
        .exclude(status=Measure.Status.DONE)
        .filter(_due_filter("due_on", today))
    )
    if unit_id is not None:
        measures = measures.filter(risk_point__campaign__unit_id=unit_id)
    rows = measures.values_list(
        "owner_id",
        "pk",
        "text",
        "due_on",
        "risk_point__title",
        "risk_point__filing_id",
        "risk_point__filing__owner_id",
    ).order_by("owner_id", "due_on", "pk")
    current, items = None, []
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        if row[0] != current:
            _measure_digest(box, current, items)
            current, items = row[0], []
        items.append(row)
    _measure_digest(box, current, items)
    return box.close()


def _measure_digest(box, owner_id, items):
    if owner_id is None or not items:
        return
    try:
        keys, due, late, url = [], [], [], ""
        for _owner, pk, text, due_on, point, filing_id, filing_owner in items:
            phase, days = _due_phase(due_on, box.today)
            kind = f"measure.{phase}"
            if phase == "overdue" and box.sent_within(kind, pk, owner_id, OVERDUE_REPEAT_DAYS):
                continue
            if box.was_sent(kind, pk, owner_id, box.today):
                continue
            keys.append((kind, pk, owner_id, box.today))
            line = _("· %(text)s（风险点：%(point)s；期限 %(date)s）") % {
                "text": text[:60],
                "point": point,
                "date": due_on.isoformat(),
            }
            (due if phase == "due" else late).append(line)
            if not url and filing_owner == owner_id:
                url = _url("risks:filing", filing_id)
        if not keys:
            return
        parts = []
        if late:
            parts.append(_("已逾期 %(count)d 项") % {"count": len(late)})
        if due:
            parts.append(_("7 日内到期 %(count)d 项") % {"count": len(due)})
        title = _("防控措施到期提醒：%(parts)s") % {"parts": "，".join(parts)}
        body = []
        if late:
            body += [_("已逾期："), *late[:MAX_MEASURES_LISTED]]
        if due:
            body += [_("即将到期："), *due[:MAX_MEASURES_LISTED]]
        box.add(keys, Message(owner_id, Notification.Kind.MEASURE, title, "\n".join(body), url))
    except Exception as exc:
        box.error(exc, f"measures of {owner_id}")


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


# Running and recording jobs -------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    key: str
    label: str
    run: Callable
    daily: bool = True


JOBS: dict[str, Job] = {}


def _register(job: Job):
    JOBS[job.key] = job


_register(Job("deadlines", gettext_lazy("阶段和时间节点提醒"), remind_deadlines))
_register(Job("reviewers", gettext_lazy("审核催办"), remind_reviewers))
_register(Job("measures", gettext_lazy("防控措施到期提醒"), remind_measures))
_register(Job("disposals", gettext_lazy("预警处置到期提醒"), remind_disposals))
_register(Job("holidays", gettext_lazy("节前廉政提醒"), remind_holidays))
_register(Job("monthly", gettext_lazy("每月廉政风险提醒"), monthly_risk_reminder, daily=False))
_register(Job("urge_disposal", gettext_lazy("催报预警处置"), urge_disposal, daily=False))

# Jobs other apps add (see the module docstring); run by run_extra_daily_jobs.
EXTRA_DAILY: dict[str, Job] = {}


def register_daily_job(key: str, label, func: Callable) -> None:
    """Add a daily job: ``func(today, unit_id)`` returns a closed :class:`Outbox`
    (build it as ``Outbox(today, kinds, since)``)."""
    EXTRA_DAILY[key] = Job(key, label, func)


def register_job(key: str, label, func: Callable, *, daily: bool = False) -> None:
    """List another app's job with the reminder jobs (its runs appear on the
    job-run page under ``label``). Not run by the daily sweep unless ``daily``
    (use :func:`register_daily_job` for that)."""
    JOBS[key] = Job(key, label, func, daily=daily)


def all_jobs() -> dict[str, Job]:
    return {**JOBS, **EXTRA_DAILY}


def job_label(key) -> str:
    job = JOBS.get(key) or EXTRA_DAILY.get(key)
    return str(job.label) if job else key


def run_job(key, *, today=None, unit_id=None, **kwargs) -> JobRun:
    """Run one job now and record the run; re-raise what stopped it (so the
    Celery task retries transient errors)."""
    job = JOBS.get(key) or EXTRA_DAILY[key]
    today = today or timezone.localdate()
    # A run for one unit is that unit's to read; a run over all units is nobody's in particular.
    run = JobRun.objects.create(job=key, unit_id=unit_id, started_at=timezone.now())
    try:
        box = job.run(today, unit_id, **kwargs)
    except Exception:
        run.finished_at = timezone.now()
        run.status = JobRun.Status.FAILED
        run.error_count += 1
        run.error_text = traceback.format_exc()[-4000:]
        # The database itself may be what failed; the error goes up either way.
        with contextlib.suppress(Exception):
            run.save(update_fields=["finished_at", "status", "error_count", "error_text"])
        raise
    run.finished_at = timezone.now()
    run.sent_count = box.sent
    run.error_count = box.errors
    run.error_text = "\n".join(box.error_lines)
    run.status = JobRun.Status.PARTIAL if box.errors else JobRun.Status.OK
    run.save(update_fields=["finished_at", "sent_count", "error_count", "error_text", "status"])
    return run


DAILY_ORDER = ["deadlines", "reviewers", "measures", "disposals", "holidays"]


def run_sweep(today=None, unit_id=None, *, monthly=True) -> list[JobRun]:
    """Every daily job (and the extra ones), then the monthly reminder: what
    beat does in a day, in one call (the benchmark and the tests use it)."""
    keys = [*DAILY_ORDER, *EXTRA_DAILY]
    if monthly:
        keys.append("monthly")
    return [run_job(key, today=today, unit_id=unit_id) for key in keys]
