"""``manage.py bench`` (GitHub issue #9): a smoke test on a tiny unit.

The timed run is made by hand on PostgreSQL with the default sizes; here the
command only has to build its unit, measure every case without an error and
drop its database. No figure is asserted.
"""

import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from acceptance.bench import cases


def _needs_postgresql():
    if connection.vendor != "postgresql":
        reason = (
            "PostgreSQL is needed (set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test); "
            f"this run uses {connection.vendor}"
        )
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)


def test_sqlite_is_refused_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="bench needs PostgreSQL") as refused:
        call_command("bench", runs=1)
    assert "DATABASE_URL=postgres://" in str(refused.value)


def test_an_unknown_case_is_refused():
    with pytest.raises(CommandError, match="Unknown case: nonsense"):
        call_command("bench", only=["dashboard,nonsense"])


def test_the_benchmark_database_must_be_a_separate_one(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    configured = connection.settings_dict["NAME"]
    with pytest.raises(CommandError, match="separate one"):
        call_command("bench", database=configured)
    with pytest.raises(CommandError, match="separate one"):
        call_command("bench", database="production")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bench_measures_every_case_on_a_tiny_unit_and_drops_its_database():
    _needs_postgresql()
    configured = connection.settings_dict["NAME"]
    out = StringIO()
    call_command(
        "bench",
        people=40,
        sections=4,
        points=240,
        runs=1,
        database=f"{configured}_bench_smoke",
        stdout=out,
    )
    text = out.getvalue()
    assert "building: 40 people, 4 sections, 240 risk points" in text
    table = text[text.index("case  ") :]
    for name in cases.NAMES:
        assert f"\n{name} " in table, name
    assert "FAIL" not in text, text
    assert f"database {configured}_bench_smoke dropped" in text
    # The configured database is the connection's again, and the other is gone.
    assert connection.settings_dict["NAME"] == configured
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", [f"{configured}_bench_smoke"]
        )
        assert cursor.fetchone()[0] == 0
