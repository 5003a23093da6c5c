"""The benchmark's own database: created next to the configured one on the
same PostgreSQL server, migrated, and dropped when the run ends (unless the
run keeps it). Nothing of the benchmark ever touches the configured database.
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection

SQLITE_REFUSAL = (
    "bench needs PostgreSQL, the production database: the figures it prints are "
    "targets for PostgreSQL and it creates a database of its own next to the "
    "configured one. This run uses {vendor}. Set DATABASE_URL, e.g. "
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianfang python manage.py bench"
)


def require_postgresql():
    if connection.vendor != "postgresql":
        raise CommandError(SQLITE_REFUSAL.format(vendor=connection.vendor))


def bench_name(requested=None) -> str:
    configured = connection.settings_dict["NAME"]
    name = requested or f"{configured}_bench"
    if name == configured or "bench" not in name:
        # The database is dropped at the end: never one that is not ours.
        raise CommandError(
            f"The benchmark database must be a separate one whose name contains "
            f'"bench" (asked for "{name}", configured "{configured}").'
        )
    return name


@contextmanager
def bench_database(name, *, keep=False, reuse=False):
    """Switch the default connection to database ``name`` for the block.

    It is created (an existing one of that name is dropped first, unless
    ``reuse``) and migrated; afterwards it is dropped unless ``keep``, and the
    connection points at the configured database again.
    """
    require_postgresql()
    settings_dict = connection.settings_dict
    configured = settings_dict["NAME"]
    test = settings_dict.setdefault("TEST", {})
    saved = test.get("NAME")
    test["NAME"] = name
    created = False
    if not reuse:
        _drop(name)
    try:
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=reuse
        )
        created = True
        yield name
    finally:
        if created:
            connection.creation.destroy_test_db(configured, verbosity=0, keepdb=keep)
        else:
            connection.close()
            settings_dict["NAME"] = configured
            settings.DATABASES[connection.alias]["NAME"] = configured
        if saved is None:
            test.pop("NAME", None)
        else:
            test["NAME"] = saved


def _drop(name):
    """Drop a database left by an earlier run that kept it."""
    quoted = connection.ops.quote_name(name)
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
