"""The demo campaign's filings: every state, built through the services,
and a second load changes nothing."""

import time

import pytest
from django.core.management import call_command

from accounts.models import Notification
from campaign.models import AuditEntry, Campaign, Review, ReviewStep
from risks import demo, states
from risks.models import Filing, Measure, RiskPoint

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "filings": list(Filing.objects.values().order_by("pk")),
        "points": list(RiskPoint.objects.values().order_by("pk")),
        "measures": list(Measure.objects.values().order_by("pk")),
        "reviews": list(Review.objects.values().order_by("pk")),
        "steps": list(ReviewStep.objects.values().order_by("pk")),
        "history": AuditEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }


def test_demo_twice_changes_nothing_and_holds_every_state():
    call_command("load_demo", verbosity=0)
    campaign = Campaign.objects.get(title=demo.TITLE)
    first = snapshot()
    assert first["points"]
    call_command("load_demo", verbosity=0)
    assert snapshot() == first

    # Every state a section head can meet, at every level.
    personal = Filing.objects.filter(campaign=campaign, kind=Filing.Kind.PERSONAL)
    assert {states.state_of(f).key for f in personal} == {s.key for s in states.STATES}
    section = {
        states.state_of(f).key for f in Filing.objects.filter(campaign=campaign, kind="section")
    }
    assert {"approved", "submitted", "drafting", "not_started"} <= section
    unit = Filing.objects.get(campaign=campaign, kind=Filing.Kind.UNIT)
    assert unit.status == Filing.Status.SUBMITTED

    # The returned filing carries its reviewer's reason.
    returned = personal.get(status=Filing.Status.RETURNED)
    step = states.return_reasons([returned])[returned.pk]
    assert "补充具体风险点" in step.opinion and step.decided_by.username == "fenguan"

    # Approved filings: signed pledges, reviewed and final grades, some changed with reasons.
    approved = RiskPoint.objects.filter(campaign=campaign, filing__status=Filing.Status.APPROVED)
    assert approved.count() >= 10
    assert not approved.filter(final_grade__isnull=True).exists()
    assert approved.filter(reviewed_grade__isnull=False).count() >= 5
    assert approved.exclude(reviewed_reason="").exists()
    assert approved.exclude(final_reason="").exists()
    signed = Filing.objects.filter(campaign=campaign, status=Filing.Status.APPROVED)
    assert not signed.filter(pledge_signed_at__isnull=True).exists()

    # Measures in three lines with owners and due dates; some drafts still short of them.
    point = RiskPoint.objects.get(campaign=campaign, title="招商奖励兑现初审放宽条件")
    measures = list(point.measures.all())
    assert {m.line for m in measures} == set(Measure.Line.values)
    assert all(m.owner_id and m.due_on for m in measures)
    assert point.final_grade.label == "高"
    assert Measure.objects.filter(risk_point__campaign=campaign, owner__isnull=True).exists()

    # The history is the engine's own.
    actions = set(AuditEntry.objects.filter(campaign=campaign).values_list("action", flat=True))
    assert {
        "review.submitted",
        "review.step_approved",
        "review.returned",
        "review.approved",
    } <= actions


def test_the_risks_demo_is_fast():
    context = {}
    from accounts import demo as accounts_demo
    from campaign import demo as campaign_demo

    accounts_demo.load(context)
    campaign_demo.load(context)
    started = time.monotonic()
    demo.load(context)
    assert RiskPoint.objects.filter(campaign=context["campaign"]).exists()
    # About 3 s on a quiet machine; the bound leaves room for a busy CI runner.
    assert time.monotonic() - started < 20


def test_nothing_without_the_demo_campaign():
    assert demo.load({}) == {}
