import os

import pytest
from django.db import connection

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _missing(reason: str):
    """Skip when a service is absent, or fail when CI says it must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def redis_url():
    """A reachable Redis, or a skip naming what is missing."""
    url = os.environ.get("REDIS_URL")
    if not url:
        _missing("Redis is not configured (set REDIS_URL, e.g. redis://127.0.0.1:6379/15)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        _missing(f"Redis at {url} does not answer: {exc}")
    return url


@pytest.fixture
def postgres(db):
    """Tests of real concurrent transactions need PostgreSQL's row locks."""
    if connection.vendor != "postgresql":
        _missing(
            "PostgreSQL is needed (set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test); "
            f"this run uses {connection.vendor}"
        )
    return connection


@pytest.fixture
def celery_conf():
    """Change the Celery app's configuration for one test, then put it back."""
    from config.celery import app

    saved = {}

    def update(**values):
        for key in values:
            saved.setdefault(key, app.conf[key])
        app.conf.update(values)
        return app

    yield update
    app.conf.update(saved)
