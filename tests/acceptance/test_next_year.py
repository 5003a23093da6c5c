"""Next year's campaign from this one: everybody's risk points and measures
come over as drafts (new rows, nothing shared), leavers are dropped,
newcomers get an empty filing, grades map by rank, categories by name,
powers by code."""

import pytest
from django.urls import reverse

from acceptance import services
from acceptance.models import CarriedFiling, CarriedPoint
from accounts.home import work_for
from accounts.models import User
from campaign.models import AuditEntry, Campaign
from campaign.services import create_campaign
from powers.models import Power
from risks.models import Filing, Measure, RiskPoint
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(acc):
    """The colleague left (inactive), the cashier moved to another unit, a newcomer joined."""
    User.objects.filter(pk=acc.colleague.pk).update(is_active=False)
    User.objects.filter(pk=acc.cashier.pk).update(unit=UnitFactory(), section=None)
    acc.newcomer = UserFactory(section=acc.section, full_name="新同事")
    return acc


def _next(acc, **kwargs):
    return create_campaign(
        unit=acc.unit,
        by=acc.office,
        title="2027年度廉政风险防控工作",
        year=2027,
        starts_on=acc.campaign.starts_on.replace(year=2027),
        previous=acc.campaign,
        **kwargs,
    )


def test_filings_are_carried_over_as_drafts(moved):
    acc = moved
    old_points = set(RiskPoint.objects.filter(campaign=acc.campaign).values_list("pk", flat=True))
    old_measures = set(
        Measure.objects.filter(risk_point__campaign=acc.campaign).values_list("pk", flat=True)
    )
    new = _next(acc)
    filings = Filing.objects.filter(campaign=new)
    personal = {f.owner_id: f for f in filings.filter(kind=Filing.Kind.PERSONAL)}
    # Leavers dropped; everybody still here has a filing; newcomers an empty one.
    assert acc.colleague.pk not in personal and acc.cashier.pk not in personal
    assert {acc.staff.pk, acc.head.pk, acc.newcomer.pk, acc.office.pk, acc.watcher.pk} <= set(
        personal
    )
    assert not personal[acc.newcomer.pk].risk_points.exists()
    assert not personal[acc.head.pk].risk_points.exists()
    assert filings.filter(kind=Filing.Kind.SECTION).count() == 3  # every active section
    assert filings.filter(kind=Filing.Kind.UNIT).count() == 1
    assert all(f.status == Filing.Status.DRAFT and f.version == 0 for f in filings)

    mine = personal[acc.staff.pk]
    assert mine.section == acc.section and mine.post == acc.staff.post
    points = {p.title: p for p in mine.risk_points.all()}
    assert set(points) == {"兑现审核不严", "接受宴请"}
    section_points = RiskPoint.objects.filter(
        filing__campaign=new, filing__kind=Filing.Kind.SECTION
    )
    assert list(section_points.values_list("title", flat=True)) == ["集体决策走过场"]
    assert CarriedFiling.objects.get(filing=mine).source == acc.filing
    assert CarriedPoint.objects.get(point=points["兑现审核不严"]).source == acc.high
    assert AuditEntry.objects.filter(
        campaign=new, action="acceptance.filings_carried_over"
    ).exists()

    # Every copied object is a new row of the new campaign.
    new_points = RiskPoint.objects.filter(campaign=new)
    new_measures = Measure.objects.filter(risk_point__campaign=new)
    assert set(new_points.values_list("pk", flat=True)).isdisjoint(old_points)
    assert set(new_measures.values_list("pk", flat=True)).isdisjoint(old_measures)
    assert new_points.count() == 3 and new_measures.count() == 3
    for point in new_points.select_related(
        "filing", "category", "self_grade", "power", "power_step__power"
    ):
        assert point.filing.campaign_id == new.pk
        assert point.category.campaign_id == new.pk
        assert point.self_grade is None or point.self_grade.campaign_id == new.pk
        assert point.final_grade_id is None and point.reviewed_grade_id is None
        assert point.power is None or point.power.campaign_id == new.pk
        assert point.power_step is None or point.power_step.power.campaign_id == new.pk
    for measure in new_measures.select_related("risk_point"):
        assert measure.risk_point.campaign_id == new.pk and measure.risk_point_id not in old_points
        assert measure.status == Measure.Status.PLANNED and measure.due_on is None

    high = points["兑现审核不严"]
    assert high.category.name == acc.high.category.name
    assert high.power == Power.objects.get(campaign=new, code="ZS1-001")
    assert (high.power_step.position, high.power_step.name) == (2, "审核")
    assert (high.likelihood, high.harm) == (3, 3) and high.suggested_grade.rank == 1
    assert set(high.measures.values_list("owner_id", flat=True)) == {acc.staff.pk, acc.head.pk}

    # Last year is untouched, and changing this year does not reach it.
    RiskPoint.objects.filter(pk=high.pk).update(title="改过的标题")
    Measure.objects.filter(risk_point=high).update(text="改过的措施")
    acc.high.refresh_from_db()
    assert acc.high.title == "兑现审核不严"
    assert set(acc.high.measures.values_list("text", flat=True)) == {"双人审核", "结果公开"}
    assert RiskPoint.objects.filter(campaign=acc.campaign).count() == 4


