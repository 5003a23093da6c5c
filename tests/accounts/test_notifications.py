import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Notification, NotificationPreference
from accounts.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_fills_the_inbox_and_mails_those_who_want_it(django_capture_on_commit_callbacks):
    wants = UserFactory(email="a@example.com")
    declines = UserFactory(email="b@example.com")
    NotificationPreference.objects.create(
        user=declines, kind=Notification.Kind.REVIEW, by_email=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify([wants, declines], Notification.Kind.REVIEW, "张三的登记表等待您审核", url="/x/")
    assert Notification.objects.filter(recipient=wants).count() == 1
    assert Notification.objects.filter(recipient=declines).count() == 1
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    assert "张三的登记表等待您审核" in mail.outbox[0].subject
    assert "/x/" in mail.outbox[0].body


def test_kinds_off_by_default_are_not_mailed(django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], Notification.Kind.RISK_REMINDER, "本月廉政风险提醒")
    assert mail.outbox == []
    assert person.notifications.count() == 1


def test_an_email_is_sent_once_even_if_the_task_runs_twice(django_capture_on_commit_callbacks):
    from accounts.tasks import send_notification_emails

    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        [note] = notify([person], Notification.Kind.WARNING, "预警")
    send_notification_emails([note.pk])
    assert len(mail.outbox) == 1


def test_nothing_is_mailed_if_the_action_rolls_back(django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([person], Notification.Kind.WARNING, "预警")
    assert len(callbacks) == 1  # queued for commit, not sent inline
    assert mail.outbox == []


def test_inbox_shows_unread_count_and_marks_read(client):
    person = UserFactory()
    notify([person], Notification.Kind.GENERAL, "第一条")
    notify([person], Notification.Kind.GENERAL, "第二条")
    client.force_login(person)
    page = client.get(reverse("inbox")).content.decode()
    assert "第一条" in page and "第二条" in page
    assert 'data-testid="unread-count">2<' in page

    note = person.notifications.get(title="第一条")
    response = client.get(reverse("open_notification", args=[note.pk]))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None

    client.post(reverse("inbox_mark_read"))
    assert person.notifications.filter(read_at__isnull=True).count() == 0


def test_someone_elses_notification_is_404(client):
    owner, outsider = UserFactory(), UserFactory()
    [note] = notify([owner], Notification.Kind.GENERAL, "私人通知")
    client.force_login(outsider)
    assert client.get(reverse("open_notification", args=[note.pk])).status_code == 404
    assert "私人通知" not in client.get(reverse("inbox")).content.decode()


def test_preferences_page_saves_choices(client):
    person = UserFactory()
    client.force_login(person)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "同时发送到您的电子邮箱" in page
    data = dict.fromkeys(("review", "risk_reminder"), "on")
    response = client.post(reverse("notification_preferences"), data)
    assert response.status_code == 302
    prefs = dict(person.notification_preferences.values_list("kind", "by_email"))
    assert prefs["review"] is True
    assert prefs["risk_reminder"] is True
    assert prefs["warning"] is False
