"""Publicity scope: "not published" needs a reason."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from powers.models import Power
from tests.factories import CatalogueFactory, PowerFactory

from .helpers import power_data

pytestmark = pytest.mark.django_db


def test_not_published_without_a_reason_is_refused(client, org):
    client.force_login(org.head)
    url = reverse("powers:power_create", args=[org.campaign.pk, org.section.pk])
    response = client.post(url, power_data(org, publicity="unpublished", unpublished_reason="  "))
    assert response.status_code == 200
    assert response.context["form"].errors["unpublished_reason"] == [
        "选择“不公开”时必须填写不公开的理由。"
    ]
    assert not Power.objects.exists()


def test_not_published_with_a_reason_is_saved(client, org):
    client.force_login(org.head)
    url = reverse("powers:power_create", args=[org.campaign.pk, org.section.pk])
    client.post(url, power_data(org, publicity="unpublished", unpublished_reason="涉及商业秘密"))
    power = Power.objects.get()
    assert (power.publicity, power.unpublished_reason) == ("unpublished", "涉及商业秘密")


def test_a_published_power_drops_a_leftover_reason(client, org):
    client.force_login(org.head)
    url = reverse("powers:power_create", args=[org.campaign.pk, org.section.pk])
    client.post(url, power_data(org, publicity="public", unpublished_reason="旧理由"))
    assert Power.objects.get().unpublished_reason == ""


def test_the_database_refuses_an_unpublished_power_without_reason(org):
    power = PowerFactory(catalogue=CatalogueFactory(campaign=org.campaign, section=org.section))
    power.publicity = Power.Publicity.UNPUBLISHED
    with pytest.raises(IntegrityError):
        power.save()
