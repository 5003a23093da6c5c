"""Every reminder goes through accounts' notifications, so each person's
choices hold: a kind turned off by e-mail still lands in the inbox."""

from datetime import date, timedelta

from django.core import mail

from accounts.models import Notification, NotificationPreference
from campaign.models import Milestone
from earlywarnings import services, tasks
from risks.models import Filing
from tests.factories import CampaignFactory, FilingFactory, RiskPointFactory

from .conftest import running

TODAY = date(2026, 5, 4)


def test_a_kind_turned_off_by_email_lands_in_the_inbox_only(
    org, frozen, django_capture_on_commit_callbacks
):
    campaign = running(CampaignFactory(unit=org.unit, by=org.office_head))
    Milestone.objects.filter(stage__campaign=campaign).delete()
    campaign.stages.update(starts_on=date(2026, 1, 1), due_on=date(2027, 1, 1))
    Milestone.objects.create(
        stage=campaign.stages.first(),
        title="全员学习",
        due_on=TODAY + timedelta(days=7),
        responsible=Milestone.Responsible.ALL_STAFF,
    )
    NotificationPreference.objects.create(
        user=org.named, kind=Notification.Kind.DEADLINE, by_email=False
    )
    with frozen(TODAY), django_capture_on_commit_callbacks(execute=True):
        tasks.remind_deadlines()
    assert (
        Notification.objects.filter(recipient=org.named, kind=Notification.Kind.DEADLINE).count()
        == 1
    )
    assert (
        Notification.objects.filter(
            recipient=org.colleague, kind=Notification.Kind.DEADLINE
        ).count()
        == 1
    )
    recipients = [m.to[0] for m in mail.outbox]
    assert org.named.email not in recipients
    assert org.colleague.email in recipients


def test_a_kind_off_by_default_is_mailed_to_who_asks_for_it(
    org, frozen, django_capture_on_commit_callbacks
):
    campaign = running(CampaignFactory(unit=org.unit, by=org.office_head))
    for person in (org.named, org.colleague):
        RiskPointFactory(
            filing=FilingFactory(campaign=campaign, owner=person, status=Filing.Status.APPROVED)
        )
    NotificationPreference.objects.create(
        user=org.named, kind=Notification.Kind.RISK_REMINDER, by_email=True
    )
    with frozen(TODAY), django_capture_on_commit_callbacks(execute=True):
        assert tasks.monthly_risk_reminder() == 2
    assert [m.to for m in mail.outbox] == [[org.named.email]]
    assert "廉政风险提醒" in mail.outbox[0].subject


def test_warnings_respect_the_preferences_too(org, frozen, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(
        user=org.named, kind=Notification.Kind.WARNING, by_email=False
    )
    with frozen(TODAY), django_capture_on_commit_callbacks(execute=True):
        services.deduct(org.named, org.office, points=3, reason="审核不严", year=2026)
    assert (
        Notification.objects.filter(recipient=org.named, kind=Notification.Kind.WARNING).count()
        == 2
    )
    assert org.named.email not in [m.to[0] for m in mail.outbox]
    # The office hears of the automatic warning, by e-mail as usual.
    assert org.office.email in [m.to[0] for m in mail.outbox]
