"""The year-over-year page of a section: added, removed and regraded risk
points, matched through the carry-over's link or by owner and title."""

import pytest
from django.urls import reverse

from acceptance import yoy
from acceptance.models import CarriedPoint
from accounts.models import User
from campaign.models import Campaign
from campaign.services import create_campaign
from risks.models import Filing, RiskPoint
from tests.factories import RiskPointFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def years(acc):
    User.objects.filter(pk=acc.colleague.pk).update(is_active=False)  # left: their point is removed
    new = create_campaign(
        unit=acc.unit,
        by=acc.office,
        title="2027年度",
        year=2027,
        starts_on=acc.campaign.starts_on,
        previous=acc.campaign,
    )
    Campaign.objects.filter(pk=new.pk).update(status=Campaign.Status.RUNNING)
    mine = Filing.objects.get(campaign=new, owner=acc.staff)
    RiskPoint.objects.filter(filing=mine, title="接受宴请").delete()
    RiskPoint.objects.filter(filing=mine, title="兑现审核不严").update(
        self_grade=new.grade_levels.get(rank=2)
    )
    RiskPointFactory(
        filing=mine, title="新增：企业走访中接受礼品", self_grade=new.grade_levels.get(rank=3)
    )
    acc.new = new
    return acc


def test_added_removed_and_regraded(years):
    result = yoy.compare(years.new, years.section, years.office)
    assert (result.last_year, result.this_year) == (4, 3)
    assert [(r.title, r.old_grade.label, r.grade.label) for r in result.regraded] == [
        ("兑现审核不严", "高", "中")
    ]
    assert [r.title for r in result.added] == ["新增：企业走访中接受礼品"]
    assert sorted(r.title for r in result.removed) == ["信息泄露", "接受宴请"]
    assert result.unchanged == 1  # the section's collective point


def test_without_the_link_points_match_by_owner_and_title(years):
    CarriedPoint.objects.filter(point__campaign=years.new).delete()
    result = yoy.compare(years.new, years.section, years.office)
    assert [r.title for r in result.regraded] == ["兑现审核不严"]
    assert [r.title for r in result.added] == ["新增：企业走访中接受礼品"]
    assert result.unchanged == 1


def test_the_page(client, years):
    url = reverse("acceptance:year_over_year", args=[years.new.pk, years.section.pk])
    for person in (years.office, years.watcher, years.head):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, person
    html = response.content.decode()
    assert 'data-testid="yoy-regraded-count">1<' in html
    assert 'data-testid="yoy-added-count">1<' in html
    assert 'data-testid="yoy-removed-count">2<' in html
    assert "新增：企业走访中接受礼品" in html and "接受宴请" in html
    client.force_login(years.staff)
    assert client.get(url).status_code == 403
    client.force_login(years.outsider)
    assert client.get(url).status_code == 404
    client.force_login(years.office)
    foreign = SectionFactory()
    assert (
        client.get(
            reverse("acceptance:year_over_year", args=[years.new.pk, foreign.pk])
        ).status_code
        == 404
    )


def test_a_campaign_without_a_previous_year(client, acc):
    client.force_login(acc.office)
    response = client.get(
        reverse("acceptance:year_over_year", args=[acc.campaign.pk, acc.section.pk])
    )
    assert response.status_code == 200
    assert "没有上一年度的活动可以对比" in response.content.decode()


def test_readers_count_only_the_filings_they_may_open(client, years):
    """An auditor reads approved filings only: last year's approved points,
    none of this year's drafts, and no colleague's draft by name."""
    result = yoy.compare(years.new, years.section, years.auditor)
    assert result.partial
    assert (result.last_year, result.this_year) == (2, 0)
    assert sorted(r.title for r in result.removed) == ["兑现审核不严", "接受宴请"]
    assert result.regraded == [] and result.added == []
    client.force_login(years.auditor)
    url = reverse("acceptance:year_over_year", args=[years.new.pk, years.section.pk])
    html = client.get(url).content.decode()
    assert "信息泄露" not in html and "陈同事" not in html and "集体决策走过场" not in html
    assert "只计入您有权查看的登记表中的风险点" in html
    assert not yoy.compare(years.new, years.section, years.office).partial
