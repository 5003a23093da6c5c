"""Submitting a filing through its pages: the pledge is shown and signed
(time and address recorded), a section filing needs its meeting date, and
what is still missing is listed."""

from datetime import date

import pytest
from django.urls import reverse

from campaign.models import ReviewStep
from risks import services
from risks.models import Filing
from tests.risks.filing_helpers import form_values, make_point


def submit_url(filing):
    return reverse("risks:filing_submit", args=[filing.pk])


def test_the_page_shows_the_pledge_and_its_addressee(risk_org, client):
    filing = risk_org["filing"]
    make_point(filing, risk_org["category"], risk_org["levels"][2], title="审批时收受好处")
    client.force_login(risk_org["staff"])
    response = client.get(submit_url(filing))
    assert response.status_code == 200
    html = response.content.decode()
    assert "本人郑重承诺" in html
    assert "承诺重点防控以下风险点：审批时收受好处" in html
    assert f"科室负责人{risk_org['head']}" in html
    assert "我已阅读并承诺" in html
    assert "本人提交 → 科室负责人 → 领导小组" in html


def test_signing_records_the_time_and_address_and_starts_the_review(risk_org, client):
    filing = risk_org["filing"]
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    client.force_login(risk_org["staff"])
    # Without ticking "我已阅读并承诺" nothing happens.
    response = client.post(submit_url(filing), {}, REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 200
    assert "请阅读承诺内容并勾选" in response.content.decode()
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.DRAFT

    response = client.post(submit_url(filing), {"agree": "on"}, REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 302 and response.url == filing.get_absolute_url()
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED
    assert filing.pledge_ip == "10.20.30.40"
    assert filing.pledge_signed_at is not None
    assert filing.pledge_addressee == f"科室负责人{risk_org['head']}"
    step = services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)
    assert step.get_role_display() == "科室负责人"
    # The filing page shows the signed pledge; the form is closed now.
    page = client.get(filing.get_absolute_url()).content.decode()
    assert "本人郑重承诺" in page and "签署时间" in page
    assert client.get(reverse("risks:filing_edit", args=[filing.pk])).status_code == 403
    assert client.get(submit_url(filing)).status_code == 403


def test_what_is_missing_is_listed(risk_org, client):
    filing = risk_org["filing"]
    make_point(filing, risk_org["category"], None, title="没有自评等级", measures=0)
    client.force_login(risk_org["staff"])
    html = client.get(submit_url(filing)).content.decode()
    assert "还没有自评等级" in html and "还没有防控措施" in html
    response = client.post(submit_url(filing), {"agree": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    problems = html[html.index('data-testid="submit-problems"') :][:800]
    assert "还没有自评等级" in problems and "还没有防控措施" in problems
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.DRAFT


@pytest.fixture
def section_filing(risk_org):
    filing = Filing.objects.get(
        campaign=risk_org["campaign"], kind=Filing.Kind.SECTION, section=risk_org["section"]
    )
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    return filing


def test_a_section_filing_needs_the_meeting_date(risk_org, client, section_filing):
    client.force_login(risk_org["head"])
    html = client.get(submit_url(section_filing)).content.decode()
    assert "科室集体研究日期" in html
    assert f"分管领导{risk_org['supervisor']}" in html
    response = client.post(submit_url(section_filing), {"agree": "on"})
    assert response.status_code == 200
    assert "请填写科室集体研究本登记表的日期" in response.content.decode()
    response = client.post(
        submit_url(section_filing), {"agree": "on", "section_meeting_on": "2026-05-20"}
    )
    assert response.status_code == 302
    section_filing.refresh_from_db()
    assert section_filing.section_meeting_on == date(2026, 5, 20)
    assert section_filing.status == Filing.Status.SUBMITTED


def test_only_the_filer_submits(risk_org, client, section_filing):
    filing = risk_org["filing"]
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    client.force_login(risk_org["head"])  # sees the personal filing, may not sign it
    assert client.get(submit_url(filing)).status_code == 403
    assert client.post(submit_url(filing), {"agree": "on"}).status_code == 403
    client.force_login(risk_org["colleague"])
    assert client.get(submit_url(filing)).status_code == 404
    client.force_login(risk_org["staff"])  # may not sign the section's pledge
    assert client.get(submit_url(section_filing)).status_code == 404
    client.force_login(risk_org["outsider"])
    assert client.post(submit_url(section_filing), {"agree": "on"}).status_code == 404
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.DRAFT


# A filing saved after the submission page was opened (F13) ----------------------


def test_a_stale_submission_page_is_refused_and_shown_afresh(risk_org, client):
    filing, staff = risk_org["filing"], risk_org["staff"]
    make_point(filing, risk_org["category"], risk_org["levels"][2], title="审批时收受好处")
    client.force_login(staff)
    data = form_values(client.get(submit_url(filing)), "submit-form")
    assert data["version"] == str(filing.version)

    # Saved in another tab meanwhile: a point the pledge on the page does not quote.
    def write(f):
        make_point(f, risk_org["category"], risk_org["levels"][1], title="采购中指定供应商")

    services.save_draft(filing.pk, staff, expected_version=filing.version, write=write)

    response = client.post(submit_url(filing), {**data, "agree": "on"}, follow=True)
    assert response.redirect_chain == [(submit_url(filing), 302)]
    page = response.content.decode()
    assert "提交失败" in page and "修改过这份登记表" in page
    assert "采购中指定供应商" in page  # the pledge now quotes it
    filing.refresh_from_db()
    assert filing.status == Filing.Status.DRAFT and filing.pledge_signed_at is None

    data = form_values(response, "submit-form")
    response = client.post(submit_url(filing), {**data, "agree": "on"})
    assert response.status_code == 302 and response.url == filing.get_absolute_url()
    filing.refresh_from_db()
    assert filing.status == Filing.Status.SUBMITTED
    assert "采购中指定供应商" in filing.pledge_text


def test_submit_filing_refuses_a_stale_version(risk_org):
    filing, staff = risk_org["filing"], risk_org["staff"]
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    services.save_draft(filing.pk, staff, expected_version=0, write=lambda f: None)
    with pytest.raises(services.StaleSubmit, match="修改过"):
        services.submit_filing(filing.pk, staff, expected_version=0)
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.DRAFT
    services.submit_filing(filing.pk, staff, expected_version=1)
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED
