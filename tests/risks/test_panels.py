"""The risks panels of the campaign dashboard: their numbers on a small
hand-built dataset, their fixed query counts, who sees them."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Post
from campaign import dashboard
from campaign.models import Campaign
from risks import panels, services
from risks.models import Filing
from tests.factories import PostFactory, PowerFactory, SectionFactory, UserFactory

from .oversight_helpers import add_point, bring_to

KEYS = [
    "risks_progress",
    "risks_coverage",
    "risks_high_ratio",
    "risks_distribution",
    "risks_heatmap",
]


@pytest.fixture
def panel_org(risk_org):
    """Section A (risk_org's section): staff approved with 2 high points and
    1 low; colleague submitted with 1 medium point; head not started.
    Other section: stranger drafting with 2 medium points (one unrated)."""
    org = risk_org
    campaign, levels = org["campaign"], org["levels"]
    cats = list(campaign.risk_categories.all())
    org["cats"] = cats

    def write_points(f):
        add_point(f, title="高一", grade=levels[1], category=cats[0], likelihood=3, harm=3)
        add_point(f, title="高二", grade=levels[1], category=cats[0], likelihood=3, harm=3)
        add_point(f, title="低一", grade=levels[3], category=cats[1], likelihood=1, harm=1)

    staff_filing = org["filing"]
    services.save_draft(staff_filing.pk, org["staff"], expected_version=0, write=write_points)
    bring_to(
        staff_filing,
        "approved",
        org,
        title="高三",
        grade=levels[1],
        category=cats[0],
        likelihood=3,
        harm=2,
    )
    colleague = Filing.objects.get(campaign=campaign, owner=org["colleague"])
    bring_to(
        colleague,
        "submitted",
        org,
        title="中一",
        grade=levels[2],
        category=cats[2],
        likelihood=2,
        harm=2,
    )
    stranger = Filing.objects.get(campaign=campaign, owner=org["stranger"])
    bring_to(
        stranger,
        "drafting",
        org,
        title="中二",
        grade=levels[2],
        category=cats[2],
        likelihood=2,
        harm=3,
    )
    add_point(stranger, title="中三", grade=levels[2], category=cats[3])
    return org


def fresh(campaign):
    """A new instance, as a request loads it (campaign.access.get_campaign):
    with its unit, without cached figures."""
    return Campaign.objects.select_related("unit").get(pk=campaign.pk)


def test_progress_counts_per_section(panel_org):
    org = panel_org
    data = panels.progress_context(fresh(org["campaign"]), org["office"])
    rows = {row["label"]: row for row in data["rows"]}
    section = rows[org["section"].name]
    assert section["people"] == 3
    assert section["by_key"] == {
        "not_started": 1,
        "drafting": 0,
        "submitted": 1,
        "in_review": 0,
        "returned": 0,
        "approved": 1,
    }
    assert section["ratio"] == pytest.approx(1 / 3)
    assert section["url"] == reverse("risks:section", args=[org["campaign"].pk, org["section"].pk])
    other = rows[org["other_section"].name]
    assert other["people"] == 1 and other["by_key"]["drafting"] == 1
    leaders = rows["领导班子"]  # supervisor, secretary, committee member
    assert leaders["people"] == 3 and leaders["by_key"]["not_started"] == 3
    assert data["totals"]["people"] == 3 + 1 + 3 + 1  # + the office head's own section
    assert data["collective"]["unit"].key == "not_started"
    assert data["collective"]["section_total"] == 3
    option = data["chart"]["option"]
    assert [s["name"] for s in option["series"]] == [str(s.label) for s in panels.states.STATES]
    approved = next(s for s in option["series"] if s["name"] == "已审定")
    assert approved["data"][option["yAxis"]["data"].index(org["section"].name)] == 1


def test_progress_counts_people_without_a_filing_as_not_started(panel_org):
    UserFactory(section=panel_org["section"])  # joined after the stage started
    data = panels.progress_context(fresh(panel_org["campaign"]), panel_org["office"])
    row = next(r for r in data["rows"] if r["section"] == panel_org["section"])
    assert row["people"] == 4 and row["by_key"]["not_started"] == 2


def test_coverage(panel_org):
    org = panel_org
    campaign = org["campaign"]
    covered = PostFactory(section=org["section"], key_type=Post.KeyType.MONEY)
    PostFactory(section=org["section"], key_type=Post.KeyType.APPROVAL)  # nobody filed on it
    PostFactory(section=org["section"], key_type=Post.KeyType.NONE)  # not a key post
    holder = UserFactory(section=org["section"], post=covered)
    services.ensure_filings(campaign)
    filing = Filing.objects.get(campaign=campaign, owner=holder)
    power = PowerFactory(catalogue__campaign=campaign, catalogue__section=org["section"])
    PowerFactory(catalogue__campaign=campaign, catalogue__section=org["section"])
    PowerFactory(catalogue__campaign=campaign, catalogue__section=org["section"])
    add_point(filing, power=power)
    data = panels.coverage_context(fresh(campaign), org["office"])
    lines = {line["key"]: line for line in data["lines"]}
    people = Filing.objects.filter(campaign=campaign, kind=Filing.Kind.PERSONAL).count()
    # Handed in: the staff member (approved) and the colleague (submitted).
    assert (lines["people"]["total"], lines["people"]["missing"]) == (people, people - 2)
    assert (lines["posts"]["total"], lines["posts"]["missing"]) == (2, 1)
    assert (lines["powers"]["total"], lines["powers"]["missing"]) == (3, 2)
    assert lines["powers"]["url"].endswith("?gap=powers")


def test_distribution(panel_org):
    org = panel_org
    data = panels.distribution_context(fresh(org["campaign"]), org["office"])
    assert data["total"] == 7
    assert [(g["level"].rank, g["count"]) for g in data["grades"]] == [(1, 3), (2, 3), (3, 1)]
    categories = {c["category"].pk: c["count"] for c in data["categories"]}
    cats = org["cats"]
    assert categories[cats[0].pk] == 3 and categories[cats[1].pk] == 1
    assert categories[cats[2].pk] == 2 and categories[cats[3].pk] == 1
    sections = {row["label"]: row for row in data["sections"]}
    assert sections[org["section"].name]["total"] == 5
    assert sections[org["section"].name]["grades"] == [3, 1, 1]
    assert sections[org["other_section"].name]["grades"] == [0, 2, 0]
    pie = data["grade_chart"]["option"]["series"][0]["data"]
    assert [(p["name"], p["itemStyle"]["color"]) for p in pie] == [
        (level.label, level.colour) for level in org["campaign"].grade_levels.order_by("rank")
    ]


def test_heatmap(panel_org):
    data = panels.heatmap_context(fresh(panel_org["campaign"]), panel_org["office"])
    grid = data["grid"]
    assert grid[(3, 3)] == 2 and grid[(3, 2)] == 1 and grid[(1, 1)] == 1
    assert grid[(2, 2)] == 1 and grid[(2, 3)] == 1
    assert data["unrated"] == 1
    assert sum(grid.values()) == 6
    cells = {(x, y): n for x, y, n in data["chart"]["option"]["series"][0]["data"]}
    assert cells[(2, 2)] == 2  # indices are 0-based in ECharts
    assert data["table"][0]["harm"] == "高" and data["table"][0]["cells"] == [0, 1, 2]


def test_high_ratio_flags_sections_above_the_guideline(panel_org):
    org = panel_org
    data = panels.high_ratio_context(fresh(org["campaign"]), org["office"])
    assert data["guideline"] == Decimal("0.20")
    rows = {row["label"]: row for row in data["rows"]}
    section = rows[org["section"].name]
    assert (section["total"], section["high"], section["above"]) == (5, 3, True)
    other = rows[org["other_section"].name]
    assert (other["total"], other["high"], other["above"]) == (2, 0, False)
    assert [r["label"] for r in data["above"]] == [org["section"].name]
    assert data["unit"]["ratio"] == Decimal(3) / Decimal(7)

    # The guideline is the campaign's own: raised to 70%, nobody is above it.
    Campaign.objects.filter(pk=org["campaign"].pk).update(high_grade_ratio=Decimal("0.70"))
    data = panels.high_ratio_context(fresh(org["campaign"]), org["office"])
    assert data["above"] == [] and not data["unit"]["above"]


def test_panels_render(panel_org):
    campaign = fresh(panel_org["campaign"])
    for panel in dashboard._panels.values():
        if panel.key not in KEYS:
            continue
        context = panel.context(campaign, panel_org["office"])
        html = render_to_string(panel.template, context)
        assert panel.key in html
        for chart in ("chart", "grade_chart", "category_chart"):
            if chart in context:
                assert f'id="{context[chart]["id"]}"' in html
                assert f'data-echarts="{context[chart]["id"]}"' in html
                json.dumps(context[chart]["option"])  # plain JSON, no lazy strings
                assert "js/panels.js" in html
    high = render_to_string(
        "risks/panels/high_ratio.html", panels.high_ratio_context(campaign, None)
    )
    assert 'data-above="1"' in high and "超过参考上限" in high


def test_panels_are_registered_for_watchers_only(panel_org):
    campaign = panel_org["campaign"]
    shown = {item["panel"].key for item in dashboard.panels_for(campaign, panel_org["office"])}
    assert set(KEYS) <= shown
    for who in ("discipline", "auditor", "committee"):
        shown = {item["panel"].key for item in dashboard.panels_for(campaign, panel_org[who])}
        assert set(KEYS) <= shown, who
    for who in ("staff", "head", "supervisor"):
        shown = {item["panel"].key for item in dashboard.panels_for(campaign, panel_org[who])}
        assert not set(KEYS) & shown, who


def test_dashboard_shows_the_panels_within_their_share_of_the_budget(
    client, panel_org, monkeypatch
):
    """The dashboard as a whole is held to 25 queries (tested with the frame);
    the five risks panels together take seven of them."""
    client.force_login(panel_org["office"])
    url = reverse("campaign:dashboard", args=[panel_org["campaign"].pk])
    client.get(url)  # warm the content-type and permission caches
    with CaptureQueriesContext(connection) as with_ours:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for key in KEYS:
        assert f'data-risk-panel="{key}"' in html
    assert html.count("js/panels.js") == 4  # one per chart; the script runs once
    others = {key: panel for key, panel in dashboard._panels.items() if key not in KEYS}
    monkeypatch.setattr(dashboard, "_panels", others)
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    assert len(with_ours) - len(without) <= 7


# Fixed query counts --------------------------------------------------------------


def _populate(org, people):
    """``people`` more staff spread over five new sections, filings in mixed
    states, two points each for a third of them."""
    campaign = org["campaign"]
    sections = [SectionFactory(unit=campaign.unit) for _ in range(5)]
    for number in range(people):
        UserFactory(section=sections[number % 5])
    services.ensure_filings(campaign)
    filings = Filing.objects.filter(
        campaign=campaign, kind=Filing.Kind.PERSONAL, status=Filing.Status.DRAFT
    )
    for number, filing in enumerate(filings.order_by("pk")):
        if number % 3 == 0:
            add_point(filing, likelihood=number % 3 + 1, harm=(number // 3) % 3 + 1)
            add_point(filing, grade=org["levels"][1], category=org["cats"][number % 5])
    Filing.objects.filter(pk__in=[f.pk for f in filings.order_by("pk")[::4]]).update(
        status=Filing.Status.SUBMITTED
    )


def _queries(campaign, office):
    counts = {}
    for key in KEYS:
        panel = dashboard._panels[key]
        instance = fresh(campaign)
        with CaptureQueriesContext(connection) as captured:
            panel.context(instance, office)
        counts[key] = len(captured)
    instance = fresh(campaign)
    with CaptureQueriesContext(connection) as captured:
        for key in KEYS:
            dashboard._panels[key].context(instance, office)
    counts["all"] = len(captured)
    return counts


def test_query_counts_do_not_grow_with_the_unit(panel_org):
    _populate(panel_org, 20)
    small = _queries(panel_org["campaign"], panel_org["office"])
    _populate(panel_org, 180)
    large = _queries(panel_org["campaign"], panel_org["office"])
    assert small == large
    # Together the five panels share their figures: seven queries in all.
    assert large["all"] <= 7
