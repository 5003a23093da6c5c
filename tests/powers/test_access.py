"""Who may read and who may change a section's catalogue."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from campaign.models import Campaign
from powers import services
from powers.models import Catalogue, CatalogueRevision, Power
from tests.factories import CampaignFactory, CatalogueFactory, PowerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def power(org):
    return PowerFactory(
        catalogue=CatalogueFactory(campaign=org.campaign, section=org.section), steps=2
    )


def pages(org, power):
    c, s, p = org.campaign.pk, org.section.pk, power.pk
    return {
        "read": [
            reverse("powers:catalogue", args=[c, s]),
            reverse("powers:catalogue_history", args=[c, s]),
            reverse("powers:power", args=[c, p]),
            reverse("powers:flowchart_svg", args=[c, p]),
        ],
        "edit_get": [
            reverse("powers:power_create", args=[c, s]),
            reverse("powers:power_edit", args=[c, p]),
            reverse("powers:power_delete", args=[c, p]),
        ],
        "edit_post": [
            reverse("powers:catalogue_submit", args=[c, s]),
            reverse("powers:catalogue_revise", args=[c, s]),
            reverse("powers:power_delete", args=[c, p]),
        ],
        "watch": [
            reverse("powers:overview", args=[c]),
            reverse("powers:compare", args=[c]),
            reverse("powers:categories", args=[c]),
        ],
        "administer_post": [
            reverse("powers:carry_over", args=[c]),
            reverse("powers:categories", args=[c]),
        ],
    }


def test_an_outsider_gets_404_everywhere(client, org, power):
    client.force_login(org.outsider)
    urls = pages(org, power)
    for url in urls["read"] + urls["edit_get"] + urls["watch"]:
        assert client.get(url).status_code == 404, url
    for url in urls["edit_post"] + urls["administer_post"]:
        assert client.post(url).status_code == 404, url
    review = reverse("powers:catalogue_approve", args=[org.campaign.pk, org.section.pk])
    assert client.post(review, {"step": 1}).status_code == 404


def test_staff_read_but_may_not_change(client, org, power):
    client.force_login(org.staff)
    urls = pages(org, power)
    for url in urls["read"]:
        assert client.get(url).status_code == 200, url
    for url in urls["edit_get"] + urls["watch"]:
        assert client.get(url).status_code == 403, url
    for url in urls["edit_post"] + urls["administer_post"]:
        assert client.post(url).status_code == 403, url
    page = client.get(urls["read"][0]).content.decode()
    assert "新增职权" not in page and "提交审核" not in page


def approve(catalogue):
    """Approved once (what opens it to the rest of the unit)."""
    catalogue.status = Catalogue.Status.APPROVED
    catalogue.approved_at = timezone.now()
    catalogue.save(update_fields=["status", "approved_at"])
    CatalogueRevision.objects.create(
        catalogue=catalogue,
        number=catalogue.revision,
        approved_at=catalogue.approved_at,
        snapshot=services.snapshot(catalogue),
    )


def test_a_head_edits_only_their_own_section(client, org, power):
    urls = pages(org, power)
    approve(power.catalogue)
    client.force_login(org.other_head)
    for url in urls["read"]:
        assert client.get(url).status_code == 200, url
    for url in urls["edit_get"]:
        assert client.get(url).status_code == 403, url
    own = reverse("powers:power_create", args=[org.campaign.pk, org.other.pk])
    assert client.get(own).status_code == 200

    client.force_login(org.head)
    Catalogue.objects.filter(pk=power.catalogue_id).update(status=Catalogue.Status.DRAFT)
    for url in urls["edit_get"]:
        assert client.get(url).status_code == 200, url
    assert "新增职权" in client.get(urls["read"][0]).content.decode()
    # A section head who is not a watcher does not see the unit-wide pages.
    for url in urls["watch"]:
        assert client.get(url).status_code == 403, url


def test_the_office_edits_every_section_and_watchers_read_the_unit(client, org, power):
    urls = pages(org, power)
    client.force_login(org.office)
    for url in urls["edit_get"] + urls["watch"]:
        assert client.get(url).status_code == 200, url
    client.force_login(org.watcher)
    for url in urls["read"] + urls["watch"]:
        assert client.get(url).status_code == 200, url
    for url in urls["edit_get"]:
        assert client.get(url).status_code == 403, url
    assert client.post(urls["administer_post"][1]).status_code == 403


def test_a_draft_campaign_is_hidden_from_staff(client, org, power):
    Campaign.objects.filter(pk=org.campaign.pk).update(status=Campaign.Status.DRAFT)
    client.force_login(org.staff)
    assert client.get(pages(org, power)["read"][0]).status_code == 404
    client.force_login(org.office)
    assert client.get(pages(org, power)["read"][0]).status_code == 200


def test_a_section_of_another_unit_is_not_found(client, org):
    client.force_login(org.office)
    foreign = UserFactory().section
    url = reverse("powers:catalogue", args=[org.campaign.pk, foreign.pk])
    assert client.get(url).status_code == 404


def test_the_navigation_entry_leads_each_person_to_their_page(client, org):
    c = org.campaign.pk
    cases = [
        (org.office, reverse("powers:overview", args=[c])),
        (org.head, reverse("powers:catalogue", args=[c, org.section.pk])),
        (org.staff, reverse("powers:catalogue", args=[c, org.section.pk])),
        (org.watcher, reverse("powers:overview", args=[c])),
    ]
    for person, expected in cases:
        client.force_login(person)
        response = client.get(reverse("powers:current"))
        assert response.status_code == 302 and response["Location"] == expected, person
    client.force_login(org.outsider)
    response = client.get(reverse("powers:current"))
    assert response.status_code == 200
    assert "暂无进行中的防控活动" in response.content.decode()
    entries = [e for item in response.context["nav_items"] for e in item.get("children", [item])]
    assert any(entry["label"] == "职权目录" for entry in entries)


@pytest.fixture
def readers(org):
    return {
        "own_staff": org.staff,
        "other_head": org.other_head,
        "auditor": UserFactory(section=None, unit=org.unit, roles=[Role.AUDITOR]),
        "office": org.office,
        "discipline": org.watcher,
    }


def test_a_catalogue_being_compiled_is_its_sections_and_the_offices(client, org, power, readers):
    url = reverse("powers:power", args=[org.campaign.pk, power.pk])
    listing = reverse("powers:catalogue", args=[org.campaign.pk, org.section.pk])
    expected = {"own_staff": 200, "other_head": 404, "auditor": 404, "office": 200}
    expected["discipline"] = 200
    for name, status in expected.items():
        client.force_login(readers[name])
        assert client.get(url).status_code == status, name
        listed = client.get(listing).context["page"].object_list
        assert (power in listed) == (status == 200), name
    approve(power.catalogue)
    for name in expected:
        client.force_login(readers[name])
        assert client.get(url).status_code == 200, name


def test_an_unpublished_power_stays_inside_its_section_and_the_watchers(
    client, org, power, readers
):
    secret = PowerFactory(
        catalogue=power.catalogue,
        name="招商协议谈判",
        publicity=Power.Publicity.UNPUBLISHED,
        unpublished_reason="涉及投资方商业秘密",
        steps=1,
    )
    approve(power.catalogue)
    c = org.campaign.pk
    history = reverse("powers:catalogue_history", args=[c, org.section.pk])
    for name, status in {"own_staff": 200, "other_head": 404, "auditor": 200}.items():
        client.force_login(readers[name])
        assert client.get(reverse("powers:power", args=[c, secret.pk])).status_code == status
        svg = client.get(reverse("powers:flowchart_svg", args=[c, secret.pk]))
        assert svg.status_code == status, name
        first = "首次审定，共 2 项职权" if status == 200 else "首次审定，共 1 项职权"
        assert first in client.get(history).content.decode(), name
    client.force_login(readers["other_head"])
    listing = client.get(reverse("powers:catalogue", args=[c, org.section.pk]))
    assert list(listing.context["page"].object_list) == [power]


def test_the_comparison_offers_only_campaigns_the_reader_can_open(client, org, power):
    draft = CampaignFactory(unit=org.unit, year=org.campaign.year - 1, title="未启动的草稿活动")
    Campaign.objects.filter(pk=draft.pk).update(status=Campaign.Status.DRAFT)
    auditor = UserFactory(section=None, unit=org.unit, roles=[Role.AUDITOR])
    client.force_login(auditor)
    url = reverse("powers:compare", args=[org.campaign.pk])
    response = client.get(url, {"against": draft.pk})
    assert response.context["previous"] is None
    assert "未启动的草稿活动" not in response.content.decode()
