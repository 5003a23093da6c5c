"""Sign-in lockout through the real forms (django-axes: per username and
address), the angles ``tests/accounts/test_login.py`` leaves out: a name that
does not exist is locked the same way and answered the same way as one that
does; a locked account can still sign in from another address; the lock
lifts after the cool-off; success resets the count; the admin's sign-in form
counts too.

(``manage.py check --deploy`` with production settings is checked by
``tests/test_deploy_check.py``.)
"""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"
LIMIT = 3


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def sign_in(client, username, password, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


def fail(client, username, times=LIMIT, url=None):
    return [sign_in(client, username, "wrong-password", url) for _ in range(times)]


def is_locked(response):
    return response.status_code == 429 and "账号已临时锁定" in response.content.decode()


def test_a_name_that_does_not_exist_is_answered_and_locked_like_one_that_does(client):
    UserFactory(username="wangwu")
    other = Client()
    real = fail(client, "wangwu")
    ghost = fail(other, "nobody-by-this-name")
    # Before the lock: the same refusal, so a name cannot be tested for existence.
    for known, unknown in zip(real[:-1], ghost[:-1], strict=True):
        assert known.status_code == unknown.status_code == 200
        assert known.context["form"].errors == unknown.context["form"].errors
    # At the limit: both locked, with the same page.
    assert is_locked(real[-1]) and is_locked(ghost[-1])
    assert is_locked(sign_in(client, "wangwu", PASSWORD))
    assert is_locked(sign_in(other, "nobody-by-this-name", PASSWORD))
    assert "_auth_user_id" not in client.session


def test_a_locked_account_signs_in_from_another_address(client):
    person = UserFactory(username="zhaoliu")
    fail(client, "zhaoliu")
    assert is_locked(sign_in(client, "zhaoliu", PASSWORD))

    elsewhere = Client(REMOTE_ADDR="10.20.30.40")
    response = sign_in(elsewhere, "zhaoliu", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert int(elsewhere.session["_auth_user_id"]) == person.pk
    # … and the first address stays locked.
    assert is_locked(sign_in(client, "zhaoliu", PASSWORD))


def test_the_lock_lifts_after_the_cool_off(client, settings):
    UserFactory(username="sunqi")
    fail(client, "sunqi")
    assert is_locked(sign_in(client, "sunqi", PASSWORD))
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    with time_machine.travel(later):
        response = sign_in(client, "sunqi", PASSWORD)
    assert response.status_code == 302


def test_a_success_resets_the_count(client):
    UserFactory(username="zhouba")
    fail(client, "zhouba", times=LIMIT - 1)
    assert sign_in(client, "zhouba", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    fail(client, "zhouba", times=LIMIT - 1)
    assert sign_in(client, "zhouba", PASSWORD).status_code == 302


def test_the_admin_sign_in_form_is_locked_too(client):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    admin_login = reverse("admin:login")
    responses = fail(client, "root", url=admin_login)
    assert is_locked(responses[-1])
    assert is_locked(sign_in(client, "root", PASSWORD, url=admin_login))
    # The site's own form shares the count: the account is locked there as well.
    assert is_locked(sign_in(client, "root", PASSWORD))
