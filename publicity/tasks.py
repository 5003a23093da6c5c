"""The publicity job: Celery beat runs it hourly (the schedule is created by
the data migration ``0002_close_schedule``; edit it in the admin under
"Periodic tasks").

``close_expired_windows`` ends every window whose time is up, and tells the
unit of the windows opened for a later day that have started since (a
notice is not published before its first day). It is idempotent (a window
is locked and re-checked before it is closed or announced) and every run is
recorded in early warning's job-run log (``JobRun``, job
``publicity_close``; its count is the windows closed), which the office
reads with the reminder jobs' runs.
"""

from dataclasses import dataclass, field

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlywarnings import reminders

from . import services

JOB_KEY = "publicity_close"


@dataclass
class _Result:
    """What ``reminders.run_job`` reads from a job's return value."""

    sent: int = 0
    errors: int = 0
    error_lines: list = field(default_factory=list)


def _close(today, unit_id=None, **kwargs) -> _Result:
    now = timezone.now()
    closed = services.close_expired(now)
    services.announce_started(now)
    return _Result(sent=closed)


# Listed with the reminder jobs (label on the job-run page); not a daily job.
reminders.register_job(JOB_KEY, _("公示期满自动结束"), _close)


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=5,
)
def close_expired_windows():
    """Close the windows whose time is up; returns how many were closed."""
    return reminders.run_job(JOB_KEY).sent_count
