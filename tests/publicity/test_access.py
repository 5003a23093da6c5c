"""Who reaches which publicity page: outsiders get 404 everywhere, staff
read notices but get 403 on the office's pages; the navigation entry and
the home page's work items."""

import pytest
from django.urls import reverse

from accounts.home import work_for
from campaign.models import Campaign
from publicity import services
from publicity.models import NoticeRead, Window

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(pub):
    return services.open_window(pub.campaign, pub.office, scope=Window.Scope.POWERS, public=True)


@pytest.fixture
def feedback(window):
    return services.submit_feedback(window.pk, channel="public", content="意见", address="10.1.1.1")


def _urls(pub, window, feedback):
    return {
        "get": [
            reverse("publicity:manage", args=[pub.campaign.pk]),
            reverse("publicity:window", args=[window.pk]),
            window.get_absolute_url(),
        ],
        "post": [
            (reverse("publicity:manage", args=[pub.campaign.pk]), {"scope": "register"}),
            (reverse("publicity:feedback", args=[window.pk]), {"content": "外单位"}),
            (reverse("publicity:close", args=[window.pk]), {}),
            (reverse("publicity:regenerate", args=[window.pk]), {}),
            (reverse("publicity:answer", args=[feedback.pk]), {f"f{feedback.pk}-answer": "x"}),
        ],
    }


def test_an_outsider_gets_404_everywhere(client, pub, window, feedback):
    client.force_login(pub.outsider)
    urls = _urls(pub, window, feedback)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url, data in urls["post"]:
        assert client.post(url, data).status_code == 404, url
    assert window.title not in client.get(reverse("publicity:list")).content.decode()
    window.refresh_from_db()
    assert window.status == Window.Status.OPEN and window.feedback.count() == 1


def test_staff_read_the_notice_but_not_the_office_pages(client, pub, window, feedback):
    client.force_login(pub.staff)
    assert client.get(window.get_absolute_url()).status_code == 200
    for url in (
        reverse("publicity:manage", args=[pub.campaign.pk]),
        reverse("publicity:window", args=[window.pk]),
    ):
        assert client.get(url).status_code == 403, url
    for url in ("close", "regenerate"):
        assert client.post(reverse(f"publicity:{url}", args=[window.pk])).status_code == 403
    window.refresh_from_db()
    assert window.status == Window.Status.OPEN


def test_a_watcher_reads_but_does_not_run_publicity(client, pub, window):
    client.force_login(pub.watcher)
    assert client.get(window.get_absolute_url()).status_code == 200
    assert client.get(reverse("publicity:manage", args=[pub.campaign.pk])).status_code == 403


def test_a_draft_campaign_keeps_its_notices_from_staff(client, pub, window):
    Campaign.objects.filter(pk=pub.campaign.pk).update(status=Campaign.Status.DRAFT)
    client.force_login(pub.staff)
    assert client.get(window.get_absolute_url()).status_code == 404
    client.force_login(pub.office)
    assert client.get(window.get_absolute_url()).status_code == 200


def test_everyone_has_the_navigation_entry_and_the_list(client, pub, window):
    client.force_login(pub.staff)
    response = client.get(reverse("publicity:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("publicity:list") in html and window.title in html
    assert reverse("publicity:manage", args=[pub.campaign.pk]) not in html
    client.force_login(pub.office)
    assert (
        reverse("publicity:manage", args=[pub.campaign.pk])
        in client.get(reverse("publicity:list")).content.decode()
    )


def test_home_asks_staff_to_read_open_notices_until_they_do(client, pub, window):
    titles = [item.title for item in work_for(pub.staff)]
    assert f"阅读公示：{window.title}" in titles
    client.force_login(pub.staff)
    client.get(window.get_absolute_url())
    assert NoticeRead.objects.filter(window=window, person=pub.staff).exists()
    assert f"阅读公示：{window.title}" not in [item.title for item in work_for(pub.staff)]
    assert f"阅读公示：{window.title}" not in [item.title for item in work_for(pub.outsider)]


def test_home_asks_the_office_to_answer_feedback(pub, window, feedback):
    items = [item for item in work_for(pub.office) if item.title.startswith("答复公示意见")]
    assert len(items) == 1 and "1 条意见待答复" in items[0].detail
    services.answer_feedback(feedback.pk, pub.office, answer="已答复")
    assert not [item for item in work_for(pub.office) if item.title.startswith("答复公示意见")]
