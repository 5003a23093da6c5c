"""The catalogue list, the overview and the dashboard panel run a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from powers import services
from tests.factories import (
    CatalogueFactory,
    PostFactory,
    PowerFactory,
    PowerStepFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def fill(org, count):
    """``count`` powers spread over the two sections, with posts and steps."""
    catalogues = [
        CatalogueFactory(campaign=org.campaign, section=org.section),
        CatalogueFactory(campaign=org.campaign, section=org.other),
    ]
    posts = [org.chief, org.clerk, PostFactory(section=org.other)]
    existing = org.campaign.powers.count()
    for i in range(existing, count):
        catalogue = catalogues[i % 2]
        power = PowerFactory(catalogue=catalogue, code=f"{catalogue.section.code}-{i:03d}")
        power.posts.set([p for p in posts if p.section_id == catalogue.section_id])
        if i % 3:
            PowerStepFactory(power=power, position=1, post=posts[0])


def queries(client, url):
    client.get(url)  # warm caches (content types, categories)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def test_the_catalogue_list(client, org, django_assert_max_num_queries):
    client.force_login(org.head)
    url = reverse("powers:catalogue", args=[org.campaign.pk, org.section.pk])
    fill(org, 5)
    few = queries(client, url)
    fill(org, 50)
    many = queries(client, url)
    assert few == many
    with django_assert_max_num_queries(20):
        client.get(url + "?q=职权&publicity=internal")


def test_the_catalogue_list_for_a_reviewer(client, org, django_assert_max_num_queries):
    fill(org, 50)
    catalogue = org.campaign.catalogues.get(section=org.section)
    services.submit_catalogue(catalogue, org.head)
    client.force_login(org.office)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("powers:catalogue", args=[org.campaign.pk, org.section.pk]))
    assert response.context["may_act"]


def test_the_overview(client, org, django_assert_max_num_queries):
    client.force_login(org.office)
    url = reverse("powers:overview", args=[org.campaign.pk])
    fill(org, 5)
    services.submit_catalogue(org.campaign.catalogues.get(section=org.section), org.head)
    few = queries(client, url)
    for _ in range(3):
        SectionFactory(unit=org.unit)
    fill(org, 50)
    many = queries(client, url)
    assert few == many
    with django_assert_max_num_queries(20):
        response = client.get(url)
    data = response.context["data"]
    assert data.total_powers == 50
    assert len(data.rows) == 6  # the office's section, ZS1, ZS2 and three new ones
    assert data.rows[-1].catalogue is None  # new sections have not started
    html = response.content.decode()
    assert 'data-testid="not-submitted"' in html


def test_the_dashboard_panel(org, django_assert_max_num_queries):
    from campaign.dashboard import panels_for

    fill(org, 5)
    with CaptureQueriesContext(connection) as few:
        panels_for(org.campaign, org.office)
    fill(org, 50)
    with django_assert_max_num_queries(len(few)):
        panels = {p["panel"].key: p["context"] for p in panels_for(org.campaign, org.office)}
    context = panels["powers"]
    assert context["powers_total"] == 50
    assert {value: n for _label, n, value in context["statuses"]}["draft"] == 2
