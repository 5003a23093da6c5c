"""Running a job twice on the same day sends nothing twice: one inbox row
and one e-mail per person, thing and day."""

from collections import Counter
from datetime import date, timedelta

from django.core import mail

from accounts.models import Notification
from earlywarnings import reminders
from earlywarnings.benchmark import build_unit
from earlywarnings.models import JobRun, ReminderLog

TODAY = date(2026, 5, 4)


def test_the_whole_sweep_twice_sends_once(db, frozen, django_capture_on_commit_callbacks):
    with frozen(TODAY):
        unit = build_unit(12, TODAY)
        with django_capture_on_commit_callbacks(execute=True):
            first = reminders.run_sweep(TODAY, unit.pk)
        notes = Notification.objects.count()
        mails = len(mail.outbox)
        logs = ReminderLog.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            second = reminders.run_sweep(TODAY, unit.pk)
    assert all(run.sent_count > 0 for run in first), [(r.job, r.sent_count) for r in first]
    assert [run.sent_count for run in second] == [0] * len(second)
    assert Notification.objects.count() == notes
    assert len(mail.outbox) == mails > 0
    assert ReminderLog.objects.count() == logs
    assert JobRun.objects.count() == 2 * len(first)
    # Per person and kind of reminder: exactly one inbox row, one e-mail at most.
    rows = Counter(Notification.objects.values_list("recipient_id", "kind", "title"))
    assert set(rows.values()) == {1}
    sent_to = Counter((m.to[0], m.subject) for m in mail.outbox)
    assert set(sent_to.values()) == {1}


def test_a_second_run_the_next_day_sends_only_what_falls_due_then(db, frozen):
    with frozen(TODAY):
        unit = build_unit(6, TODAY)
        reminders.run_job("measures", today=TODAY, unit_id=unit.pk)
    with frozen(TODAY + timedelta(days=1)):
        # 6 days before is no reminder day; the overdue measures were reminded yesterday.
        assert (
            reminders.run_job(
                "measures", today=TODAY + timedelta(days=1), unit_id=unit.pk
            ).sent_count
            == 0
        )
