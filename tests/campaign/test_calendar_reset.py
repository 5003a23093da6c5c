"""重置订阅链接: a person revokes their calendar address; old links give 404."""

import pytest
from django.urls import reverse

from campaign import ical
from campaign.models import CalendarFeed

pytestmark = pytest.mark.django_db


def address(token):
    return reverse("campaign:ical", args=[token])


def test_resetting_revokes_every_earlier_address(client, staff):
    first = ical.token_for(staff)
    assert client.get(address(first)).status_code == 200
    second = ical.reset(staff)
    assert second != first
    assert ical.token_for(staff) == second
    assert ical.user_for(first) is None
    assert client.get(address(first)).status_code == 404
    assert client.get(address(second)).status_code == 200
    third = ical.reset(staff)
    assert client.get(address(second)).status_code == 404
    assert ical.user_for(third) == staff
    assert CalendarFeed.objects.filter(person=staff).count() == 1


def test_the_secret_is_the_persons_own(staff, office):
    ical.reset(staff)
    ical.reset(office)
    assert ical.user_for(ical.token_for(staff)) == staff
    assert ical.user_for(ical.token_for(office)) == office
    # Another person's secret with one's own id is not a valid token.
    other = CalendarFeed.objects.get(person=office).secret
    forged = ical._signer().sign(f"{staff.pk}.{other}")
    assert ical.user_for(forged) is None


def test_the_overview_offers_the_reset_and_it_rotates(client, campaign, staff):
    client.force_login(staff)
    detail = reverse("campaign:detail", args=[campaign.pk])
    old = ical.token_for(staff)
    html = client.get(detail).content.decode()
    assert "重置订阅链接" in html
    response = client.post(address(old), {"next": detail})
    assert response.status_code == 302
    assert response["Location"] == detail
    new = ical.token_for(staff)
    assert new != old
    html = client.get(detail).content.decode()
    assert "订阅链接已重置" in html
    assert address(new) in html and address(old) not in html
    assert client.get(address(old)).status_code == 404


def test_only_the_owner_signed_in_resets_it(client, staff, office):
    token = ical.token_for(staff)
    assert client.post(address(token)).status_code == 404  # nobody signed in
    client.force_login(office)
    assert client.post(address(token)).status_code == 404  # someone else's address
    assert ical.token_for(staff) == token
    client.force_login(staff)
    stale = token
    ical.reset(staff)
    assert client.post(address(stale)).status_code == 404  # already revoked
    assert client.get(address(ical.token_for(staff))).status_code == 200
