"""docker-compose.yml cannot run here (no Docker engine), so it is checked by
reading it: every service has an image, and every command names modules,
settings and management commands that exist in this checkout."""

import importlib
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def words(command):
    if isinstance(command, list):
        if command[:2] == ["sh", "-c"]:
            return shlex.split(command[2].replace("&&", " && "))
        return command
    return shlex.split(command)


def test_expected_services(compose):
    assert set(compose["services"]) == {"postgres", "redis", "web", "worker", "beat"}
    for name, service in compose["services"].items():
        assert service.get("image"), f"{name} has no image"
    assert (ROOT / "Dockerfile").exists()
    for name in ("web", "worker", "beat"):
        assert compose["services"][name]["build"] == "."


def test_volumes_and_health_checks(compose):
    services = compose["services"]
    assert "pgdata" in compose["volumes"] and "media" in compose["volumes"]
    assert any("pgdata:" in v for v in services["postgres"]["volumes"])
    for name in ("postgres", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_settings_module_exists(compose):
    for name in ("web", "worker", "beat"):
        env = compose["services"][name]["environment"]
        importlib.import_module(env["DJANGO_SETTINGS_MODULE"])
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:")


def test_web_command_migrates_collects_and_serves(compose):
    argv = words(compose["services"]["web"]["command"])
    manage_commands = [argv[i + 1] for i, w in enumerate(argv) if w == "manage.py"]
    assert manage_commands == ["migrate", "collectstatic"]
    available = get_commands()
    for command in manage_commands:
        assert command in available
    wsgi = argv[argv.index("gunicorn") + 1]
    module, attribute = wsgi.split(":")
    assert callable(getattr(importlib.import_module(module), attribute))


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_commands_name_real_modules(compose, service):
    argv = words(compose["services"][service]["command"])
    assert argv[0] == "celery"
    app_module = argv[argv.index("-A") + 1]
    app = importlib.import_module(f"{app_module}.celery").app
    assert app.main == "lianfang"
    assert service in argv
    if "--scheduler" in argv:
        path = argv[argv.index("--scheduler") + 1]
        module, cls = path.split(":")
        assert getattr(importlib.import_module(module), cls)


def test_worker_health_check_uses_the_app(compose):
    test = compose["services"]["worker"]["healthcheck"]["test"]
    assert "celery -A config inspect ping" in " ".join(test)
