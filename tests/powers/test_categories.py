"""The campaign's list of power categories, edited by the office."""

import pytest
from django.urls import reverse

from powers import defaults, services
from powers.models import PowerCategory
from tests.factories import CampaignFactory, CatalogueFactory, PowerFactory

pytestmark = pytest.mark.django_db


def formset_data(rows):
    data = {
        "categories-TOTAL_FORMS": str(len(rows)),
        "categories-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "categories-MIN_NUM_FORMS": "0",
        "categories-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data[f"categories-{i}-id"] = row.get("id", "")
        data[f"categories-{i}-name"] = row["name"]
        data[f"categories-{i}-group"] = row.get("group", "internal")
        data[f"categories-{i}-ORDER"] = str(row.get("ORDER", i + 1))
        if row.get("DELETE"):
            data[f"categories-{i}-DELETE"] = "on"
    return data


def current_rows(campaign):
    return [{"id": c.pk, "name": c.name, "group": c.group} for c in campaign.power_categories.all()]


def test_a_new_campaign_gets_the_default_categories(org):
    codes = list(org.campaign.power_categories.values_list("code", flat=True))
    assert codes == [code for code, _name, _group in defaults.CATEGORIES]


def test_categories_are_created_lazily_for_an_older_campaign(client, org):
    PowerCategory.objects.filter(campaign=org.campaign).delete()
    client.force_login(org.staff)
    client.get(reverse("powers:catalogue", args=[org.campaign.pk, org.section.pk]))
    assert org.campaign.power_categories.count() == len(defaults.CATEGORIES)
    # Idempotent.
    services.ensure_categories(org.campaign)
    assert org.campaign.power_categories.count() == len(defaults.CATEGORIES)


def test_the_office_renames_adds_reorders_and_removes(client, org):
    client.force_login(org.office)
    rows = current_rows(org.campaign)
    rows[0]["name"] = "行政许可（含备案）"
    rows[0]["ORDER"] = 3
    rows[1]["ORDER"] = 1
    rows[2]["ORDER"] = 2
    rows[3]["DELETE"] = True
    rows.append({"name": "招商服务", "group": "administrative", "ORDER": 4})
    response = client.post(reverse("powers:categories", args=[org.campaign.pk]), formset_data(rows))
    assert response.status_code == 302
    names = list(org.campaign.power_categories.values_list("name", flat=True)[:4])
    assert names == ["行政处罚", "行政征收", "行政许可（含备案）", "招商服务"]
    added = org.campaign.power_categories.get(name="招商服务")
    assert added.code.startswith("custom-")
    assert not org.campaign.power_categories.filter(code="enforcement").exists()


def test_a_category_in_use_cannot_be_removed(client, org):
    category = org.campaign.power_categories.get(code="licensing")
    PowerFactory(
        catalogue=CatalogueFactory(campaign=org.campaign, section=org.section), category=category
    )
    client.force_login(org.office)
    rows = current_rows(org.campaign)
    rows[0]["DELETE"] = True
    response = client.post(reverse("powers:categories", args=[org.campaign.pk]), formset_data(rows))
    assert response.status_code == 200
    assert "已有 1 项职权使用，不能删除" in response.content.decode()
    assert org.campaign.power_categories.filter(code="licensing").exists()


def test_duplicate_names_are_refused(client, org):
    client.force_login(org.office)
    rows = current_rows(org.campaign) + [{"name": "行政许可"}]
    response = client.post(reverse("powers:categories", args=[org.campaign.pk]), formset_data(rows))
    assert response.status_code == 200
    assert "类别名称“行政许可”重复。" in response.content.decode()


def test_watchers_read_the_list_and_others_are_refused(client, org):
    url = reverse("powers:categories", args=[org.campaign.pk])
    client.force_login(org.watcher)
    response = client.get(url)
    assert response.status_code == 200
    assert "data-formset" not in response.content.decode()
    assert client.post(url, formset_data(current_rows(org.campaign))).status_code == 403
    client.force_login(org.head)
    assert client.get(url).status_code == 403


def test_categories_belong_to_one_campaign(org):
    later = CampaignFactory(unit=org.unit, title="另一活动")
    PowerCategory.objects.filter(campaign=later, code="licensing").update(name="许可")
    assert org.campaign.power_categories.get(code="licensing").name == "行政许可"
