"""Browser journeys: Debian's Chromium driven by pytest-playwright against
pytest-django's live server.

* The browser is the system's /usr/bin/chromium (never a downloaded one).
  Without it the journeys skip, naming chromium; under REQUIRE_SERVICES=1
  they fail instead, like the PostgreSQL and Redis tests.
* The live server runs in a thread of this process, so the data a journey
  builds must be committed: every journey is a transactional test with
  ``serialized_rollback`` (the flush afterwards would otherwise take away the
  rows the data migrations made: role groups, the risk library, schedules).
* Each person signs in through the real login page in a browser context of
  their own, 1366 px wide, in Chinese and in Asia/Shanghai time.
* ``shot(page, step)`` saves a full-page screenshot to
  ``artifacts/screenshots/<test>/<step>.png`` (gitignored).
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from accounts.roles import GROUP_NAMES
from tests.conftest import _missing

# pytest-playwright's sync API keeps an asyncio event loop running in the main
# thread; Django would then refuse every ORM call made by the tests (and by
# the fixtures that build their data) as "async-unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "pass-word-123"  # tests.factories.UserFactory's
WIDTH, HEIGHT = 1366, 900
# Playwright's own waits (a click, a navigation, an expect): long enough for a
# loaded CI machine, short enough that a broken journey fails quickly.
TIMEOUT_MS = 15_000
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="session", autouse=True)
def _chromium_installed():
    """Skip (or, under REQUIRE_SERVICES=1, fail) before any database is set up."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _missing(
            f"Chromium is not installed at {CHROMIUM} "
            "(apt-get install chromium fonts-noto-cjk); the browser journeys need it"
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(_chromium_installed, browser_type_launch_args):
    """Debian's Chromium, headless, with nothing fetched from the internet."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(scope="session")
def _test_database_connections(django_db_setup):
    """The test database's connections as the test code sees them before the
    browser starts (they hold what ``serialized_rollback`` restores)."""
    from django.db import connections

    return {alias: connections[alias] for alias in connections}


@pytest.fixture(scope="session")
def playwright(_test_database_connections, playwright):
    """pytest-playwright's, keeping Django's database connections.

    Playwright's sync API leaves an asyncio event loop running in the main
    thread. Django keeps its connections in asgiref's thread-critical
    ``Local``, which then switches to a context-local store: the tests would
    get fresh connection objects without the test database's serialized
    contents, so ``serialized_rollback`` would silently restore nothing (and
    every test after a flush would start from an empty database). Put the
    connections made at set-up back in place.
    """
    from django.db import connections

    for alias, connection in _test_database_connections.items():
        connections[alias] = connection
    return playwright


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": WIDTH, "height": HEIGHT},
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "accept_downloads": True,
    }


@pytest.fixture
def role_groups(transactional_db):
    """The role groups of the data migration (a flush by an earlier
    transactional test without serialized_rollback removes them)."""
    for name in GROUP_NAMES.values():
        Group.objects.get_or_create(name=name)


@pytest.fixture
def site(live_server, settings, role_groups):
    """The live server, with the site address (printed in public links and QR
    codes) pointing at it."""
    settings.SITE_URL = live_server.url
    return live_server


@pytest.fixture
def shot(request):
    """``shot(page, "01-login")``: a full-page screenshot of the current page."""
    folder = SCREENSHOTS / request.node.originalname
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, step):
        if not re.fullmatch(r"[0-9a-z_-]+", step):
            raise ValueError(f"screenshot step names are plain ASCII: {step!r}")
        # Images, fonts and ECharts' first paint are part of what is judged.
        page.wait_for_load_state("load")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        # A window as tall as the page, so that sticky bars (the filing form's
        # save bar, the library panel) sit where they belong in the picture,
        # not wherever the journey had scrolled to.
        size = page.viewport_size
        height = page.evaluate("() => document.documentElement.scrollHeight")
        page.set_viewport_size({"width": WIDTH, "height": max(height, HEIGHT)})
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        path = folder / f"{step}.png"
        page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size(size)
        return path

    return take


@pytest.fixture
def fresh_page(new_context):
    """``fresh_page()``: a page in a browser context of its own (no cookies)."""

    def open_page():
        context = new_context()
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm="…" asks first
        return page

    return open_page


@pytest.fixture
def sign_in(fresh_page, site):
    """``sign_in(user)``: a fresh browser context for ``user``, signed in
    through the login page; returns its page, on the home page."""

    def open_as(user, password=PASSWORD):
        page = fresh_page()
        page.goto(f"{site.url}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(password)
        page.locator("main form").get_by_role("button", name="登录").click()
        page.wait_for_url(f"{site.url}/")
        # The navigation bar names who is signed in.
        page.locator("nav.app-navbar").get_by_text(user.full_name).wait_for()
        return page

    return open_as


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Keep Django's test order once pytest has grouped the tests by browser.

    pytest-playwright parametrizes every test that uses a fixture named
    ``page`` with the (session-scoped) browser name, and pytest then groups
    the tests sharing that parameter: the journeys (transactional, flushing
    the database afterwards) would run among the ordinary database tests of
    other apps that happen to name a fixture ``page``, which then find the
    database empty. Sort again, stably, as pytest-django does: database
    tests in a transaction first, then transactional ones (the journeys last
    among them, so that the others run in the order they had without them),
    then the rest.
    """
    from pytest_django.plugin import validate_django_db

    def order(item):
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = "transactional_db" in fixtures or "live_server" in fixtures
        if marker is not None:
            transaction, reset_sequences, *_rest = validate_django_db(marker)
            transactional = transactional or transaction or reset_sequences
        if transactional:
            return 1.5 if item.get_closest_marker("browser") else 1
        return 0 if marker is not None or "db" in fixtures else 2

    items.sort(key=order)
