"""Access, markup and confidentiality checks generated from the URL
configuration: every route (``routes.all_routes()``), with its parameters
filled from the world, requested as every role.

* access: anonymous people are sent to sign in (except the public routes),
  the outsider gets a 404 for anything of ours, those the table allows get
  the page, the others a 403 (may see, may not act) or a 404; nobody ever
  gets a 500;
* markup: no page or SVG shows typed markup unescaped;
* the confidential petition: nothing of it (title, description, attachment,
  its address, the source label of what came from it) reaches anybody but
  discipline inspection and the office head, on any route.

The admin site is walked whole by the roles in ``routes.ADMIN_FULL_WALK``
and sampled by the others (to it they are all the same: no ``is_staff``).
Every request runs in a savepoint that is rolled back, so the roles all see
the same world. Responses are reduced to a few facts and cached per role, so the
three checks cost one walk.
"""

import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from . import routes
from .helpers import text_of
from .world import RAW_MARKERS, ROLES, SECRET_FILE, SECRET_TEXT, SECRET_TITLE

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
PETITION_LABEL = "信访举报"
# Pages where the word is general: help texts saying petitions are
# confidential, a choice list of every source (the admin's signal forms).
GENERAL_WORDS_ABOUT_PETITIONS = {
    "earlywarnings:signal_create",
    "earlywarnings:deduction_create",
    "admin:earlywarnings_warningsignal_changelist",
    "admin:earlywarnings_warningsignal_add",
    "admin:earlywarnings_warningsignal_change",
    "admin:earlywarnings_deduction_add",
    "admin:earlywarnings_deduction_change",
}
# The one record the system administrator may open that points at the
# petition: the office head's notice "有一条保密线索待研判" in the admin's
# notification records carries the signal's address (never its title, its
# text or whom it names; the address itself is a 404 to the administrator).
ADMIN_NOTICE_OF_PETITION = "admin:accounts_notification_change"


@dataclass
class Seen:
    """What the checks need to know of one response."""

    route: str
    label: str
    url: str
    method: str
    status: int
    location: str = ""
    content_type: str = ""
    raw_markup: tuple = ()
    secrets: tuple = ()
    error: str = ""

    def where(self):
        label = f" [{self.label}]" if self.label else ""
        return f"{self.method.upper()} {self.url} ({self.route}{label})"


def secrets_of(w):
    return (
        SECRET_TITLE,
        SECRET_TEXT,
        SECRET_FILE,
        reverse("earlywarnings:signal", args=[w.petition.pk]),
        reverse("earlywarnings:signal", args=[w.new_petition.pk]),
        reverse("earlywarnings:signal_attachment", args=[w.petition.pk, w.petition_attachment.pk]),
    )


def request(client, route, case, w):
    url = route.url(routes.params_for(route, case, w), routes.query_for(case, w))
    method = case.method
    session = client.cookies.get("sessionid")
    session = session.value if session else None
    error = ""
    response = None
    try:
        with transaction.atomic():
            try:
                response = getattr(client, method)(url, case.post_data(w))
            finally:
                transaction.set_rollback(True)
    except Exception as exc:  # a 500: the view raised
        error = f"{type(exc).__name__}: {exc}"
    finally:
        if session:  # a logout flushed the session: sign in again (its row was kept)
            client.cookies["sessionid"] = session
    if response is None:
        return Seen(route.key, case.label, url, method, 500, error=error)
    text = text_of(response)
    is_markup = response.get("Content-Type", "").startswith(("text/html", "image/svg"))
    return Seen(
        route.key,
        case.label,
        url,
        method,
        response.status_code,
        location=response.get("Location", ""),
        content_type=response.get("Content-Type", ""),
        raw_markup=tuple(m for m in RAW_MARKERS if m in text) if is_markup else (),
        secrets=tuple(s for s in secrets_of(w) if s in text)
        + ((PETITION_LABEL,) if PETITION_LABEL in text else ()),
    )


def client_for(w, role):
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(w, role))
    return client


@pytest.fixture(scope="module")
def walks():
    """Responses per role, filled by the first test that asks."""
    return {}


@pytest.fixture
def walk(world, walks):
    def run(role):
        if role not in walks:
            client = client_for(world, role)
            seen = []
            for route in routes.all_routes():
                if route.is_admin and not routes.walks_admin_route(role, route):
                    continue
                for case in routes.cases_for(route) or ():
                    seen.append((route, case, request(client, route, case, world)))
            walks[role] = seen
        return walks[role]

    return run


def verdict(seen, want):
    status, location = seen.status, seen.location
    if status == 500:
        return False
    if want == "login":
        return status == 302 and location.startswith(LOGIN)
    if want == "admin_login":
        return status == 302 and location.startswith(ADMIN_LOGIN)
    if want == "any_login":
        return status == 302 and location.startswith((LOGIN, ADMIN_LOGIN))
    if want == "redirect":
        return status == 302
    if want == "ok":
        to_sign_in = status == 302 and location.startswith((LOGIN, ADMIN_LOGIN))
        return status not in (403, 404, 405) and not to_sign_in
    return status == want


# The table covers the site ---------------------------------------------------------------


def test_every_route_is_in_the_table():
    missing = [
        f"{route.key}  ({route.pattern})"
        for route in routes.all_routes()
        if routes.cases_for(route) is None
    ]
    assert not missing, (
        "New routes without an entry in tests/security/routes.py ROUTES — add each with "
        "its path parameters, its method and who may open it (its expected access):\n"
        + "\n".join(missing)
    )


def test_the_table_names_only_routes_that_exist():
    names = {route.name for route in routes.all_routes()}
    assert set(routes.ROUTES) - names == set()


