"""A section's filing progress page, its one-click reminder, and the
navigation short-cuts (my section, my filing)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from campaign.approvals import ReviewError
from campaign.models import AuditEntry, CampaignClosed
from risks import services
from risks.models import Filing
from tests.factories import CampaignFactory, UserFactory

from .oversight_helpers import bring_to

STATES = ["not_started", "drafting", "submitted", "in_review", "returned", "approved"]


@pytest.fixture
def section_org(risk_org):
    """The section's people in every state: staff drafting, colleague
    submitted, four more in review, returned, approved and not started, the
    head not started, and one who joined late (no filing)."""
    org = risk_org
    section, campaign = org["section"], org["campaign"]
    extra = {
        state: UserFactory(section=section, full_name=f"同事{state}")
        for state in ("not_started", "in_review", "returned", "approved")
    }
    services.ensure_filings(campaign)
    org["late"] = UserFactory(section=section, full_name="新调入同志")  # after ensure_filings
    filing = {}
    for person, state in [
        (org["staff"], "drafting"),
        (org["colleague"], "submitted"),
        (extra["in_review"], "in_review"),
        (extra["returned"], "returned"),
        (extra["approved"], "approved"),
        (extra["not_started"], "not_started"),
    ]:
        f = Filing.objects.get(campaign=campaign, kind=Filing.Kind.PERSONAL, owner=person)
        filing[state] = bring_to(f, state, org)
    org["extra"], org["filings"] = extra, filing
    org["url"] = reverse("risks:section", args=[campaign.pk, section.pk])
    org["remind_url"] = reverse("risks:section_remind", args=[campaign.pk, section.pk])
    return org


def _counts(response):
    return {item["state"].key: item["count"] for item in response.context["counts"]}


def test_counts_per_state(client, section_org):
    client.force_login(section_org["head"])
    response = client.get(section_org["url"])
    assert response.status_code == 200
    # Not started: the head, the extra one and the late joiner without a filing.
    assert _counts(response) == {
        "not_started": 3,
        "drafting": 1,
        "submitted": 1,
        "in_review": 1,
        "returned": 1,
        "approved": 1,
    }
    assert response.context["total"] == 8
    assert response.context["behind_count"] == 5
    html = response.content.decode()
    assert "新调入同志" in html and "尚无登记表" in html


def test_in_review_shows_the_step_and_who_holds_it(client, section_org):
    client.force_login(section_org["head"])
    response = client.get(section_org["url"], {"state": "in_review"})
    rows = response.context["rows"]
    assert len(rows) == 1
    assert rows[0]["step"].role == "leading_group"
    assert str(section_org["office"]) in rows[0]["with_whom"]
    submitted = client.get(section_org["url"], {"state": "submitted"}).context["rows"]
    assert submitted[0]["with_whom"] == str(section_org["head"])
    returned = client.get(section_org["url"], {"state": "returned"}).context["rows"]
    assert returned[0]["returned"].opinion == "请补充措施"
    assert "请补充措施" in client.get(section_org["url"], {"state": "returned"}).content.decode()


@pytest.mark.parametrize(
    "state, expected",
    [
        ("approved", {"同事approved"}),
        ("not_started", {"同事not_started", "新调入同志", None}),
        ("behind", {"同事not_started", "新调入同志", None, "同事returned", "staff"}),
        ("nonsense", None),
    ],
)
def test_filter_by_state(client, section_org, state, expected):
    names = {
        None: str(section_org["head"]),
        "staff": str(section_org["staff"]),
    }
    client.force_login(section_org["head"])
    rows = client.get(section_org["url"], {"state": state}).context["rows"]
    shown = {str(row["person"]) for row in rows}
    if expected is None:  # an unknown state shows everyone
        assert len(shown) == 8
    else:
        assert shown == {names.get(name, name) for name in expected}


def test_section_filing_state_is_shown(client, section_org):
    client.force_login(section_org["head"])
    response = client.get(section_org["url"])
    assert response.context["section_state"].key == "not_started"
    assert response.context["section_filing"].kind == Filing.Kind.SECTION


def test_reminder_goes_to_everyone_behind_once_a_day(client, section_org):
    org = section_org
    client.force_login(org["head"])
    response = client.post(org["remind_url"])
    assert response.status_code == 302
    notes = Notification.objects.filter(kind=Notification.Kind.DEADLINE)
    reminded = {n.recipient_id: n for n in notes.all()}
    behind = {org["staff"], org["extra"]["returned"], org["extra"]["not_started"], org["head"]}
    # The late joiner has no filing to link to; everyone else behind is reminded.
    assert set(reminded) == {p.pk for p in behind}
    own = org["filings"]["drafting"]
    assert reminded[org["staff"].pk].url == own.get_absolute_url()
    assert "请尽快" in reminded[org["staff"].pk].title
    assert AuditEntry.objects.filter(action="filing.reminded").count() == 4
    assert any("已提醒 4 人" in str(m) for m in get_messages(response.wsgi_request))

    # A second click the same day sends nothing and says why.
    response = client.post(org["remind_url"], follow=True)
    assert notes.count() == 4
    assert "今天已经提醒过" in response.content.decode()
    page = client.get(org["url"])
    assert page.context["to_remind"] == 0
    assert "今天已提醒过 4 人" in page.content.decode()

    # Someone newly behind the same day is reminded alone.
    newcomer = org["filings"]["submitted"]
    from campaign import approvals

    from .oversight_helpers import open_step

    approvals.return_for_changes(open_step(newcomer).pk, org["head"], reason="补充")
    client.post(org["remind_url"])
    assert notes.count() == 5
    assert notes.filter(recipient=org["colleague"]).count() == 1

    # The next day everyone behind may be reminded again.
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        client.force_login(org["head"])  # yesterday's session has expired
        client.post(org["remind_url"])
    assert notes.count() == 10


def test_nobody_behind_means_nothing_to_send(client, risk_org):
    campaign, section = risk_org["campaign"], risk_org["section"]
    Filing.objects.filter(campaign=campaign, owner__section=section).update(
        status=Filing.Status.APPROVED
    )
    client.force_login(risk_org["head"])
    response = client.post(
        reverse("risks:section_remind", args=[campaign.pk, section.pk]), follow=True
    )
    assert "无需提醒" in response.content.decode()
    assert not Notification.objects.filter(kind=Notification.Kind.DEADLINE).exists()


@pytest.mark.parametrize(
    "who, get_status, post_status",
    [
        ("head", 200, 302),
        ("supervisor", 200, 302),
        ("office", 200, 302),
        ("discipline", 200, 403),  # sees every filing, does not run the section
        ("staff", 403, 403),
        ("stranger", 403, 403),
        ("auditor", 403, 403),
        ("committee", 403, 403),
        ("outsider", 404, 404),
    ],
)
def test_who_may_see_and_remind(client, risk_org, who, get_status, post_status):
    campaign, section = risk_org["campaign"], risk_org["section"]
    client.force_login(risk_org[who])
    assert (
        client.get(reverse("risks:section", args=[campaign.pk, section.pk])).status_code
        == get_status
    )
    response = client.post(reverse("risks:section_remind", args=[campaign.pk, section.pk]))
    assert response.status_code == post_status


def test_section_of_another_unit_is_404(client, risk_org):
    foreign = CampaignFactory()
    client.force_login(risk_org["office"])
    url = reverse("risks:section", args=[risk_org["campaign"].pk, risk_org["outsider"].section.pk])
    assert client.get(url).status_code == 404
    url = reverse("risks:section", args=[foreign.pk, risk_org["section"].pk])
    assert client.get(url).status_code == 404


def test_reminder_needs_post(client, risk_org):
    client.force_login(risk_org["head"])
    url = reverse("risks:section_remind", args=[risk_org["campaign"].pk, risk_org["section"].pk])
    assert client.get(url).status_code == 405


def test_closed_campaign_sends_no_reminder(client, risk_org):
    campaign = risk_org["campaign"]
    type(campaign).objects.filter(pk=campaign.pk).update(status="closed")
    client.force_login(risk_org["head"])
    response = client.post(
        reverse("risks:section_remind", args=[campaign.pk, risk_org["section"].pk]), follow=True
    )
    assert "已结束" in response.content.decode()
    assert not Notification.objects.filter(kind=Notification.Kind.DEADLINE).exists()


def _page_queries(client, org, django_assert_max_num_queries, bound):
    client.force_login(org["head"])
    with django_assert_max_num_queries(bound) as captured:
        response = client.get(
            reverse("risks:section", args=[org["campaign"].pk, org["section"].pk])
        )
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_section(
    client, section_org, django_assert_max_num_queries
):
    org = section_org
    small = _page_queries(client, org, django_assert_max_num_queries, 24)
    people = [UserFactory(section=org["section"]) for _ in range(15)]
    services.ensure_filings(org["campaign"])
    for number, person in enumerate(people[:9]):
        filing = Filing.objects.get(campaign=org["campaign"], owner=person)
        bring_to(filing, ["submitted", "returned", "in_review"][number % 3], org)
    UserFactory(section=org["section"])  # joined late: no filing
    large = _page_queries(client, org, django_assert_max_num_queries, 24)
    assert small == large


def test_section_current_redirects_a_head(client, risk_org):
    client.force_login(risk_org["head"])
    response = client.get(reverse("risks:section_current"))
    assert response.status_code == 302
    assert response.url == reverse(
        "risks:section", args=[risk_org["campaign"].pk, risk_org["section"].pk]
    )


def test_section_current_for_a_supervisor_and_for_staff(client, risk_org):
    client.force_login(risk_org["supervisor"])
    assert client.get(reverse("risks:section_current")).status_code == 302
    client.force_login(risk_org["staff"])
    response = client.get(reverse("risks:section_current"))
    assert response.status_code == 404
    assert "不负责也不分管" in response.content.decode()


def test_mine_redirects_to_the_own_filing(client, risk_org):
    client.force_login(risk_org["staff"])
    response = client.get(reverse("risks:mine"))
    assert response.status_code == 302
    assert response.url == risk_org["filing"].get_absolute_url()


def test_mine_explains_when_there_is_no_filing(client, risk_org):
    client.force_login(risk_org["auditor"])
    response = client.get(reverse("risks:mine"))
    assert response.status_code == 200
    assert "不需要填写" in response.content.decode()
    client.force_login(risk_org["outsider"])
    response = client.get(reverse("risks:mine"))
    assert response.status_code == 200
    assert "没有进行中的防控活动" in response.content.decode()


def test_mine_before_the_find_risks_stage(client, db):
    campaign = CampaignFactory()
    person = UserFactory(section__unit=campaign.unit)
    from campaign.services import start_stage

    start_stage(campaign.stages.get(kind="mobilise").pk, campaign.created_by)
    client.force_login(person)
    response = client.get(reverse("risks:mine"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "查找风险阶段尚未开始" in html and campaign.title in html


# The reminder as a service (F15), on the campaign as stored (F12) -------------------


def test_remind_section_is_a_service_with_its_own_checks(section_org):
    org = section_org
    campaign, section = org["campaign"], org["section"]
    with pytest.raises(ReviewError, match="只有科室负责人、分管领导和领导小组办公室"):
        services.remind_section(campaign, section, org["stranger"])
    assert not AuditEntry.objects.filter(action=services.REMINDED).exists()
    sent = services.remind_section(campaign, section, org["supervisor"])
    assert {f.owner for f in sent} >= {org["staff"], org["extra"]["returned"]}
    assert services.reminded_today(campaign, sent) == {f.pk for f in sent}
    assert services.remind_section(campaign, section, org["office"]) == []


def test_remind_section_reads_the_campaign_as_stored(section_org):
    org = section_org
    campaign = org["campaign"]  # read while still running
    type(campaign).objects.filter(pk=campaign.pk).update(status="closed")
    with pytest.raises(CampaignClosed):
        services.remind_section(campaign, org["section"], org["head"])
    assert not Notification.objects.filter(kind=Notification.Kind.DEADLINE).exists()
