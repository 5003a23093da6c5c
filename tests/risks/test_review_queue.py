"""The queue of filing steps waiting for a person."""

import pytest
from django.urls import reverse

from risks import services
from risks.models import Filing
from tests.factories import UserFactory
from tests.risks.filing_helpers import make_point


def queue(client, person):
    client.force_login(person)
    response = client.get(reverse("risks:reviews"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_queue_lists_what_waits_for_me(risk_org, client):
    filing = risk_org["filing"]
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    services.submit_filing(filing.pk, risk_org["staff"])
    html = queue(client, risk_org["head"])
    assert filing.review_title() in html
    assert "第 1/2 步：科室负责人" in html
    assert reverse("risks:review", args=[filing.pk]) in html
    # Nobody else has it waiting.
    for who in ("staff", "supervisor", "office", "outsider"):
        assert "没有等待您审核的登记表" in queue(client, risk_org[who])


def test_the_final_step_is_marked(risk_org, client):
    leader = risk_org["supervisor"]
    filing = Filing.objects.get(campaign=risk_org["campaign"], owner=leader)
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    services.submit_filing(filing.pk, leader)
    html = queue(client, risk_org["committee"])
    assert "第 1/1 步：党委（党组）" in html and "评定等级" in html


@pytest.mark.parametrize("count", [1, 12])
def test_the_queue_runs_a_fixed_number_of_queries(
    risk_org, client, count, django_assert_max_num_queries
):
    section = risk_org["section"]
    for number in range(count):
        person = UserFactory(section=section, unit=section.unit)
        filing = Filing.objects.create(
            campaign=risk_org["campaign"],
            kind=Filing.Kind.PERSONAL,
            owner=person,
            section=section,
            rank=person.rank,
        )
        make_point(
            filing, risk_org["category"], risk_org["levels"][2], title=f"点{number}", measures=1
        )
        services.submit_filing(filing.pk, person)
    client.force_login(risk_org["head"])
    client.get(reverse("risks:reviews"))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("risks:reviews"))
    assert response.content.decode().count('data-testid="review-link"') == count