def test_grades_map_by_rank_onto_the_new_scheme(acc):
    new = _next(acc, grading_scheme=Campaign.Scheme.NUMBERED)
    grades = dict(RiskPoint.objects.filter(campaign=new).values_list("title", "self_grade__label"))
    # Last year's settled grade (final, else reviewed, else self) becomes this year's self grade.
    assert grades == {
        "兑现审核不严": "一级",
        "接受宴请": "三级",
        "集体决策走过场": "二级",
        "信息泄露": None,
    }


def test_a_point_without_grade_stays_ungraded_and_measure_owners_who_left_are_cleared(moved):
    acc = moved
    User.objects.filter(pk=acc.head.pk).update(is_active=False)
    new = _next(acc)
    high = RiskPoint.objects.get(campaign=new, title="兑现审核不严")
    assert set(high.measures.values_list("owner_id", flat=True)) == {acc.staff.pk, None}


def test_owners_are_asked_to_confirm_or_change(acc):
    new = _next(acc)
    Campaign.objects.filter(pk=new.pk).update(status=Campaign.Status.RUNNING)
    items = [item for item in work_for(acc.staff) if "从上一年度带入，请确认或修改" in item.title]
    assert len(items) == 1
    filing = Filing.objects.get(campaign=new, owner=acc.staff)
    assert items[0].url == filing.get_absolute_url()
    assert services.carried_pending(filing)
    Filing.objects.filter(pk=filing.pk).update(version=1)  # the owner saved it
    assert not [item for item in work_for(acc.staff) if "从上一年度带入" in item.title]


def test_filings_already_there_are_left_alone(acc):
    new = _next(acc)
    before = Filing.objects.filter(campaign=new).count()
    counts = services.carry_over_filings(acc.campaign, new, acc.office)
    assert counts["filings"] == 0
    assert Filing.objects.filter(campaign=new).count() == before


def test_the_office_starts_next_year_from_the_page(client, acc):
    url = reverse("acceptance:next_year", args=[acc.campaign.pk])
    client.force_login(acc.office)
    form = client.get(url).context["form"]
    assert form.initial["title"] == "2027年度廉政风险防控工作" and form.initial["year"] == 2027
    response = client.post(
        url, {"title": "2027年度廉政风险防控工作", "year": 2027, "starts_on": "2027-03-01"}
    )
    new = Campaign.objects.get(title="2027年度廉政风险防控工作")
    assert response.status_code == 302 and response.url == reverse("campaign:plan", args=[new.pk])
    assert new.previous == acc.campaign and new.status == Campaign.Status.DRAFT
    assert RiskPoint.objects.filter(campaign=new).count() == 4
    # The same title again is refused with the form kept.
    again = client.post(
        url, {"title": "2027年度廉政风险防控工作", "year": 2027, "starts_on": "2027-03-01"}
    )
    assert again.status_code == 200 and "同名的活动" in again.content.decode()


def test_a_closed_campaign_may_still_start_next_year(client, acc):
    Campaign.objects.filter(pk=acc.campaign.pk).update(status=Campaign.Status.CLOSED)
    client.force_login(acc.office)
    url = reverse("acceptance:next_year", args=[acc.campaign.pk])
    response = client.post(url, {"title": "2027年度", "year": 2027, "starts_on": "2027-03-01"})
    assert response.status_code == 302
    assert RiskPoint.objects.filter(campaign__title="2027年度").count() == 4


def test_only_the_office_starts_next_year(client, acc):
    url = reverse("acceptance:next_year", args=[acc.campaign.pk])
    data = {"title": "2027年度", "year": 2027, "starts_on": "2027-03-01"}
    for person in (acc.staff, acc.watcher, acc.head):
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    client.force_login(acc.outsider)
    assert client.post(url, data).status_code == 404
    assert not Campaign.objects.filter(title="2027年度").exists()
