"""The signal form's 相关风险点 is narrowed to the chosen person's own points:
the page never lists the unit's risk points, htmx fetches the person's few
when the person changes, and the server checks the point is theirs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from campaign.approvals import ReviewError
from campaign.models import Campaign
from earlywarnings import services
from earlywarnings.forms import SignalForm
from earlywarnings.models import WarningSignal
from tests.factories import CampaignFactory, FilingFactory, RiskPointFactory, UserFactory

from .conftest import running


@pytest.fixture
def points(org):
    campaign = running(CampaignFactory(unit=org.unit, by=org.office_head))
    approved = FilingFactory(campaign=campaign, owner=org.named, status="approved")
    draft_owner = UserFactory(section=org.section)
    closed = CampaignFactory(unit=org.unit, by=org.office_head, year=2025)
    Campaign.objects.filter(pk=closed.pk).update(status=Campaign.Status.CLOSED)
    return {
        "campaign": campaign,
        "mine": RiskPointFactory(filing=approved, title="奖励资金审核把关不严"),
        "colleague": RiskPointFactory(
            filing=FilingFactory(campaign=campaign, owner=org.colleague, status="approved"),
            title="同事的风险点",
        ),
        "draft": RiskPointFactory(
            filing=FilingFactory(campaign=campaign, owner=draft_owner, status="draft"),
            title="草稿中的风险点",
        ),
        "draft_owner": draft_owner,
        "closed": RiskPointFactory(
            filing=FilingFactory(campaign=closed, owner=org.named, status="approved"),
            title="去年已结束活动的风险点",
        ),
    }


def options(client, user, person):
    client.force_login(user)
    return client.get(reverse("earlywarnings:signal_risk_points"), {"person": person})


def test_the_page_lists_no_risk_point_until_a_person_is_chosen(client, org, points):
    client.force_login(org.office)
    html = client.get(reverse("earlywarnings:signal_create")).content.decode()
    for point in ("mine", "colleague", "draft", "closed"):
        assert points[point].title not in html
    # The person select reloads the choice with htmx.
    assert f'hx-get="{reverse("earlywarnings:signal_risk_points")}"' in html
    assert 'hx-target="#id_risk_point"' in html


def test_the_options_are_the_persons_own_readable_points(client, org, points):
    html = options(client, org.office, org.named.pk).content.decode()
    assert f'value="{points["mine"].pk}"' in html and "奖励资金审核把关不严" in html
    assert points["campaign"].title in html
    for other in ("colleague", "draft", "closed"):
        assert points[other].title not in html
    # A draft filing is offered to the campaign's office, who may open it …
    html = options(client, org.office_head, points["draft_owner"].pk).content.decode()
    assert points["draft"].title in html
    # … not to an office member outside the campaign's office (joined since).
    newcomer = UserFactory(section=org.office_head.section, roles=[Role.OFFICE])
    html = options(client, newcomer, points["draft_owner"].pk).content.decode()
    assert points["draft"].title not in html
    assert points["mine"].title in options(client, newcomer, org.named.pk).content.decode()


@pytest.mark.parametrize("person", ["", "abc", "999999"])
def test_no_person_or_a_wrong_one_gives_no_option(client, org, points, person):
    response = options(client, org.office, person)
    assert response.status_code == 200
    assert '<option value="">' in response.content.decode()
    assert 'value="' + str(points["mine"].pk) not in response.content.decode()


def test_the_options_are_for_the_managers_of_the_unit_only(client, org, points):
    assert options(client, org.named, org.named.pk).status_code == 403
    html = options(client, org.outsider, org.named.pk).content.decode()
    assert points["mine"].title not in html


def test_the_page_does_not_grow_with_the_units_risk_points(client, org, points):
    def count():
        client.force_login(org.office)
        url = reverse("earlywarnings:signal_create")
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    few = count()
    filing = FilingFactory(campaign=points["campaign"], owner=org.stranger, status="approved")
    for n in range(30):
        RiskPointFactory(filing=filing, title=f"其他风险点{n}")
    assert count() == few


def signal_data(org, points, **changes):
    data = {
        "source": "audit",
        "title": "与风险点有关",
        "description": "审计发现",
        "received_on": "2026-05-04",
        "target_kind": "person",
        "person": org.named.pk,
        "risk_point": points["mine"].pk,
    }
    return data | changes


def test_a_signal_names_the_persons_point(client, org, points):
    client.force_login(org.office)
    response = client.post(reverse("earlywarnings:signal_create"), signal_data(org, points))
    assert response.status_code == 302
    assert WarningSignal.objects.get(title="与风险点有关").risk_point == points["mine"]


@pytest.mark.parametrize("point", ["colleague", "draft", "closed"])
def test_another_persons_point_is_refused(client, org, points, point):
    client.force_login(org.office)
    data = signal_data(org, points, risk_point=points[point].pk)
    response = client.post(reverse("earlywarnings:signal_create"), data)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not WarningSignal.objects.filter(title="与风险点有关").exists()


def test_a_point_needs_a_person_target(org, points):
    data = signal_data(org, points, target_kind="section", section=org.section.pk)
    form = SignalForm(data, user=org.office)
    assert not form.is_valid()
    assert form.errors["risk_point"] == ["只有涉及人员的线索可以选择相关风险点。"]


def test_the_service_checks_the_point_is_the_persons(org, points):
    with pytest.raises(ReviewError, match="涉及人员本人登记表"):
        services.record_signal(
            org.office,
            source="audit",
            title="x",
            description="x",
            received_on="2026-05-04",
            person=org.named,
            risk_point=points["colleague"],
        )
    assert not WarningSignal.objects.exists()
