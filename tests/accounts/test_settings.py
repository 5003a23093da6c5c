"""Settings come from the environment and refuse malformed values loudly."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from environs import EnvError

SETTINGS = Path(__file__).resolve().parents[2] / "config" / "settings.py"

CLEAN = [
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "MEDIA_ROOT",
    "SECURE_SSL_REDIRECT",
    "UPLOAD_MAX_MB",
]


def load(monkeypatch, **env):
    for name in CLEAN:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_defaults_for_a_first_run(monkeypatch):
    s = load(monkeypatch, DEBUG="1")
    assert s["DEBUG"] is True
    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert str(s["DATABASES"]["default"]["NAME"]).endswith("db.sqlite3")
    # No broker configured: tasks run inline, so the first run needs no Redis.
    assert s["CELERY_TASK_ALWAYS_EAGER"] is True
    assert s["LANGUAGE_CODE"] == "zh-hans"
    assert s["TIME_ZONE"] == "Asia/Shanghai"
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_production_values_are_read(monkeypatch, tmp_path):
    s = load(
        monkeypatch,
        DEBUG="false",
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://app:pw@db.internal:5432/lianfang",
        REDIS_URL="redis://cache.internal:6379/2",
        ALLOWED_HOSTS="a.example.gov.cn,b.example.gov.cn",
        EMAIL_URL="submission://mailer:secret@mail.example.gov.cn:587",
        MEDIA_ROOT=str(tmp_path),
        UPLOAD_MAX_MB="5",
    )
    assert s["DEBUG"] is False
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.internal",
        5432,
        "lianfang",
        "app",
    )
    assert s["CELERY_BROKER_URL"] == "redis://cache.internal:6379/2"
    assert s["CELERY_TASK_ALWAYS_EAGER"] is False
    assert s["ALLOWED_HOSTS"] == ["a.example.gov.cn", "b.example.gov.cn"]
    assert s["EMAIL_HOST"] == "mail.example.gov.cn"
    assert s["EMAIL_PORT"] == 587
    assert s["EMAIL_USE_TLS"] is True
    assert s["MEDIA_ROOT"] == tmp_path
    assert s["UPLOAD_MAX_BYTES"] == 5 * 1024 * 1024
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "yes please"),
        ("UPLOAD_MAX_MB", "ten"),
        ("DATABASE_URL", "not a url at all"),
        ("SECURE_SSL_REDIRECT", "maybe"),
        ("EMAIL_URL", "smtp+magic://mail.example.gov.cn"),
    ],
)
def test_malformed_value_names_the_variable(monkeypatch, name, value):
    env = {"DEBUG": "1", name: value}
    with pytest.raises((EnvError, ImproperlyConfigured)) as caught:
        load(monkeypatch, **env)
    assert name in str(caught.value)


def test_secret_key_is_required_without_debug(monkeypatch):
    with pytest.raises(EnvError) as caught:
        load(monkeypatch, DEBUG="0")
    assert "SECRET_KEY" in str(caught.value)
