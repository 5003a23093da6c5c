"""Next year: start from last year's catalogue; compare the two."""

import datetime

import pytest
from django.urls import reverse

from campaign.models import Campaign
from powers import services
from powers.models import Catalogue, Power, PowerCategory, PowerStep
from tests.factories import CampaignFactory, CatalogueFactory, PowerFactory, PowerStepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(org):
    """``org.campaign`` as last year's, with a custom category and an approved catalogue."""
    campaign = org.campaign
    custom = PowerCategory.objects.create(
        campaign=campaign, code="custom-1", name="招商服务", group="administrative"
    )
    services.ensure_categories(campaign)
    catalogue = CatalogueFactory(campaign=campaign, section=org.section)
    first = PowerFactory(catalogue=catalogue, code="ZS1-001", name="项目准入初审", category=custom)
    first.posts.set([org.chief, org.clerk])
    PowerStepFactory(power=first, position=1, name="受理", post=org.clerk, is_risk=True)
    PowerStepFactory(power=first, position=2, name="审核", post=org.chief)
    PowerFactory(catalogue=catalogue, code="ZS1-002", name="奖励兑现初审")
    PowerFactory(
        catalogue=CatalogueFactory(campaign=campaign, section=org.other),
        code="ZS2-001",
        name="外资评估",
    )
    Catalogue.objects.filter(campaign=campaign).update(status=Catalogue.Status.APPROVED, revision=3)
    return campaign


def next_year(org, previous=None, **kwargs):
    campaign = CampaignFactory(
        unit=org.unit,
        title="2027年度廉政风险防控工作",
        year=2027,
        starts_on=datetime.date(2027, 3, 1),
        previous=previous,
        by=org.office,
        **kwargs,
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.RUNNING)
    campaign.refresh_from_db()
    return campaign


def test_carry_over_copies_without_sharing(org, last_year):
    campaign = next_year(org)
    counts = services.carry_over(last_year, campaign, org.office)
    assert counts == {"catalogues": 2, "powers": 3, "steps": 2, "skipped": 0}

    categories = {c.code: c for c in campaign.power_categories.all()}
    assert categories["custom-1"].name == "招商服务"
    assert set(categories) == set(last_year.power_categories.values_list("code", flat=True))

    for catalogue in campaign.catalogues.all():
        assert (catalogue.status, catalogue.revision) == (Catalogue.Status.DRAFT, 1)
    old = Power.objects.get(campaign=last_year, code="ZS1-001")
    new = Power.objects.get(campaign=campaign, code="ZS1-001")
    assert new.pk != old.pk
    assert new.catalogue.campaign == campaign and new.category.campaign == campaign
    assert new.category.code == "custom-1"
    assert set(new.posts.all()) == {org.chief, org.clerk}
    assert [(s.position, s.name, s.post, s.is_risk) for s in new.steps.order_by("position")] == [
        (1, "受理", org.clerk, True),
        (2, "审核", org.chief, False),
    ]
    assert not set(new.steps.values_list("pk", flat=True)) & set(
        old.steps.values_list("pk", flat=True)
    )

    # Changing the copy leaves last year alone.
    new.name = "项目准入审核"
    new.save()
    new.steps.filter(position=1).update(name="网上受理")
    old.refresh_from_db()
    assert old.name == "项目准入初审"
    assert old.steps.get(position=1).name == "受理"


def test_carry_over_runs_when_a_campaign_is_created_from_the_previous_one(
    org, last_year, django_capture_on_commit_callbacks
):
    # The campaign_created signal (sent in or after the creating transaction).
    with django_capture_on_commit_callbacks(execute=True):
        campaign = next_year(org, previous=last_year)
    assert Power.objects.filter(campaign=campaign).count() == 3
    assert PowerStep.objects.filter(power__campaign=campaign).count() == 2


def test_a_section_already_started_is_left_alone(org, last_year):
    campaign = next_year(org)
    mine = PowerFactory(
        catalogue=CatalogueFactory(campaign=campaign, section=org.section), code="ZS1-009"
    )
    counts = services.carry_over(last_year, campaign, org.office)
    assert counts["catalogues"] == 1 and counts["skipped"] == 1
    assert list(campaign.powers.filter(section=org.section)) == [mine]


def test_the_overview_offers_the_carry_over_for_an_empty_catalogue(client, org, last_year):
    campaign = next_year(org)
    client.force_login(org.office)
    url = reverse("powers:overview", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="carry-over"' in page
    response = client.post(
        reverse("powers:carry_over", args=[campaign.pk]), {"previous": last_year.pk}, follow=True
    )
    assert any("已导入 2 个科室的 3 项职权" in str(m) for m in response.context["messages"])
    assert 'data-testid="carry-over"' not in client.get(url).content.decode()


def test_only_the_office_carries_over(client, org, last_year):
    campaign = next_year(org)
    client.force_login(org.head)
    response = client.post(
        reverse("powers:carry_over", args=[campaign.pk]), {"previous": last_year.pk}
    )
    assert response.status_code == 403
    assert not campaign.powers.exists()


def test_the_comparison_page(client, org, last_year):
    campaign = next_year(org)
    Campaign.objects.filter(pk=campaign.pk).update(previous=last_year)
    services.carry_over(last_year, campaign, org.office)
    changed = campaign.powers.get(code="ZS1-001")
    changed.name = "项目准入审核"
    changed.time_limit = "15个工作日"
    changed.save()
    changed.steps.filter(position=2).update(is_risk=True)
    campaign.powers.get(code="ZS1-002").delete()
    PowerFactory(
        catalogue=campaign.catalogues.get(section=org.other),
        code="ZS2-002",
        name="总部企业认定初审",
    )

    client.force_login(org.watcher)
    response = client.get(reverse("powers:compare", args=[campaign.pk]))
    assert response.status_code == 200
    diff = response.context["diff"]
    assert [p["code"] for p in diff.added] == ["ZS2-002"]
    assert [p["code"] for p in diff.removed] == ["ZS1-002"]
    (power,) = diff.changed
    fields = {f.key: (f.old, f.new) for f in power.fields}
    assert fields["name"] == ("项目准入初审", "项目准入审核")
    assert fields["time_limit"] == ("5个工作日", "15个工作日")
    assert (
        "【风险点】" in fields["steps"][1] and "【风险点】" not in fields["steps"][0].split("\n")[1]
    )
    assert diff.unchanged == 1
    html = response.content.decode()
    for text in ("总部企业认定初审", "奖励兑现初审", "项目准入审核", "招商二科"):
        assert text in html