def test_the_table_fills_every_parameter(world):
    wrong = []
    for route in routes.all_routes():
        for case in routes.cases_for(route) or ():
            given = set(routes.params_for(route, case, world))
            if given != set(route.params):
                wrong.append(f"{route.key}: needs {sorted(route.params)}, given {sorted(given)}")
    assert not wrong, "\n".join(wrong)


def test_the_walk_reaches_every_role_and_many_routes():
    # Sanity of the walk itself: the admin site and our apps are both in it.
    found = routes.all_routes()
    assert len(ROLES) == 12
    assert sum(not route.is_admin for route in found) >= 130
    assert any(route.name == "publicity:public" for route in found)


# Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_access(walk, role):
    wrong = []
    for route, case, seen in walk(role):
        want = routes.expected(route, case, role)
        if not verdict(seen, want):
            got = seen.error or (
                f"{seen.status} → {seen.location}" if seen.location else seen.status
            )
            wrong.append(f"{seen.where()}: expected {want}, got {got}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


# Markup ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_typed_markup_unescaped(walk, role):
    shown = [f"{seen.where()}: {seen.raw_markup}" for _r, _c, seen in walk(role) if seen.raw_markup]
    assert not shown, "\n".join(shown)


# The confidential petition -------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in ROLES if r not in routes.CONFIDENTIAL])
def test_the_confidential_petition_reaches_nobody_else(walk, world, role):
    leaks = []
    signal_urls = {secret for secret in secrets_of(world) if secret.startswith("/")}
    for route, _case, seen in walk(role):
        found = set(seen.secrets)
        if route.key in GENERAL_WORDS_ABOUT_PETITIONS or role == "outsider":
            # (The outsider handles petitions in their own unit.)
            found.discard(PETITION_LABEL)
        if route.key == ADMIN_NOTICE_OF_PETITION and role == "superuser":
            found -= signal_urls
        if found:
            leaks.append(f"{seen.where()}: {sorted(found)}")
    assert not leaks, f"{role} learns of the petition:\n" + "\n".join(leaks)


@pytest.mark.parametrize("role", sorted(routes.CONFIDENTIAL))
def test_those_allowed_do_see_the_petition(walk, world, role):
    # The markers above are the right ones: the petition's own pages show them.
    pages = {
        (route.key, case.label): seen for route, case, seen in walk(role) if not route.is_admin
    }
    detail = pages[("earlywarnings:signal", "petition")]
    assert detail.status == 200 and SECRET_TEXT in detail.secrets
    assert SECRET_TITLE in pages[("earlywarnings:signals", "")].secrets
    assert pages[("earlywarnings:signal_attachment", "petition")].status == 200
    assert PETITION_LABEL in pages[("earlywarnings:detail", "from the petition")].secrets


# Methods and CSRF --------------------------------------------------------------------------------


def _one_allowed(case):
    access = case.access
    for role in ("office_head", "discipline", "head", "staff", "superuser"):
        if role in access.allowed:
            return role
    return None


def test_post_only_routes_refuse_get(world):
    """The table's POST routes really are POST-only (a GET is 405), so a
    link, an <img> or a prefetch can never change anything."""
    wrong = []
    clients = {}
    for route in routes.all_routes():
        for case in routes.cases_for(route) or ():
            role = "superuser" if route.is_admin else _one_allowed(case)
            if case.method != "post" or role is None:
                continue
            client = clients.setdefault(role, client_for(world, role))
            url = route.url(routes.params_for(route, case, world))
            status = client.get(url).status_code
            if status != 405:
                wrong.append(f"GET {url} ({route.key}) as {role}: {status}")
    assert not wrong, "\n".join(wrong)


def test_every_post_needs_the_csrf_token(world):
    """A POST without the token is refused by the CSRF check (403) on every
    route, signed in as someone the route allows, before any view runs."""
    wrong = []
    clients = {}
    for route in routes.all_routes():
        if route.is_admin and not routes.in_admin_sample(route):
            continue  # one guard for the whole admin site: its sample suffices
        for case in (routes.cases_for(route) or ())[:1]:
            # Someone the route allows (signing out: anybody signed in).
            role = "superuser" if route.is_admin else (_one_allowed(case) or "staff")
            if role not in clients:
                clients[role] = Client(enforce_csrf_checks=True)
                clients[role].force_login(getattr(world, role))
            url = route.url(routes.params_for(route, case, world), routes.query_for(case, world))
            with transaction.atomic():
                response = clients[role].post(url, case.post_data(world))
                transaction.set_rollback(True)
            if response.status_code != 403 or b"CSRF" not in response.content:
                wrong.append(f"POST {url} ({route.key}) as {role}: {response.status_code}")
    anonymous = Client(enforce_csrf_checks=True)
    for name, kwargs in (
        ("login", {}),
        ("publicity:public", {"token": world.public_window.token}),
    ):
        response = anonymous.post(reverse(name, kwargs=kwargs), {"content": "x"})
        if response.status_code != 403:
            wrong.append(f"POST {name} anonymously: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_a_post_with_the_token_is_accepted(world):
    """The check above refuses for want of the token, nothing else."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.staff)
    page = client.get(reverse("inbox"))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
    assert token, "the inbox page carries a CSRF token"
    with transaction.atomic():
        response = client.post(
            reverse("inbox_mark_read"), {"csrfmiddlewaretoken": token.group(1).decode()}
        )
        transaction.set_rollback(True)
    assert response.status_code == 302


# Views exempt from the CSRF check: none.
CSRF_EXEMPT_ALLOWED = set()


def test_no_view_is_csrf_exempt():
    exempt = {
        route.key for route in routes.all_routes() if getattr(route.callback, "csrf_exempt", False)
    }
    assert exempt == CSRF_EXEMPT_ALLOWED
