"""A closed campaign is locked: every service of publicity and acceptance
refuses to change it, their pages and those of powers and risks refuse a
submitted form with a clear message and change nothing, and every page
says the campaign is closed (the banner in base.html)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from acceptance import services as acceptance
from acceptance.forms import ChecklistItemFormSet
from acceptance.models import ChecklistItem, Rectification, SelfAssessment
from campaign.models import Campaign, CampaignClosed
from campaign.services import create_campaign
from powers.models import Power
from publicity import services as publicity
from publicity.models import Feedback, Window
from risks.models import Filing, RiskPoint

pytestmark = pytest.mark.django_db

LOCKED = "本次活动已结束并锁定"


@pytest.fixture
def closed(acc):
    """Work done while the campaign ran, then the campaign closed."""
    items = acceptance.ensure_checklist(acc.campaign)
    acceptance.generate_draft(acc.campaign, acc.office)
    rectification = acceptance.create_rectification(
        acc.campaign,
        acc.office,
        description="问题",
        owner=acc.staff,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    reported = acceptance.create_rectification(
        acc.campaign,
        acc.office,
        description="已报告的问题",
        owner=acc.staff,
        due_on=timezone.localdate(),
    )
    acceptance.report_rectification(reported.pk, acc.staff, report="已整改")
    window = publicity.open_window(acc.campaign, acc.office, scope=Window.Scope.POWERS, public=True)
    feedback = publicity.submit_feedback(
        window.pk, channel="public", content="意见", address="10.9.9.9"
    )
    Campaign.objects.filter(pk=acc.campaign.pk).update(
        status=Campaign.Status.CLOSED, closed_at=timezone.now()
    )
    acc.campaign.refresh_from_db()
    acc.items, acc.rectification, acc.reported = items, rectification, reported
    acc.window, acc.feedback = window, feedback
    return acc


def _snapshot(acc):
    return (
        Window.objects.count(),
        list(Window.objects.values_list("status", "token")),
        list(Feedback.objects.values_list("content", "answer")),
        list(ChecklistItem.objects.values_list("area", "max_score", "score")),
        list(SelfAssessment.objects.values_list("draft", "text")),
        list(Rectification.objects.values_list("status", "report", "verification")),
        Power.objects.count(),
        list(RiskPoint.objects.values_list("title", "self_grade_id")),
        list(Filing.objects.values_list("status", "version")),
    )


def test_every_service_refuses(closed):
    acc = closed
    before = _snapshot(acc)
    formset = ChecklistItemFormSet(queryset=ChecklistItem.objects.filter(campaign=acc.campaign))
    calls = [
        lambda: publicity.open_window(acc.campaign, acc.office, scope="register"),
        lambda: publicity.close_window(acc.window.pk, acc.office),
        lambda: publicity.regenerate_link(acc.window.pk, acc.office),
        lambda: publicity.submit_feedback(
            acc.window.pk, channel="public", content="x", address="10.1.1.1"
        ),
        lambda: publicity.answer_feedback(acc.feedback.pk, acc.office, answer="答复"),
        lambda: acceptance.generate_draft(acc.campaign, acc.office),
        lambda: acceptance.save_self_assessment(acc.campaign, acc.office, text="改"),
        lambda: acceptance.save_scores(
            acc.campaign, acc.office, {acc.items[0].pk: (Decimal("5"), "")}
        ),
        lambda: acceptance.save_check(acc.campaign, acc.office, inspectors="某人"),
        lambda: acceptance.save_items(acc.campaign, acc.office, formset),
        lambda: acceptance.create_rectification(
            acc.campaign,
            acc.office,
            description="新问题",
            owner=acc.staff,
            due_on=timezone.localdate(),
        ),
        lambda: acceptance.report_rectification(acc.rectification.pk, acc.staff, report="报告"),
        lambda: acceptance.verify_rectification(acc.reported.pk, acc.office),
        lambda: acceptance.reject_rectification(acc.reported.pk, acc.office, opinion="退回"),
    ]
    for call in calls:
        with pytest.raises(CampaignClosed):
            call()
    assert _snapshot(acc) == before


def test_nothing_is_carried_into_a_closed_campaign(closed):
    acc = closed
    target = create_campaign(
        unit=acc.unit,
        by=acc.office,
        title="另一个活动",
        year=2027,
        starts_on=acc.campaign.starts_on,
    )
    Campaign.objects.filter(pk=target.pk).update(status=Campaign.Status.CLOSED)
    target.refresh_from_db()
    with pytest.raises(CampaignClosed):
        acceptance.carry_over_filings(acc.campaign, target, acc.office)
    assert not Filing.objects.filter(campaign=target).exists()


def test_a_closed_campaign_gets_no_new_checklist(acc):
    Campaign.objects.filter(pk=acc.campaign.pk).update(status=Campaign.Status.CLOSED)
    acc.campaign.refresh_from_db()
    assert acceptance.ensure_checklist(acc.campaign) == []


def test_the_publicity_pages_refuse(client, closed):
    acc = closed
    before = _snapshot(acc)
    client.force_login(acc.office)
    for url, data in [
        (
            reverse("publicity:manage", args=[acc.campaign.pk]),
            {"scope": "register", "starts_on": timezone.localdate().isoformat()},
        ),
        (reverse("publicity:close", args=[acc.window.pk]), {}),
        (reverse("publicity:regenerate", args=[acc.window.pk]), {}),
        (
            reverse("publicity:answer", args=[acc.feedback.pk]),
            {f"f{acc.feedback.pk}-answer": "答复"},
        ),
    ]:
        response = client.post(url, data, follow=True)
        assert LOCKED in response.content.decode(), url
    response = client.post(
        reverse("publicity:feedback", args=[acc.window.pk]), {"content": "内部意见"}
    )
    assert response.status_code == 400 and LOCKED in response.content.decode()
    client.logout()
    response = client.post(acc.window.public_url(), {"content": "公开意见"})
    assert response.status_code == 400 and LOCKED in response.content.decode()
    assert _snapshot(acc) == before


def test_the_acceptance_pages_refuse(client, closed):
    acc = closed
    before = _snapshot(acc)
    client.force_login(acc.office)
    item = acc.items[0]
    for url, data in [
        (reverse("acceptance:checklist", args=[acc.campaign.pk]), {f"score-{item.pk}": "5"}),
        (reverse("acceptance:checklist_items", args=[acc.campaign.pk]), {}),
        (
            reverse("acceptance:self_assessment", args=[acc.campaign.pk]),
            {"action": "save", "text": "改"},
        ),
        (reverse("acceptance:self_assessment", args=[acc.campaign.pk]), {"action": "regenerate"}),
        (
            reverse("acceptance:rectification_create", args=[acc.campaign.pk]),
            {"description": "x", "owner": acc.staff.pk, "due_on": "2099-01-01"},
        ),
        (acc.reported.get_absolute_url(), {"action": "verify"}),
    ]:
        response = client.post(url, data, follow=True)
        assert LOCKED in response.content.decode(), url
    client.force_login(acc.staff)
    response = client.post(
        acc.rectification.get_absolute_url(), {"action": "report", "report": "报告"}, follow=True
    )
    assert LOCKED in response.content.decode()
    assert _snapshot(acc) == before
    # Reading still works, with no form to fill.
    client.force_login(acc.office)
    page = client.get(reverse("acceptance:checklist", args=[acc.campaign.pk])).content.decode()
    assert 'name="score-' not in page


def test_the_powers_and_risks_pages_refuse(client, closed):
    acc = closed
    before = _snapshot(acc)
    client.force_login(acc.head)
    response = client.post(
        reverse("powers:power_create", args=[acc.campaign.pk, acc.section.pk]),
        {"name": "闭幕后新增的职权", "content": "x"},
        follow=True,
    )
    assert LOCKED in response.content.decode()
    response = client.post(
        reverse("powers:power_edit", args=[acc.campaign.pk, acc.power.pk]),
        {"name": "改名"},
        follow=True,
    )
    assert LOCKED in response.content.decode()
    client.force_login(acc.colleague)
    draft = Filing.objects.get(campaign=acc.campaign, owner=acc.colleague)
    for name in ("risks:filing_edit", "risks:filing_submit"):
        response = client.post(reverse(name, args=[draft.pk]), {"version": draft.version})
        assert response.status_code == 403 and LOCKED in response.content.decode(), name
    assert _snapshot(acc) == before


def _banners(html):
    return html.count('data-testid="closed-banner"')


def test_every_page_says_the_campaign_is_closed(client, closed):
    acc = closed
    client.force_login(acc.office)
    pages = [
        reverse("publicity:manage", args=[acc.campaign.pk]),
        reverse("publicity:window", args=[acc.window.pk]),
        acc.window.get_absolute_url(),
        reverse("acceptance:overview", args=[acc.campaign.pk]),
        reverse("acceptance:self_assessment", args=[acc.campaign.pk]),
        reverse("acceptance:checklist", args=[acc.campaign.pk]),
        reverse("acceptance:rectifications", args=[acc.campaign.pk]),
        acc.rectification.get_absolute_url(),
        reverse("acceptance:summary", args=[acc.campaign.pk]),
        reverse("acceptance:next_year", args=[acc.campaign.pk]),
        reverse("acceptance:year_over_year", args=[acc.campaign.pk, acc.section.pk]),
        # Other apps' pages that put the campaign in their context.
        reverse("campaign:detail", args=[acc.campaign.pk]),
        reverse("powers:overview", args=[acc.campaign.pk]),
        reverse("powers:catalogue", args=[acc.campaign.pk, acc.section.pk]),
        reverse("powers:power", args=[acc.campaign.pk, acc.power.pk]),
        reverse("risks:register", args=[acc.campaign.pk]),
        reverse("risks:section", args=[acc.campaign.pk, acc.section.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _banners(response.content.decode()) == 1, url
    # The public link is for the public: no internal banner there.
    client.logout()
    public = client.get(acc.window.public_url()).content.decode()
    assert _banners(public) == 0
    # ...but it reads as ended, with no form to send feedback.
    assert 'data-testid="notice-ended"' in public and 'data-testid="feedback-form"' not in public


def test_an_open_campaign_shows_no_banner(client, acc):
    client.force_login(acc.office)
    for url in (
        reverse("acceptance:overview", args=[acc.campaign.pk]),
        reverse("risks:register", args=[acc.campaign.pk]),
    ):
        assert _banners(client.get(url).content.decode()) == 0
