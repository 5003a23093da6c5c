"""What powers adds to the frame: home work items, open work of the stage,
the dashboard panel, the extension points for the risks app."""

import pytest
from django.urls import reverse

from accounts.home import work_for
from campaign import progress
from campaign.models import Stage
from powers import extensions, services
from powers.models import Catalogue
from tests.factories import CatalogueFactory, PowerFactory

pytestmark = pytest.mark.django_db


def powers_stage(org):
    return org.campaign.stages.get(kind=Stage.Kind.POWERS)


def test_home_tells_a_head_to_compile_their_catalogue(org):
    assert not [w for w in work_for(org.head) if w.kind == "职权目录"]  # stage not started
    Stage.objects.filter(pk=powers_stage(org).pk).update(status=Stage.Status.ACTIVE)
    (item,) = [w for w in work_for(org.head) if w.kind == "职权目录"]
    assert item.title == "编制并提交招商一科职权目录"
    assert item.url == reverse("powers:catalogue", args=[org.campaign.pk, org.section.pk])
    assert item.due == powers_stage(org).due_on
    assert not [w for w in work_for(org.staff) if w.kind == "职权目录"]


def test_home_flags_a_returned_catalogue_and_drops_a_submitted_one(org):
    catalogue = CatalogueFactory(campaign=org.campaign, section=org.section)
    PowerFactory(catalogue=catalogue)
    Catalogue.objects.filter(pk=catalogue.pk).update(status=Catalogue.Status.RETURNED)
    (item,) = [w for w in work_for(org.head) if w.kind == "职权目录"]
    assert item.urgent and "被退回" in item.title
    Catalogue.objects.filter(pk=catalogue.pk).update(status=Catalogue.Status.DRAFT)
    catalogue.refresh_from_db()
    services.submit_catalogue(catalogue, org.head)
    assert not [w for w in work_for(org.head) if w.kind == "职权目录"]


def test_open_work_of_the_powers_stage(org):
    stage = powers_stage(org)
    (line,) = [w for w in progress.open_work(stage) if "职权目录" in w.label]
    sections = org.unit.sections.filter(is_active=True).count()
    assert line.count == sections
    catalogue = CatalogueFactory(campaign=org.campaign, section=org.section)
    Catalogue.objects.filter(pk=catalogue.pk).update(status=Catalogue.Status.APPROVED)
    (line,) = [w for w in progress.open_work(stage) if "职权目录" in w.label]
    assert line.count == sections - 1
    assert line.url == reverse("powers:overview", args=[org.campaign.pk])


def test_the_dashboard_panel_is_registered(org):
    from campaign.dashboard import panels_for

    panel = next(p for p in panels_for(org.campaign, org.office) if p["panel"].key == "powers")
    assert panel["panel"].title == "职权目录"
    assert panel["panel"].template == "powers/panels/dashboard.html"
    statuses = {value: n for _label, n, value in panel["context"]["statuses"]}
    assert statuses["none"] == org.unit.sections.count()


def test_a_registered_power_page_section_is_shown(client, org, settings, tmp_path):
    (tmp_path / "extra.html").write_text("<p>附加内容：{{ data.note }}</p>")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]
    power = PowerFactory(catalogue=CatalogueFactory(campaign=org.campaign, section=org.section))
    extensions.register_power_page_section(
        extensions.PowerPageSection(
            key="test-extra",
            title="附加栏目",
            template="extra.html",
            context=lambda power, user: {"note": power.code},
        )
    )
    try:
        client.force_login(org.staff)
        page = client.get(power.get_absolute_url()).content.decode()
        assert "附加栏目" in page and f"附加内容：{power.code}" in page
    finally:
        extensions.power_page_sections.pop("test-extra")


def test_a_custom_risk_counter_is_used_for_coverage(client, org):
    from django.db.models import IntegerField, Value

    PowerFactory(catalogue=CatalogueFactory(campaign=org.campaign, section=org.section))
    extensions.set_risk_counter(lambda: Value(4, output_field=IntegerField()))
    try:
        client.force_login(org.office)
        response = client.get(reverse("powers:catalogue", args=[org.campaign.pk, org.section.pk]))
        assert [p.risk_count for p in response.context["page"]] == [4]
        response = client.get(reverse("powers:overview", args=[org.campaign.pk]))
        assert response.context["data"].total_without_risks == 0
    finally:
        extensions.set_risk_counter(None)
