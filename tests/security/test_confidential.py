"""The confidential petition about the staff member, beyond single pages
(``test_routes.py`` walks every route as every role for its title, text,
attachment, address and source label): counts, inboxes, e-mails, exports'
rows, and an office head who is recused because they head the section of
the person named.

Only discipline inspection and the office head see it — never the person
named, their section head, an office member who is not its head, an
auditor, the leading group, the party committee or the system administrator.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Notification, Section, User
from earlywarnings import access
from earlywarnings.models import WarningSignal

from . import routes
from .helpers import text_of
from .world import ROLES, SECRET_FILE, SECRET_TEXT, SECRET_TITLE

pytestmark = pytest.mark.django_db

OTHERS = [role for role in ROLES if role not in routes.CONFIDENTIAL | {"anonymous"}]


def secrets(w):
    return [
        SECRET_TITLE,
        SECRET_TEXT,
        SECRET_FILE,
        "信访举报",
        reverse("earlywarnings:signal", args=[w.petition.pk]),
        reverse("earlywarnings:signal", args=[w.new_petition.pk]),
    ]


def leaked(text, w):
    return [secret for secret in secrets(w) if secret in text]


def signed_in(w, role):
    client = Client()
    client.force_login(getattr(w, role))
    return client


# Inboxes and e-mails ---------------------------------------------------------------


@pytest.mark.parametrize("role", OTHERS)
def test_no_notification_tells_of_it(world, role):
    person = getattr(world, role)
    for note in Notification.objects.filter(recipient=person):
        assert leaked(f"{note.title} {note.body} {note.url}", world) == [], (role, note.title)
    inbox = signed_in(world, role).get(reverse("inbox"))
    assert inbox.status_code == 200
    assert leaked(inbox.content.decode(), world) == []


def test_the_named_person_hears_of_the_warning_but_never_of_the_signal(world):
    notes = Notification.objects.filter(recipient=world.staff)
    # They are told of the warnings, the disposals and the deduction …
    assert notes.filter(url=reverse("earlywarnings:my_warning", args=[world.secret_warning.pk]))
    mails = [message for message in world.mails if world.staff.email in message.to]
    assert mails, "the named person gets e-mails about the warning"
    # … never of the signal: not in a notification, not in an e-mail.
    for message in mails:
        assert leaked(f"{message.subject} {message.body}", world) == [], message.subject
    for note in notes:
        assert leaked(f"{note.title} {note.body} {note.url}", world) == [], note.title


@pytest.mark.parametrize("role", ["head", "office", "auditor", "leading_group", "committee"])
def test_no_email_tells_others_of_it(world, role):
    address = getattr(world, role).email
    for message in world.mails:
        if address in message.to:
            assert leaked(f"{message.subject} {message.body}", world) == [], message.subject


def test_not_even_those_allowed_get_its_content_by_email(world):
    for message in world.mails:
        assert SECRET_TITLE not in message.subject + message.body
        assert SECRET_TEXT not in message.subject + message.body


# Counts ------------------------------------------------------------------------------


def _new_signal_count(client, w):
    page = client.get(reverse("campaign:dashboard", args=[w.campaign.pk])).content.decode()
    found = re.search(r'data-testid="new-signals">(\d+)<', page)
    return int(found.group(1)) if found else None


@pytest.mark.parametrize("role", ["office", "office_head", "discipline"])
def test_the_dashboard_counts_only_signals_the_person_may_see(world, role):
    # Waiting to be assessed: one inspection signal, one petition.
    expected = 2 if role in routes.CONFIDENTIAL else 1
    assert _new_signal_count(signed_in(world, role), world) == expected


@pytest.mark.parametrize("role", ["leading_group", "committee", "auditor"])
def test_watchers_who_do_not_handle_signals_get_no_count(world, role):
    assert _new_signal_count(signed_in(world, role), world) is None


@pytest.mark.parametrize("role", ["office", "office_head", "discipline"])
def test_the_signal_list_counts_only_what_the_person_may_see(world, role):
    response = signed_in(world, role).get(reverse("earlywarnings:signals"))
    total = response.context["page"].paginator.count
    ordinary = WarningSignal.objects.filter(unit=world.unit, confidential=False).count()
    assert total == (ordinary + 2 if role in routes.CONFIDENTIAL else ordinary)


@pytest.mark.parametrize("role", OTHERS)
def test_warnings_from_it_never_show_their_source(world, role):
    """The warning raised from the petition is not secret (its person
    answers it) but where it came from is: wherever a role reads it."""
    client = signed_in(world, role)
    pages = [
        reverse("earlywarnings:detail", args=[world.secret_warning.pk]),
        reverse("earlywarnings:my_warning", args=[world.secret_warning.pk]),
        reverse("earlywarnings:list") + "?source=petition",
        reverse("earlywarnings:mine"),
        reverse("earlywarnings:file", args=[world.staff.pk]),
        reverse("home"),
    ]
    for url in pages:
        response = client.get(url)
        if response.status_code == 200:
            found = leaked(response.content.decode(), world)
            if role == "outsider":  # filtering their own unit's warnings by any source
                found = [secret for secret in found if secret != "信访举报"]
            assert found == [], url
    listed = client.get(reverse("earlywarnings:list") + "?source=petition")
    if listed.status_code == 200:
        assert list(listed.context["page"].object_list) == []


def test_the_named_person_sees_the_warning_and_deduction_without_their_source(world):
    client = signed_in(world, "staff")
    page = client.get(reverse("earlywarnings:my_warning", args=[world.secret_warning.pk]))
    text = page.content.decode()
    assert "资金入账规范提醒" in text and leaked(text, world) == []
    own_file = client.get(reverse("earlywarnings:my_file")).content.decode()
    assert "资金入账不及时" in own_file and leaked(own_file, world) == []


# Exports ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(routes.EXPORTERS - routes.CONFIDENTIAL))
def test_no_export_row_names_it(world, role):
    client = signed_in(world, role)
    for export in client.get(reverse("exports:centre", args=[world.campaign.pk])).context[
        "exports"
    ]:
        response = client.get(reverse("exports:download", args=[world.campaign.pk, export.key]))
        if response.status_code != 200:
            continue
        text = text_of(response)
        assert leaked(text, world) == [], (role, export.key)


# Recusal ----------------------------------------------------------------------------------


def test_an_office_head_who_heads_the_named_persons_section_learns_nothing(world):
    """Recusal (回避): the office head takes over section A, the section of
    the person named; from then on no signal, warning, file, export, list or
    search shows them the petition."""
    # (The world's objects are shared by the module: change the row only.)
    Section.objects.filter(pk=world.section.pk).update(head=world.office_head)
    recused = User.objects.get(pk=world.office_head.pk)
    assert world.petition.pk not in set(
        access.visible_signals(recused).values_list("pk", flat=True)
    )
    client = signed_in(world, "office_head")
    checked = 0
    for route in routes.all_routes():
        if route.is_admin or not route.key.startswith(("earlywarnings:", "exports:")):
            continue
        for case in routes.cases_for(route):
            if case.method != "get":
                continue
            url = route.url(routes.params_for(route, case, world), routes.query_for(case, world))
            response = client.get(url)
            assert response.status_code != 500, url
            if response.status_code != 200:
                continue
            checked += 1
            # (As an office head they may filter by any source: the label
            # itself is in their choice lists.)
            found = [s for s in leaked(text_of(response), world) if s != "信访举报"]
            assert found == [], url
    assert checked > 10


# The admin site ----------------------------------------------------------------------------


def test_the_admin_never_names_it(world):
    """The system administrator holds no role. Deleting the person named is
    refused (the signal protects them), and the page says so without the
    signal's title: a confidential signal is named only "保密线索"."""
    client = signed_in(world, "superuser")
    page = client.get(reverse("admin:accounts_user_delete", args=[world.staff.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "保密线索" in text
    assert leaked(text, world) == []
    assert str(world.petition) == "保密线索"
    assert str(world.signal) == world.signal.title  # ordinary ones keep their title


@pytest.mark.parametrize("name", ["earlywarnings:create", "earlywarnings:deduction_create"])
def test_those_allowed_still_choose_it_by_its_title(world, name):
    page = signed_in(world, "discipline").get(reverse(name)).content.decode()
    assert SECRET_TITLE in page
