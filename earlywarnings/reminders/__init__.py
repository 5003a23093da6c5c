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

The package is split by what each part does:

* ``outbox.py``: the :class:`Outbox`, batch sizes and the due/overdue helpers;
* ``campaign_work.py``: ``deadlines``, ``reviewers`` and ``measures``;
* ``disposals.py``: ``disposals`` and the office's ``urge_disposal``;
* ``personal.py``: ``monthly`` and ``holidays``;
* ``registry.py``: ``JOBS``, ``EXTRA_DAILY``, the ``register_*`` hooks,
  :func:`run_job` and :func:`run_sweep`.

Everything is imported from ``earlywarnings.reminders`` as before; the
registries re-exported here are the very dicts ``registry.py`` fills.
"""

from .campaign_work import (
    DEFAULT_REVIEWER_DAYS,
    remind_deadlines,
    remind_measures,
    remind_reviewers,
)
from .disposals import remind_disposals, urge_disposal
from .outbox import (
    CHUNK_SIZE,
    FLUSH_SIZE,
    MAX_ERRORS_KEPT,
    MAX_MEASURES_LISTED,
    MAX_POINTS_LISTED,
    OVERDUE_REPEAT_DAYS,
    REMINDER_OFFSETS,
    Outbox,
)
from .personal import (
    DEFAULT_HOLIDAY_DAYS,
    HOLIDAY_OPENING,
    MONTHLY_OPENING,
    STATUS_LABELS,
    monthly_risk_reminder,
    remind_holidays,
)
from .registry import (
    DAILY_ORDER,
    EXTRA_DAILY,
    JOBS,
    Job,
    all_jobs,
    job_label,
    register_daily_job,
    register_job,
    run_job,
    run_sweep,
)

__all__ = [
    "CHUNK_SIZE",
    "DAILY_ORDER",
    "DEFAULT_HOLIDAY_DAYS",
    "DEFAULT_REVIEWER_DAYS",
    "EXTRA_DAILY",
    "FLUSH_SIZE",
    "HOLIDAY_OPENING",
    "JOBS",
    "MAX_ERRORS_KEPT",
    "MAX_MEASURES_LISTED",
    "MAX_POINTS_LISTED",
    "MONTHLY_OPENING",
    "OVERDUE_REPEAT_DAYS",
    "REMINDER_OFFSETS",
    "STATUS_LABELS",
    "Job",
    "Outbox",
    "all_jobs",
    "job_label",
    "monthly_risk_reminder",
    "register_daily_job",
    "register_job",
    "remind_deadlines",
    "remind_disposals",
    "remind_holidays",
    "remind_measures",
    "remind_reviewers",
    "run_job",
    "run_sweep",
    "urge_disposal",
]
