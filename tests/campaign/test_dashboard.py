"""The campaign dashboard: who sees it, what it shows, and its query bound."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from campaign import dashboard
from campaign.models import Milestone, StudyConfirmation, StudyMaterial
from tests.factories import MeetingFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(campaign):
    return reverse("campaign:dashboard", args=[campaign.pk])


@pytest.mark.parametrize(
    "roles", [[Role.DISCIPLINE], [Role.PARTY_COMMITTEE], [Role.AUDITOR], [Role.LEADING_GROUP]]
)
def test_watchers_read_the_dashboard_without_acting(client, campaign, roles):
    watcher = UserFactory(section=None, unit=campaign.unit, roles=roles)
    client.force_login(watcher)
    response = client.get(url(campaign))
    assert response.status_code == 200
    html = response.content.decode()
    assert "只读" in html
    assert "/toggle/" not in html
    assert "调整计划" not in html
    assert not response.context["rights"].administer


def test_staff_and_outsiders_are_refused(client, campaign, staff, outsider):
    client.force_login(staff)
    assert client.get(url(campaign)).status_code == 403
    client.force_login(outsider)
    assert client.get(url(campaign)).status_code == 404


def test_the_office_sees_the_chart_data_and_milestones(client, campaign, office):
    overdue = Milestone.objects.filter(stage__campaign=campaign).order_by("due_on").first()
    client.force_login(office)
    response = client.get(url(campaign))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="timeline-data"' in html and "vendor/echarts/echarts.min.js" in html
    start = html.index('id="timeline-data"')
    payload = html[html.index(">", start) + 1 : html.index("</script>", start)]
    data = json.loads(payload)
    assert [s["name"] for s in data["stages"]] == [
        "宣传动员",
        "清权确权",
        "查找风险",
        "评估定级",
        "制定措施",
        "公示",
        "检查验收",
    ]
    assert data["today"] == response.context["plan"].today.isoformat()
    assert len(data["milestones"]) == Milestone.objects.filter(stage__campaign=campaign).count()
    # The factory's campaign started in March 2026: its early milestones are overdue
    # on any later day, and the chart and the list both say so.
    state = next(m for m in data["milestones"] if m["name"] == overdue.title)
    if response.context["plan"].today > overdue.due_on:
        assert state["state"] == "overdue"
        assert "已逾期" in html
    assert "/toggle/" in html


def test_registered_panels_render_in_the_grid(client, campaign, office, settings, tmp_path):
    template_dir = tmp_path / "templates"
    (template_dir / "test").mkdir(parents=True)
    (template_dir / "test" / "panel.html").write_text(
        "<p data-testid='fake-panel'>{{ answer }} · {{ campaign.title }} · {{ data.answer }}</p>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}
    ]
    panel = dashboard.Panel(
        key="zz-test",
        title="测试面板",
        template="test/panel.html",
        context=lambda campaign, user: {"answer": 42},
        width="col-xl-4",
    )
    hidden = dashboard.Panel(
        key="zz-hidden",
        title="看不见的面板",
        template="test/panel.html",
        context=lambda campaign, user: {},
        visible=lambda campaign, user: False,
    )
    dashboard.register(panel)
    dashboard.register(hidden)
    try:
        client.force_login(office)
        html = client.get(url(campaign)).content.decode()
    finally:
        dashboard._panels.pop("zz-test")
        dashboard._panels.pop("zz-hidden")
    assert "测试面板" in html and "看不见的面板" not in html
    assert f"42 · {campaign.title} · 42" in html
    assert 'class="col-12 col-xl-4"' in html
    # The campaign's own panel: study participation.
    assert 'data-panel="mobilisation"' in html


def populate(campaign, people, batch="a"):
    """``people`` more staff in ten sections, who have studied and met."""
    sections = list(campaign.unit.sections.all()[:10])
    sections += [SectionFactory(unit=campaign.unit) for _ in range(10 - len(sections))]
    User.objects.bulk_create(
        User(
            username=f"p{campaign.pk}{batch}-{i}",
            full_name=f"干部{batch}{i}",
            employee_no=f"N{campaign.pk}{batch}-{i:04d}",
            unit=campaign.unit,
            section=sections[i % len(sections)],
        )
        for i in range(people)
    )
    staff = list(
        User.objects.filter(unit=campaign.unit, username__startswith=f"p{campaign.pk}{batch}-")
    )
    materials = list(campaign.materials.all()) or [
        StudyMaterial.objects.create(campaign=campaign, title=f"材料{i}", required=i < 2)
        for i in range(3)
    ]
    StudyConfirmation.objects.bulk_create(
        StudyConfirmation(material=material, person=person)
        for n, person in enumerate(staff)
        for material in materials
        if n % 4
    )
    meeting = campaign.meetings.first() or MeetingFactory(campaign=campaign)
    meeting.attendees.add(*staff)
    for milestone in Milestone.objects.filter(stage__campaign=campaign)[:5]:
        milestone.done = True
        milestone.save()
    return staff


def queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def own_panels_only(monkeypatch):
    """The dashboard with the campaign app's own panels, not those of the apps above."""
    own = {key: p for key, p in dashboard._panels.items() if p.template.startswith("campaign/")}
    monkeypatch.setattr(dashboard, "_panels", own)


@pytest.mark.parametrize("people", [20, 200])
def test_the_dashboard_runs_a_bounded_number_of_queries(
    client, campaign, office, people, own_panels_only, django_assert_max_num_queries
):
    populate(campaign, people)
    watcher = UserFactory(section=None, unit=campaign.unit, roles=[Role.DISCIPLINE])
    for person in (office, watcher):
        client.force_login(person)
        with django_assert_max_num_queries(25):
            response = client.get(url(campaign))
        assert response.status_code == 200
    panel = next(p for p in response.context["panels"] if p["panel"].key == "mobilisation")
    assert panel["context"]["people"] >= people
    assert panel["context"]["done"] == sum(row["confirmed"] for row in panel["context"]["rows"])


def test_the_whole_dashboard_does_not_grow_with_the_unit(client, campaign, office):
    """Every registered panel (from every app) included: 200 people cost no
    more queries than 20."""
    client.force_login(office)
    populate(campaign, 20, batch="a")
    small = queries_for(client, url(campaign))
    populate(campaign, 180, batch="b")
    assert queries_for(client, url(campaign)) == small
