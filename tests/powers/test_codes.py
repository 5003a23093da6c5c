"""Power codes: section code + sequence, editable, unique in the campaign."""

import pytest
from django.urls import reverse

from powers.models import Power
from powers.services import next_code
from tests.factories import CampaignFactory, CatalogueFactory, PowerFactory

from .helpers import power_data

pytestmark = pytest.mark.django_db


def create(client, org, **fields):
    url = reverse("powers:power_create", args=[org.campaign.pk, org.section.pk])
    return client.post(url, power_data(org, **fields))


def test_the_code_is_generated_from_the_section_code_and_a_sequence(client, org):
    client.force_login(org.head)
    create(client, org, name="第一项")
    create(client, org, name="第二项")
    codes = list(Power.objects.order_by("sequence").values_list("code", "sequence"))
    assert codes == [("ZS1-001", 1), ("ZS1-002", 2)]


def test_the_create_page_suggests_the_next_code(client, org):
    PowerFactory(catalogue=CatalogueFactory(campaign=org.campaign, section=org.section), sequence=4)
    client.force_login(org.head)
    response = client.get(reverse("powers:power_create", args=[org.campaign.pk, org.section.pk]))
    assert 'value="ZS1-005"' in response.content.decode()


def test_next_code_skips_codes_taken_by_hand(org):
    catalogue = CatalogueFactory(campaign=org.campaign, section=org.section)
    PowerFactory(catalogue=catalogue, sequence=1, code="ZS1-001")
    PowerFactory(catalogue=catalogue, sequence=0, code="ZS1-002")  # typed by hand
    assert next_code(org.campaign, org.section) == (3, "ZS1-003")


def test_a_typed_code_is_kept_and_sets_the_sequence(client, org):
    client.force_login(org.head)
    create(client, org, code="ZS1-010")
    power = Power.objects.get()
    assert (power.code, power.sequence) == ("ZS1-010", 10)
    create(client, org, name="下一项")
    assert Power.objects.filter(code="ZS1-011").exists()


def test_a_code_clash_is_a_form_error(client, org):
    other_catalogue = CatalogueFactory(campaign=org.campaign, section=org.other)
    PowerFactory(catalogue=other_catalogue, code="ZS2-001", name="外资项目引进评估")
    client.force_login(org.head)
    response = create(client, org, code="ZS2-001", name="重复编码的职权")
    assert response.status_code == 200
    form = response.context["form"]
    assert "已被“外资项目引进评估”（招商二科）使用" in form.errors["code"][0]
    assert not Power.objects.filter(name="重复编码的职权").exists()
    # What was typed is kept.
    assert "重复编码的职权" in response.content.decode()


def test_editing_keeps_its_own_code_but_not_anothers(client, org):
    catalogue = CatalogueFactory(campaign=org.campaign, section=org.section)
    first = PowerFactory(catalogue=catalogue, code="ZS1-001")
    PowerFactory(catalogue=catalogue, code="ZS1-002")
    client.force_login(org.head)
    url = reverse("powers:power_edit", args=[org.campaign.pk, first.pk])
    response = client.post(url, power_data(org, code="ZS1-001", name="改名"))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.name == "改名"
    response = client.post(url, power_data(org, code="ZS1-002", name="改名"))
    assert response.status_code == 200
    assert "code" in response.context["form"].errors


def test_codes_are_unique_per_campaign_only(org):
    PowerFactory(
        catalogue=CatalogueFactory(campaign=org.campaign, section=org.section), code="ZS1-001"
    )
    later = CampaignFactory(unit=org.unit, title="2027年度", year=2027)
    PowerFactory(catalogue=CatalogueFactory(campaign=later, section=org.section), code="ZS1-001")
    assert Power.objects.filter(code="ZS1-001").count() == 2
