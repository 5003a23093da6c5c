"""A reminder job end to end: sent through Redis to a real Celery worker that
this test starts, which writes the notifications into the (PostgreSQL) test
database — exactly once, however often the job runs."""

import os
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import Notification
from campaign.models import Milestone
from earlywarnings import tasks
from earlywarnings.models import JobRun, ReminderLog
from tests.factories import CampaignFactory

from .conftest import running

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 5, 4)


@pytest.fixture
def worker(redis_url, postgres, celery_conf):
    queue = f"test-ew-{uuid.uuid4().hex[:8]}"
    settings = connection.settings_dict
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"postgres://{settings['USER'] or 'postgres'}@127.0.0.1:{settings['PORT'] or 5432}/{settings['NAME']}",
        "DB_CONN_MAX_AGE": "0",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--loglevel",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    celery_conf(task_always_eager=False, broker_url=redis_url, result_backend=redis_url)
    try:
        yield queue
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        assert process.returncode is not None, output


@pytest.fixture
def role_groups(transactional_db):
    """An earlier transactional test empties every table, the role groups a
    data migration made among them; put them back."""
    from django.contrib.auth.models import Group

    from accounts.roles import GROUP_NAMES

    for name in GROUP_NAMES.values():
        Group.objects.get_or_create(name=name)


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reminder_job_through_redis_and_a_real_worker(worker, role_groups, org):
    campaign = running(CampaignFactory(unit=org.unit, by=org.office_head))
    Milestone.objects.filter(stage__campaign=campaign).delete()
    campaign.stages.update(starts_on=date(2026, 1, 1), due_on=date(2027, 1, 1))
    Milestone.objects.create(
        stage=campaign.stages.first(),
        title="全员学习",
        due_on=DAY + timedelta(days=3),
        responsible=Milestone.Responsible.ALL_STAFF,
    )
    expected = 9  # everyone active in the unit
    kwargs = {"today": DAY.isoformat(), "unit_id": org.unit.pk}

    first = tasks.remind_deadlines.apply_async(kwargs=kwargs, queue=worker)
    assert first.get(timeout=90) == expected
    second = tasks.remind_deadlines.apply_async(kwargs=kwargs, queue=worker)
    assert second.get(timeout=90) == 0

    notes = Notification.objects.filter(kind=Notification.Kind.DEADLINE, title__contains="全员学习")
    assert notes.count() == expected
    assert notes.filter(recipient=org.named).count() == 1
    assert ReminderLog.objects.filter(kind="milestone.due").count() == expected
    runs = list(JobRun.objects.filter(job="deadlines").order_by("started_at"))
    assert [(run.status, run.sent_count) for run in runs] == [("ok", expected), ("ok", 0)]
