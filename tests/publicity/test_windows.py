"""A notice window's life: opened by the office for the campaign's number of
days, ended early or by the hourly job, which is idempotent and logged."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.models import Notification
from campaign.models import AuditEntry
from earlywarnings.models import JobRun
from publicity import services, tasks
from publicity.models import Window

pytestmark = pytest.mark.django_db


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def test_a_window_runs_for_the_campaigns_number_of_days(pub):
    today = timezone.localdate()
    window = services.open_window(pub.campaign, pub.office, scope=Window.Scope.REGISTER)
    assert window.title == "关于全单位廉政风险点和防控措施的公示"
    assert window.first_day == today
    assert window.last_day == today + timedelta(days=6)
    assert window.ends_at == _midnight(today + timedelta(days=7))
    assert window.supervision_phone == "0571-8800 1234"
    assert window.is_open() and window.token is None
    assert AuditEntry.objects.filter(campaign=pub.campaign, action="publicity.opened").exists()
    # Everyone in the unit finds the notice in their inbox.
    assert Notification.objects.filter(
        recipient=pub.staff, kind="publicity", url=window.get_absolute_url()
    ).exists()


def test_a_later_start_begins_at_the_start_of_that_day(pub):
    start = timezone.localdate() + timedelta(days=3)
    window = services.open_window(
        pub.campaign, pub.office, scope=Window.Scope.POWERS, starts_on=start
    )
    assert window.starts_at == _midnight(start)
    assert window.state() == Window.State.UPCOMING
    with pytest.raises(ValidationError, match="尚未开始"):
        services.submit_feedback(window.pk, channel="internal", content="早了")


@pytest.fixture
def upcoming(pub):
    start = timezone.localdate() + timedelta(days=3)
    return services.open_window(
        pub.campaign, pub.office, scope=Window.Scope.POWERS, starts_on=start, public=True
    )


def test_a_notice_not_started_is_the_offices_only(client, pub, upcoming):
    for who in ("staff", "watcher", "head"):
        client.force_login(getattr(pub, who))
        assert client.get(upcoming.get_absolute_url()).status_code == 404, who
        feedback = client.post(reverse("publicity:feedback", args=[upcoming.pk]), {"content": "x"})
        assert feedback.status_code == 404, who
        assert upcoming.title not in client.get(reverse("publicity:list")).content.decode()
    client.logout()
    assert client.get(upcoming.public_url()).status_code == 404
    client.force_login(pub.office)
    response = client.get(upcoming.get_absolute_url())
    assert response.status_code == 200 and "即将开始" in response.content.decode()
    assert upcoming.title in client.get(reverse("publicity:list")).content.decode()
    # From its first day on, everyone reads it.
    with time_machine.travel(upcoming.starts_at + timedelta(minutes=1), tick=False):
        client.force_login(pub.staff)
        assert client.get(upcoming.get_absolute_url()).status_code == 200
        assert upcoming.title in client.get(reverse("publicity:list")).content.decode()
        client.logout()
        assert client.get(upcoming.public_url()).status_code == 200


def test_the_unit_is_told_of_a_notice_when_it_starts(pub, upcoming):
    def told():
        return Notification.objects.filter(
            recipient=pub.staff, kind="publicity", url=upcoming.get_absolute_url()
        ).count()

    assert told() == 0 and upcoming.announced_at is None
    tasks.close_expired_windows()
    assert told() == 0
    with time_machine.travel(upcoming.starts_at + timedelta(minutes=5), tick=False):
        tasks.close_expired_windows()
        tasks.close_expired_windows()
    assert told() == 1
    upcoming.refresh_from_db()
    assert upcoming.announced_at is not None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scope": "section"}, "请选择本单位的一个科室"),
        ({"scope": "register", "public": True}, "只有职权目录和权力运行流程图可以向社会公开"),
        (
            {"scope": "powers", "starts_on": timezone.localdate() - timedelta(days=1)},
            "不能早于今天",
        ),
    ],
)
def test_refused_windows(pub, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        services.open_window(pub.campaign, pub.office, **kwargs)
    assert not Window.objects.exists()


def test_a_section_of_another_unit_is_refused(pub, outsider_section):
    with pytest.raises(ValidationError, match="本单位"):
        services.open_window(pub.campaign, pub.office, scope="section", section=outsider_section)


@pytest.fixture
def outsider_section(db):
    from tests.factories import SectionFactory

    return SectionFactory()


def test_one_running_window_per_scope(pub):
    services.open_window(pub.campaign, pub.office, scope="section", section=pub.section)
    with pytest.raises(ValidationError, match="尚未结束的公示"):
        services.open_window(pub.campaign, pub.office, scope="section", section=pub.section)
    # Another section, or another scope, is fine.
    services.open_window(pub.campaign, pub.office, scope="section", section=pub.other)
    services.open_window(pub.campaign, pub.office, scope="register")


def test_only_the_office_opens_and_closes(pub):
    with pytest.raises(ValidationError, match="领导小组办公室"):
        services.open_window(pub.campaign, pub.staff, scope="register")
    window = services.open_window(pub.campaign, pub.office, scope="register")
    with pytest.raises(ValidationError, match="领导小组办公室"):
        services.close_window(window.pk, pub.watcher)


def test_the_office_opens_a_window_through_the_page(client, pub):
    client.force_login(pub.office)
    url = reverse("publicity:manage", args=[pub.campaign.pk])
    response = client.post(
        url,
        {
            "scope": "powers",
            "starts_on": timezone.localdate().isoformat(),
            "public": "on",
            "supervision_phone": "0571-9999 0000",
            "title": "",
            "note": "欢迎监督",
        },
    )
    window = Window.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "publicity:window", args=[window.pk]
    )
    assert window.public and window.token and window.supervision_phone == "0571-9999 0000"
    # The form refuses a register published to the public, and keeps what was typed.
    response = client.post(
        url, {"scope": "register", "starts_on": timezone.localdate().isoformat(), "public": "on"}
    )
    assert response.status_code == 200
    assert "只有职权目录和权力运行流程图可以向社会公开" in response.content.decode()
    assert Window.objects.count() == 1


def test_closing_early(client, pub):
    window = services.open_window(pub.campaign, pub.office, scope="register")
    client.force_login(pub.office)
    response = client.post(reverse("publicity:close", args=[window.pk]))
    assert response.status_code == 302
    window.refresh_from_db()
    assert window.status == Window.Status.CLOSED and window.closed_by == pub.office
    assert window.state() == Window.State.ENDED
    with pytest.raises(ValidationError, match="已经结束"):
        services.close_window(window.pk, pub.office)
    page = client.get(window.get_absolute_url()).content.decode()
    assert "公示已结束" in page and "提前结束" in page


def test_the_job_closes_expired_windows_once(client, pub):
    window = services.open_window(pub.campaign, pub.office, scope="powers", public=True)
    still_open = services.open_window(
        pub.campaign,
        pub.office,
        scope="register",
        starts_on=timezone.localdate() + timedelta(days=3),
    )
    assert tasks.close_expired_windows() == 0
    with time_machine.travel(window.ends_at + timedelta(minutes=1), tick=False):
        assert tasks.close_expired_windows() == 1
        assert tasks.close_expired_windows() == 0
    window.refresh_from_db()
    still_open.refresh_from_db()
    assert (
        window.status == Window.Status.CLOSED
        and window.closed_by is None
        and window.closed_at is not None
    )
    assert still_open.status == Window.Status.OPEN
    assert AuditEntry.objects.filter(action="publicity.ended", target_id=window.pk).count() == 1
    runs = list(JobRun.objects.filter(job=tasks.JOB_KEY).order_by("started_at", "pk"))
    assert [run.sent_count for run in runs] == [0, 1, 0]
    assert all(run.status == JobRun.Status.OK for run in runs)

    client.force_login(pub.staff)
    assert "公示已结束" in client.get(window.get_absolute_url()).content.decode()
    client.logout()
    public = client.get(window.public_url())
    assert public.status_code == 200
    html = public.content.decode()
    assert 'data-testid="notice-ended"' in html and "公示已结束" in html
    assert 'data-testid="feedback-form"' not in html


def test_a_window_past_its_end_reads_as_ended_before_the_job_runs(client, pub):
    window = services.open_window(pub.campaign, pub.office, scope="powers", public=True)
    with time_machine.travel(window.ends_at + timedelta(seconds=1), tick=False):
        assert window.state() == Window.State.ENDED
        html = client.get(window.public_url()).content.decode()
        assert "公示已结束" in html and 'data-testid="feedback-form"' not in html
        with pytest.raises(ValidationError, match="公示已结束"):
            services.submit_feedback(window.pk, channel="public", content="迟到的意见")


def test_the_hourly_schedule_exists():
    task = PeriodicTask.objects.get(task="publicity.tasks.close_expired_windows")
    assert task.enabled and task.crontab.hour == "*"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_close_a_window_once(postgres, pub):
    import threading

    from django.db import connection

    window = services.open_window(pub.campaign, pub.office, scope="register")
    later = window.ends_at + timedelta(minutes=5)
    results, barrier = [], threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(services.close_expired(later))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert AuditEntry.objects.filter(action="publicity.ended", target_id=window.pk).count() == 1
