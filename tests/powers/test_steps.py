"""Flowchart steps edited inline: add, remove, reorder; positions renumbered."""

import pytest
from django.urls import reverse

from powers.models import Power
from tests.factories import CatalogueFactory, PostFactory, PowerFactory, PowerStepFactory

from .helpers import power_data

pytestmark = pytest.mark.django_db


def names(power):
    return list(power.steps.order_by("position").values_list("position", "name"))


@pytest.fixture
def power(org):
    catalogue = CatalogueFactory(campaign=org.campaign, section=org.section)
    power = PowerFactory(catalogue=catalogue, code="ZS1-001")
    for position, name in enumerate(["受理", "审查", "审批", "办结"], start=1):
        PowerStepFactory(power=power, position=position, name=name)
    return power


def existing_rows(power, order=None, delete=()):
    """The formset rows of the power's steps, with new ORDER values by name."""
    rows = []
    for step in power.steps.order_by("position"):
        rows.append(
            {
                "id": step.pk,
                "name": step.name,
                "responsible": step.responsible,
                "time_limit": step.time_limit,
                "ORDER": (order or {}).get(step.name, step.position),
                "DELETE": step.name in delete,
            }
        )
    return rows


def save(client, org, power, rows):
    url = reverse("powers:power_edit", args=[org.campaign.pk, power.pk])
    data = power_data(org, steps=rows, initial=power.steps.count(), code=power.code)
    return client.post(url, data)


def test_create_a_power_with_its_steps_in_the_posted_order(client, org):
    client.force_login(org.head)
    url = reverse("powers:power_create", args=[org.campaign.pk, org.section.pk])
    steps = [
        {"name": "审核", "post": org.chief.pk, "ORDER": 2, "is_risk": True},
        {"name": "受理", "post": org.clerk.pk, "ORDER": 1, "time_limit": "1个工作日"},
        {"name": "办结", "responsible": "经办人", "ORDER": 3},
    ]
    response = client.post(url, power_data(org, steps=steps))
    assert response.status_code == 302
    power = Power.objects.get()
    assert names(power) == [(1, "受理"), (2, "审核"), (3, "办结")]
    assert power.steps.get(name="审核").is_risk
    assert power.steps.get(name="受理").post == org.clerk


def test_reorder(client, org, power):
    client.force_login(org.head)
    response = save(
        client, org, power, existing_rows(power, order={"受理": 2, "审查": 1, "审批": 4, "办结": 3})
    )
    assert response.status_code == 302
    assert names(power) == [(1, "审查"), (2, "受理"), (3, "办结"), (4, "审批")]


def test_add_and_remove_renumbers_without_gaps(client, org, power):
    client.force_login(org.head)
    rows = existing_rows(power, order={"受理": 1, "审查": 2, "审批": 4, "办结": 5}, delete={"审查"})
    rows.append({"name": "集体研究", "responsible": "主任办公会", "ORDER": 3})
    response = save(client, org, power, rows)
    assert response.status_code == 302
    assert names(power) == [(1, "受理"), (2, "集体研究"), (3, "审批"), (4, "办结")]


def test_a_blank_added_row_is_ignored_and_a_half_filled_one_refused(client, org, power):
    client.force_login(org.head)
    rows = existing_rows(power) + [{"ORDER": 5}]
    assert save(client, org, power, rows).status_code == 302
    assert power.steps.count() == 4

    rows = existing_rows(power) + [{"name": "无人负责的环节", "ORDER": 5}]
    response = save(client, org, power, rows)
    assert response.status_code == 200
    errors = response.context["steps"].forms[4].errors
    assert errors["post"] == ["请选择责任岗位，或填写责任主体。"]
    assert power.steps.count() == 4


def test_a_step_may_be_done_by_a_post_of_another_section_but_not_another_unit(client, org, power):
    client.force_login(org.head)
    theirs = PostFactory(section=org.other, name="会计")
    foreign = PostFactory(name="外单位岗位")
    rows = existing_rows(power) + [{"name": "拨付", "post": theirs.pk, "ORDER": 5}]
    assert save(client, org, power, rows).status_code == 302
    assert power.steps.get(name="拨付").actor_label(power.section_id) == "招商二科·会计"

    rows = existing_rows(power) + [{"name": "越权", "post": foreign.pk, "ORDER": 6}]
    response = save(client, org, power, rows)
    assert response.status_code == 200
    assert "post" in response.context["steps"].forms[-1].errors


def test_the_edit_page_has_the_formset_machinery(client, org, power):
    client.force_login(org.head)
    response = client.get(reverse("powers:power_edit", args=[org.campaign.pk, power.pk]))
    html = response.content.decode()
    assert 'data-formset-prefix="steps"' in html
    assert "data-formset-template" in html and "steps-__prefix__-name" in html
    assert html.count('data-formset-move="up"') == 5  # four rows and the template
    assert "vendor/sortable/Sortable.min.js" in html and "js/formset.js" in html
