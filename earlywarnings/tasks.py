"""Celery tasks of early warning. Beat runs them on the schedules that the
data migration ``0002_default_schedules`` creates (django-celery-beat's
database scheduler: the office's administrator edits them in the admin):

====================================================  ====================
task                                                  default schedule
====================================================  ====================
``earlywarnings.tasks.remind_deadlines``              daily 08:00
``earlywarnings.tasks.remind_reviewers``              daily 08:10
``earlywarnings.tasks.remind_measures``               daily 08:20
``earlywarnings.tasks.remind_disposals``              daily 08:30
``earlywarnings.tasks.remind_holidays``               daily 08:40
``earlywarnings.tasks.run_extra_daily_jobs``          daily 08:50
``earlywarnings.tasks.monthly_risk_reminder``         1st of month 09:00
====================================================  ====================

(all Asia/Shanghai). Each task takes plain values only — ``today`` as an ISO
date (default: today) and ``unit_id`` to limit it to one unit — never model
objects; what it reads may have been deleted meanwhile and is then skipped.
Transient errors (a database or mail server away) retry with exponential
backoff. Every run is recorded as a ``JobRun``; see ``reminders/`` for
what each job sends and how it stays idempotent.
"""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from . import reminders

RETRY = {
    "autoretry_for": (OperationalError, OSError),
    "retry_backoff": 60,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 5,
}


def _run(key, today=None, unit_id=None, **kwargs) -> int:
    day = date.fromisoformat(today) if today else None
    return reminders.run_job(key, today=day, unit_id=unit_id, **kwargs).sent_count


@shared_task(**RETRY)
def remind_deadlines(today=None, unit_id=None):
    return _run("deadlines", today, unit_id)


@shared_task(**RETRY)
def remind_reviewers(today=None, unit_id=None):
    return _run("reviewers", today, unit_id)


@shared_task(**RETRY)
def remind_measures(today=None, unit_id=None):
    return _run("measures", today, unit_id)


@shared_task(**RETRY)
def remind_disposals(today=None, unit_id=None):
    return _run("disposals", today, unit_id)


@shared_task(**RETRY)
def remind_holidays(today=None, unit_id=None):
    return _run("holidays", today, unit_id)


@shared_task(**RETRY)
def monthly_risk_reminder(today=None, unit_id=None):
    return _run("monthly", today, unit_id)


@shared_task(**RETRY)
def run_extra_daily_jobs(today=None, unit_id=None):
    """Daily jobs other apps registered with ``reminders.register_daily_job``."""
    return sum(_run(key, today, unit_id) for key in list(reminders.EXTRA_DAILY))


@shared_task(**RETRY)
def urge_disposal(disposal_id, today=None):
    """The office's "催报": remind one disposal's reporter now (once a day)."""
    return _run("urge_disposal", today, None, disposal_id=disposal_id)


@shared_task(**RETRY)
def daily_sweep(today=None, unit_id=None):
    """Every daily job in turn (for running a missed day by hand)."""
    day = date.fromisoformat(today) if today else None
    return sum(run.sent_count for run in reminders.run_sweep(day, unit_id, monthly=False))
