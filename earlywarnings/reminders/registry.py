"""The job registry and the runner: which jobs exist (``JOBS``, and
``EXTRA_DAILY`` for the daily jobs other apps add), how other apps register
theirs, and :func:`run_job`, which runs one job and records it as a
:class:`~earlywarnings.models.JobRun`.

The registries are plain dicts living here only; ``earlywarnings.reminders``
re-exports these same objects, so a job registered through either name is
seen by both.
"""

import contextlib
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import JobRun
from .campaign_work import remind_deadlines, remind_measures, remind_reviewers
from .disposals import remind_disposals, urge_disposal
from .personal import monthly_risk_reminder, remind_holidays

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

# Jobs other apps add (see the package docstring); run by run_extra_daily_jobs.
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
