"""A power's page lists its risk points only from the filings the reader may
open: a colleague's draft or a form in review is the filer's and their
reviewers' (the power's page is open to everyone in the unit)."""

import pytest
from django.utils import timezone

from powers.models import CatalogueRevision
from risks.models import Filing
from tests.factories import CatalogueFactory, PowerFactory
from tests.risks.filing_helpers import make_point


@pytest.fixture
def power_points(risk_org):
    catalogue = CatalogueFactory(campaign=risk_org["campaign"], section=risk_org["section"])
    power = PowerFactory(catalogue=catalogue)
    # Approved once: the catalogue is open to the whole unit.
    CatalogueRevision.objects.create(
        catalogue=catalogue, number=1, approved_at=timezone.now(), snapshot=[]
    )
    level = risk_org["levels"][1]
    mine = make_point(
        risk_org["filing"], risk_org["category"], level, title="草稿中的风险点", power=power
    )
    colleague = Filing.objects.get(campaign=risk_org["campaign"], owner=risk_org["colleague"])
    colleague.status = Filing.Status.APPROVED
    colleague.save(update_fields=["status"])
    approved = make_point(
        colleague, risk_org["category"], level, title="已审定的风险点", power=power
    )
    return power, mine, approved


def page(client, person, power):
    client.force_login(person)
    response = client.get(power.get_absolute_url())
    assert response.status_code == 200
    return response


def titles(response):
    section = next(s for s in response.context["extra_sections"] if s["section"].key == "risks")
    return {point.title for point in section["context"]["points"]}, section["context"]["hidden"]


def test_a_colleague_sees_no_title_of_a_draft(client, risk_org, power_points):
    power, _mine, _approved = power_points
    response = page(client, risk_org["stranger"], power)
    assert titles(response) == (set(), 2)
    body = response.content.decode()
    assert "草稿中的风险点" not in body and "已审定的风险点" not in body
    assert "另有 2 个风险点在您无权查看的登记表中" in body


def test_the_filer_and_the_head_see_what_they_may_open(client, risk_org, power_points):
    power, _mine, _approved = power_points
    assert titles(page(client, risk_org["staff"], power)) == ({"草稿中的风险点"}, 1)
    both = {"草稿中的风险点", "已审定的风险点"}
    assert titles(page(client, risk_org["head"], power)) == (both, 0)
    assert titles(page(client, risk_org["office"], power)) == (both, 0)


def test_auditors_see_approved_points_only(client, risk_org, power_points):
    power, _mine, _approved = power_points
    response = page(client, risk_org["auditor"], power)
    assert titles(response) == ({"已审定的风险点"}, 1)
    assert "草稿中的风险点" not in response.content.decode()


def test_the_page_runs_a_fixed_number_of_queries(
    client, risk_org, power_points, django_assert_max_num_queries
):
    power, _mine, _approved = power_points
    client.force_login(risk_org["head"])
    with django_assert_max_num_queries(30):
        client.get(power.get_absolute_url())
