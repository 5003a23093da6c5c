"""The security checks share one world per module (see ``world.py``): it
is built inside a transaction that is rolled back when the module ends, and
every test runs in a savepoint inside it, as usual."""

import pytest
from django.db import transaction
from django.test.utils import override_settings

from .world import build_world


@pytest.fixture(scope="session")
def security_media(tmp_path_factory):
    return tmp_path_factory.mktemp("security-media")


@pytest.fixture(autouse=True)
def _media_root(settings, security_media):
    """Overrides the suite's per-test MEDIA_ROOT: the world's files were
    stored once, in this folder."""
    settings.MEDIA_ROOT = security_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, security_media):
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=security_media),
        transaction.atomic(),
    ):
        built = build_world()
        yield built
        transaction.set_rollback(True)
