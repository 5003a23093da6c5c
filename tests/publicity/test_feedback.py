"""Feedback during a window: anonymous allowed, saved, answered by the
office, exported; refused after the end; the public form is rate-limited per
address and CSRF protected."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Notification
from accounts.roles import Role
from publicity import services
from publicity.models import Feedback, Window
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(pub):
    return services.open_window(pub.campaign, pub.office, scope=Window.Scope.POWERS, public=True)


def test_anonymous_public_feedback_is_saved(client, pub, window):
    response = client.post(
        window.public_url(), {"name": "", "contact": "", "content": "建议公开申报材料清单"}
    )
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert (item.channel, item.name, item.contact, item.content) == (
        "public",
        "",
        "",
        "建议公开申报材料清单",
    )
    assert item.source_hash and "127.0.0.1" not in item.source_hash
    # The office hears of it.
    assert Notification.objects.filter(
        recipient=pub.office, title__contains="收到新的意见"
    ).exists()
    assert "您的意见已提交" in client.get(window.public_url()).content.decode()


def test_staff_send_feedback_from_the_notice(client, pub, window):
    client.force_login(pub.staff)
    response = client.post(
        reverse("publicity:feedback", args=[window.pk]),
        {"name": "冯明哲", "contact": "8001", "content": "流程图时限偏长"},
    )
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert (item.channel, item.name, item.contact) == ("internal", "冯明哲", "8001")
    assert item.source_hash == ""


def test_empty_feedback_is_refused_with_the_form_kept(client, window):
    response = client.post(window.public_url(), {"name": "张三", "content": "  "})
    assert response.status_code == 400
    assert 'value="张三"' in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_office_answers(client, pub, window):
    item = services.submit_feedback(
        window.pk, channel="public", content="何时公开清单？", address="10.0.0.1"
    )
    client.force_login(pub.office)
    response = client.post(
        reverse("publicity:answer", args=[item.pk]), {f"f{item.pk}-answer": "下周在网站公开。"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.answer == "下周在网站公开。" and item.answered_by == pub.office and item.answered_at
    page = client.get(reverse("publicity:window", args=[window.pk])).content.decode()
    assert "下周在网站公开。" in page


TYPED_ANSWER = "申报材料清单已于本周在门户网站公开，欢迎继续监督。"


def test_a_refused_answer_comes_back_with_what_was_typed(client, pub, window):
    item = services.submit_feedback(window.pk, channel="public", content="意见", address="10.0.0.1")
    url = reverse("publicity:answer", args=[item.pk])
    client.force_login(pub.office)
    response = client.post(url, {f"f{item.pk}-answer": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="answer-error"' in html and "请填写答复内容。" in html
    too_long = TYPED_ANSWER * 100
    response = client.post(url, {f"f{item.pk}-answer": too_long})
    assert response.status_code == 400
    html = response.content.decode()
    assert too_long in html and "答复请不超过 2000 字" in html
    item.refresh_from_db()
    assert item.answer == "" and item.answered_at is None


def test_a_refusal_of_the_service_is_shown_next_to_the_answer(client, pub, window, monkeypatch):
    item = services.submit_feedback(window.pk, channel="public", content="意见", address="10.0.0.1")

    def refused(*args, **kwargs):
        raise services.ReviewError("只有本次活动的领导小组办公室可以办理公示。")

    monkeypatch.setattr(services, "answer_feedback", refused)
    client.force_login(pub.office)
    response = client.post(
        reverse("publicity:answer", args=[item.pk]), {f"f{item.pk}-answer": TYPED_ANSWER}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "只有本次活动的领导小组办公室可以办理公示。" in html
    assert f"{TYPED_ANSWER}</textarea>" in html


def test_an_answer_to_a_closed_campaign_is_kept_on_the_page(client, pub, window):
    from campaign.models import Campaign

    item = services.submit_feedback(window.pk, channel="public", content="意见", address="10.0.0.1")
    Campaign.objects.filter(pk=pub.campaign.pk).update(status=Campaign.Status.CLOSED)
    client.force_login(pub.office)
    response = client.post(
        reverse("publicity:answer", args=[item.pk]), {f"f{item.pk}-answer": TYPED_ANSWER}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="unsaved"' in html and TYPED_ANSWER in html
    item.refresh_from_db()
    assert item.answer == ""


def test_staff_may_not_answer(client, pub, window):
    item = services.submit_feedback(window.pk, channel="public", content="意见", address="10.0.0.1")
    client.force_login(pub.staff)
    response = client.post(
        reverse("publicity:answer", args=[item.pk]), {f"f{item.pk}-answer": "冒名答复"}
    )
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        services.answer_feedback(item.pk, pub.watcher, answer="不是办公室")
    item.refresh_from_db()
    assert item.answer == ""


def test_feedback_is_refused_after_the_window_ends(client, pub, window):
    services.close_window(window.pk, pub.office)
    response = client.post(window.public_url(), {"content": "太迟了"})
    assert response.status_code == 400
    assert "公示已结束" in response.content.decode()
    client.force_login(pub.staff)
    client.post(reverse("publicity:feedback", args=[window.pk]), {"content": "太迟了"})
    assert not Feedback.objects.exists()


def test_the_register_takes_no_public_feedback(pub):
    register = services.open_window(pub.campaign, pub.office, scope=Window.Scope.REGISTER)
    with pytest.raises(ValidationError, match="不接收公开意见"):
        services.submit_feedback(register.pk, channel="public", content="x", address="10.0.0.9")


def test_the_public_form_is_rate_limited_per_address(client, window, monkeypatch):
    monkeypatch.setattr(services, "PUBLIC_FEEDBACK_LIMIT", 3)
    for n in range(3):
        assert client.post(window.public_url(), {"content": f"意见{n}"}).status_code == 302
    response = client.post(window.public_url(), {"content": "第四条"})
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Feedback.objects.count() == 3
    # Another address may still write.
    other = Client(REMOTE_ADDR="192.0.2.77")
    assert other.post(window.public_url(), {"content": "另一个地址"}).status_code == 302
    assert Feedback.objects.count() == 4


def test_the_public_form_needs_the_csrf_token(window):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(window.public_url(), {"content": "伪造提交"}).status_code == 403
    page = strict.get(window.public_url())
    token = page.cookies["csrftoken"].value
    response = strict.post(
        window.public_url(), {"content": "正常提交", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert list(Feedback.objects.values_list("content", flat=True)) == ["正常提交"]


def _rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_feedback_is_exported(client, pub, window):
    item = services.submit_feedback(
        window.pk, channel="public", content="清单请公开", name="王女士", address="10.0.0.2"
    )
    services.answer_feedback(item.pk, pub.office, answer="已公开")
    client.force_login(pub.office)
    response = client.get(reverse("exports:download", args=[pub.campaign.pk, "publicity_feedback"]))
    assert response.status_code == 200
    rows = _rows(response)
    flat = [str(cell) for row in rows for cell in row if cell is not None]
    assert any("公示意见反馈及答复登记表" in cell for cell in flat)
    assert "清单请公开" in flat and "王女士" in flat and "已公开" in flat and "公开链接" in flat


def test_only_the_office_and_discipline_export_feedback(client, pub, window):
    url = reverse("exports:download", args=[pub.campaign.pk, "publicity_feedback"])
    client.force_login(pub.watcher)
    assert client.get(url).status_code == 200
    auditor = UserFactory(section=None, unit=pub.unit, roles=[Role.AUDITOR])
    client.force_login(auditor)
    assert client.get(url).status_code == 403
    client.force_login(pub.staff)
    assert client.get(url).status_code == 403
