from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_in_chinese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "登录" in text
    assert "密码" in text
    assert 'lang="zh-CN"' in text


def test_pages_require_login(client):
    for name in ("home", "inbox", "notification_preferences", "password_change"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login"))


def test_health_check_needs_no_login(client):
    assert client.get(reverse("healthz")).status_code == 200


def test_sign_in_and_out(client):
    person = UserFactory(username="zhangsan", full_name="测试员")
    response = client.post(
        reverse("login"), {"username": "zhangsan", "password": "pass-word-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "测试员，您好" in response.content.decode()
    assert int(client.session["_auth_user_id"]) == person.pk

    # Logout is a POST (a GET must never sign anyone out).
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused_in_chinese_and_keeps_the_username(client):
    UserFactory(username="lisi")
    response = client.post(reverse("login"), {"username": "lisi", "password": "wrong"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "请输入一个正确的" in text
    assert 'value="lisi"' in text


def test_repeated_failures_lock_the_account_on_this_address(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="wangwu")
    for _ in range(3):
        client.post(reverse("login"), {"username": "wangwu", "password": "wrong"})
    # Even the right password is refused while locked out.
    response = client.post(reverse("login"), {"username": "wangwu", "password": "pass-word-123"})
    assert response.status_code == 429
    text = response.content.decode()
    assert "账号已临时锁定" in text
    assert "30 分钟后再试" in text
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_and_address(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="locked")
    UserFactory(username="other")
    for _ in range(2):
        client.post(reverse("login"), {"username": "locked", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "other", "password": "pass-word-123"})
    assert response.status_code == 302


def test_password_change_uses_the_validators(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {"old_password": "pass-word-123", "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "这个密码太常见了" in text or "密码全部为数字" in text

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pass-word-123",
            "new_password1": "Qingfeng-2026!",
            "new_password2": "Qingfeng-2026!",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Qingfeng-2026!")


def test_session_expires(client, settings):
    client.force_login(UserFactory())
    assert client.get(reverse("home")).status_code == 200
    later = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(later):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
