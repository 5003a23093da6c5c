"""The suggested grade next to the factors, live (htmx) while typing."""

from django.urls import reverse

from risks.models import Filing


def suggest_url(filing):
    return reverse("risks:suggest", args=[filing.pk])


def test_the_suggestion_follows_the_factors(risk_org, client):
    filing = risk_org["filing"]
    client.force_login(risk_org["staff"])
    response = client.get(
        suggest_url(filing),
        {
            "prefix": "points-3",
            "points-3-money": "3",
            "points-3-discretion": "3",
            "points-3-likelihood": "3",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    high = risk_org["levels"][1]
    assert f">{high.label}</span>" in html
    assert "资金流量高" in html and "自由裁量空间高" in html and "加权得分" in html
    assert "<html" not in html  # a fragment for htmx to swap in


def test_the_severity_floor_shows_in_the_reason(risk_org, client):
    client.force_login(risk_org["staff"])
    response = client.get(
        suggest_url(risk_org["filing"]),
        {"prefix": "points-0", "points-0-likelihood": "1", "points-0-accountability": "3"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "可能追究刑事责任" in html
    assert f">{risk_org['levels'][1].label}</span>" in html


def test_without_factors_it_says_what_to_do(risk_org, client):
    client.force_login(risk_org["staff"])
    response = client.get(
        suggest_url(risk_org["filing"]), {"prefix": "points-0"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "评定各项因素后自动给出建议等级" in response.content.decode()


def test_only_people_who_see_the_filing_ask(risk_org, client):
    filing = risk_org["filing"]
    client.force_login(risk_org["stranger"])
    assert client.get(suggest_url(filing), {"prefix": "p"}).status_code == 404
    client.force_login(risk_org["outsider"])
    assert client.get(suggest_url(filing), {"prefix": "p"}).status_code == 404
    unit = Filing.objects.get(campaign=risk_org["campaign"], kind=Filing.Kind.UNIT)
    client.force_login(risk_org["office"])
    assert client.get(suggest_url(unit), {"prefix": "p"}).status_code == 200
