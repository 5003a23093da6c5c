"""Outsiders are refused on every acceptance page (404); staff of the unit
on the office's pages (403); watchers read; the home page and the stage's
open work."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from acceptance import services
from acceptance.models import ChecklistItem
from campaign import progress
from campaign.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(acc):
    services.ensure_checklist(acc.campaign)
    return services.create_rectification(
        acc.campaign,
        acc.office,
        description="问题",
        owner=acc.cashier,
        due_on=timezone.localdate() + timedelta(days=3),
    )


def _pages(acc, item):
    c = acc.campaign.pk
    return [
        reverse("acceptance:overview", args=[c]),
        reverse("acceptance:self_assessment", args=[c]),
        reverse("acceptance:checklist", args=[c]),
        reverse("acceptance:checklist_items", args=[c]),
        reverse("acceptance:rectifications", args=[c]),
        reverse("acceptance:rectification_create", args=[c]),
        item.get_absolute_url(),
        reverse("acceptance:summary", args=[c]),
        reverse("acceptance:summary_xlsx", args=[c]),
        reverse("acceptance:next_year", args=[c]),
        reverse("acceptance:year_over_year", args=[c, acc.section.pk]),
    ]


def test_an_outsider_gets_404_everywhere(client, acc, item):
    client.force_login(acc.outsider)
    for url in _pages(acc, item):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "save", "text": "x"}).status_code in (404, 405), url


def test_staff_are_refused_the_office_pages(client, acc, item):
    client.force_login(acc.staff)
    for url in _pages(acc, item):
        expected = 404 if url == item.get_absolute_url() else 403  # another person's rectification
        assert client.get(url).status_code == expected, url


def test_the_owner_reaches_their_own_rectification_only(client, acc, item):
    client.force_login(acc.cashier)
    assert client.get(item.get_absolute_url()).status_code == 200
    assert (
        client.get(reverse("acceptance:rectifications", args=[acc.campaign.pk])).status_code == 200
    )
    assert client.get(reverse("acceptance:checklist", args=[acc.campaign.pk])).status_code == 403


def test_watchers_read_but_do_not_change(client, acc, item):
    client.force_login(acc.auditor)
    for url in _pages(acc, item):
        status = client.get(url).status_code
        if url.endswith(("items/", "new/", "next-year/")):
            assert status == 403, url
        else:
            assert status == 200, url
    client.post(reverse("acceptance:checklist", args=[acc.campaign.pk]), {})
    assert not ChecklistItem.objects.filter(score__isnull=False).exists()


def test_the_review_stage_reports_its_open_work(acc, item):
    stage = acc.campaign.stages.get(kind=Stage.Kind.REVIEW)
    labels = {work.label: work.count for work in progress.open_work(stage)}
    assert labels == {
        "验收评分表中尚未评分的项目": 8,
        "尚未形成自查报告": 1,
        "尚未验证销号的整改事项": 1,
    }
    publicity_stage = acc.campaign.stages.get(kind=Stage.Kind.PUBLICITY)
    assert {w.label for w in progress.open_work(publicity_stage)} == {
        "尚未发布全单位风险点和防控措施公示"
    }
