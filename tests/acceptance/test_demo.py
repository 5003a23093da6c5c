"""The demo's acceptance check: a checklist partly scored, rectifications in
every state, a self-assessment draft; a second load changes nothing."""

import pytest
from django.core.management import call_command

from acceptance.models import ChecklistItem, Rectification, SelfAssessment
from campaign.demo import TITLE
from campaign.models import Campaign

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(ChecklistItem.objects.values().order_by("pk")),
        list(Rectification.objects.values().order_by("pk")),
        list(SelfAssessment.objects.values().order_by("pk")),
    )


def test_the_demo_acceptance_check():
    call_command("load_demo", verbosity=0)
    first = _snapshot()
    call_command("load_demo", verbosity=0)
    assert _snapshot() == first

    campaign = Campaign.objects.get(title=TITLE)
    items = ChecklistItem.objects.filter(campaign=campaign)
    assert items.count() == 8
    assert 0 < items.filter(score__isnull=False).count() < 8
    states = set(Rectification.objects.filter(campaign=campaign).values_list("status", flat=True))
    assert states == {"open", "reported", "closed"}
    assert Rectification.objects.filter(campaign=campaign, status="open", rejections=1).exists()
    report = SelfAssessment.objects.get(campaign=campaign)
    assert report.draft and "自查报告" in report.draft and report.figures["points"]["total"] > 0
