"""What early warning adds to the shared frame: work items on the home page,
navigation entries and the campaign dashboard's warnings panel."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import home
from campaign import dashboard
from earlywarnings import hooks, services
from earlywarnings.models import Disposal, Level
from tests.factories import CampaignFactory, UserFactory

TODAY = date(2026, 5, 4)


@pytest.fixture
def disposal(org, frozen):
    with frozen(TODAY):
        warning = services.raise_warning(
            org.office,
            level=Level.B,
            title="接待超标预警",
            message="x",
            respond_by=TODAY + timedelta(days=2),
            person=org.named,
        )
        return services.add_disposal(
            warning.pk,
            org.office,
            kind=Disposal.Kind.ADMONISHMENT,
            responsible=org.discipline,
            reporter=org.named,
            due_on=TODAY + timedelta(days=9),
        )


def kinds(user):
    return [item.kind for item in home.work_for(user)]


def test_work_items(org, disposal, frozen):
    with frozen(TODAY):
        mine = [
            item for item in home.work_for(org.named) if item.kind in ("待答复预警", "待报告处置")
        ]
        assert {item.kind for item in mine} == {"待答复预警", "待报告处置"}
        answer = next(item for item in mine if item.kind == "待答复预警")
        assert answer.urgent and answer.url == reverse(
            "earlywarnings:my_warning", args=[disposal.warning_id]
        )
        assert "待评估处置" not in kinds(org.office)
        services.report_disposal(disposal.pk, org.named, report="已报告")
        assert "待评估处置" in kinds(org.office) and "待评估处置" in kinds(org.discipline)
        assert "待评估处置" not in kinds(org.auditor) and "待评估处置" not in kinds(org.named)
        assert "待报告处置" not in kinds(org.named)


def test_home_page_lists_them(client, org, disposal):
    client.force_login(org.named)
    page = client.get(reverse("home")).content.decode()
    assert "接待超标预警" in page and "诫勉谈话" in page


def test_navigation(client, org):
    client.force_login(org.named)
    page = client.get(reverse("earlywarnings:mine")).content.decode()
    assert "我的预警" in page and "廉政档案" in page
    assert reverse("earlywarnings:list") not in page
    for who in ("office", "discipline", "leader"):
        client.force_login(getattr(org, who))
        assert reverse("earlywarnings:list") in client.get(reverse("home")).content.decode(), who


def test_the_panel_is_registered_and_shown_to_watchers_only(org):
    campaign = CampaignFactory(unit=org.unit, by=org.office_head)
    keys = lambda user: [item["panel"].key for item in dashboard.panels_for(campaign, user)]  # noqa: E731
    for who in ("office_head", "leader", "auditor", "discipline"):
        assert "earlywarnings" in keys(getattr(org, who)), who
    for who in ("named", "head"):
        assert "earlywarnings" not in keys(getattr(org, who)), who


def test_the_panel_counts_and_its_fixed_queries(org, disposal, frozen):
    campaign = CampaignFactory(unit=org.unit, by=org.office_head)
    hooks.panel_context(campaign, org.office_head)  # the person's standing is read once per request
    with frozen(TODAY + timedelta(days=20)):
        with CaptureQueriesContext(connection) as few:
            context = hooks.panel_context(campaign, org.office_head)
        assert [row["count"] for row in context["levels"]] == [0, 1, 0, 0]
        assert context["overdue_disposals"] == 1 and context["open_disposals"] == 1
    with frozen(TODAY):
        for n in range(6):
            person = UserFactory(section=org.section)
            services.deduct(person, org.discipline, points=3 * (n % 4 + 1), reason="x", year=2026)
    with frozen(TODAY + timedelta(days=20)), CaptureQueriesContext(connection) as many:
        context = hooks.panel_context(campaign, org.office_head)
    assert len(few) == len(many) <= 4
    assert context["open_total"] == 7


def test_the_panel_on_the_dashboard_page(client, org, disposal):
    campaign = CampaignFactory(unit=org.unit, by=org.office_head)
    client.force_login(org.office_head)
    page = client.get(reverse("campaign:dashboard", args=[campaign.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-panel="earlywarnings"' in text and 'data-testid="warnings-panel"' in text
