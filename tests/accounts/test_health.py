import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthy_embedded_run(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["state"] == "up"
    # No broker in the embedded run: tasks run inline and that is healthy.
    assert body["broker"]["state"] == "eager"


def test_database_down_gives_503(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"]["state"] == "down"


def test_broker_down_gives_503(client, settings, celery_conf):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Nothing listens on port 1.
    celery_conf(broker_url="redis://127.0.0.1:1/0")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"]["state"] == "down"


@pytest.mark.services
def test_broker_up_with_real_redis(client, settings, celery_conf, redis_url):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_conf(broker_url=redis_url)
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["broker"]["state"] == "up"
