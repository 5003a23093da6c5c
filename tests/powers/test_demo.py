"""The demo catalogues: realistic, in mixed states, and loaded idempotently."""

import datetime
from importlib.util import find_spec

import pytest

from accounts import demo as accounts_demo
from campaign.models import Review
from powers import demo
from powers.models import Catalogue, CatalogueRevision, Power, PowerCategory, PowerStep

pytestmark = pytest.mark.django_db


def load_all():
    context = {}
    accounts_demo.load(context)
    if find_spec("campaign.demo") is not None:
        from campaign import demo as campaign_demo

        campaign_demo.load(context)
    else:  # pragma: no cover - before the campaign app had its demo
        from campaign.services import create_campaign

        create_campaign(
            unit=context["unit"],
            by=context["people"]["bangongshi"],
            title=demo.CAMPAIGN_TITLE,
            year=2026,
            starts_on=datetime.date(2026, 3, 2),
        )
    demo.load(context)
    return context


def snapshot():
    return {
        "categories": list(PowerCategory.objects.values().order_by("pk")),
        "catalogues": list(Catalogue.objects.values().order_by("pk")),
        "revisions": list(CatalogueRevision.objects.values().order_by("pk")),
        "powers": list(Power.objects.values().order_by("pk")),
        "posts": sorted(Power.posts.through.objects.values_list("power_id", "post_id")),
        "steps": list(PowerStep.objects.values().order_by("pk")),
        "reviews": list(Review.objects.values().order_by("pk")),
    }


def test_loading_twice_changes_nothing():
    load_all()
    first = snapshot()
    load_all()
    assert snapshot() == first


def test_every_section_has_a_realistic_catalogue_in_mixed_states():
    context = load_all()
    catalogues = {c.section.code: c for c in Catalogue.objects.select_related("section")}
    assert set(catalogues) == {"BGS", "ZS1", "ZS2", "XMFW", "JHCW", "FWZX"}
    for code, catalogue in catalogues.items():
        assert 4 <= catalogue.powers.count() <= 7, code
        flowcharts = [p.steps.count() for p in catalogue.powers.all() if p.steps.exists()]
        assert flowcharts and all(4 <= n <= 9 for n in flowcharts), code
        assert PowerStep.objects.filter(power__catalogue=catalogue, is_risk=True).exists(), code
    status = {code: c.status for code, c in catalogues.items()}
    assert list(status.values()).count(Catalogue.Status.APPROVED) >= 3
    assert status["ZS1"] == Catalogue.Status.RETURNED
    assert status["FWZX"] == Catalogue.Status.IN_REVIEW
    assert status["XMFW"] == Catalogue.Status.DRAFT
    assert catalogues["XMFW"].revision == 2
    assert list(catalogues["JHCW"].revisions.values_list("number", flat=True)) == [1, 2]
    # Codes follow the section code, legal bases are filled in.
    assert not Power.objects.filter(legal_basis="").exists()
    assert all(
        p.code.startswith(p.section.code + "-") for p in Power.objects.select_related("section")
    )
    assert (
        Power.objects.filter(publicity=Power.Publicity.UNPUBLISHED)
        .exclude(unpublished_reason="")
        .exists()
    )
    assert context["catalogues"]["BGS"].status == Catalogue.Status.APPROVED


def test_no_campaign_no_catalogues():
    context = {}
    accounts_demo.load(context)
    demo.load(context)
    assert not Catalogue.objects.exists()
