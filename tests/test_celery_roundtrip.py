"""One real Celery round trip: a task goes through Redis to a worker this
test starts, and the answer comes back through the result backend."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from accounts.tasks import ping

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.services
def test_task_runs_on_a_real_worker(redis_url, celery_conf):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
    }
    worker = subprocess.Popen(
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
        result = ping.apply_async(queue=queue)
        assert result.get(timeout=60) == "pong"
        assert result.successful()
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert worker.returncode is not None, output
