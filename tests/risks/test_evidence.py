"""Evidence on measures: type and size checks in Chinese, downloads only
through the permission-checked view, uploads by the filer and the measure's
owner (who reaches their measure without seeing the filing) — also after
approval, never in a closed campaign."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign import approvals
from campaign.models import Campaign, CampaignClosed, ReviewStep
from risks import services
from risks import uploads as services_uploads
from risks.models import Evidence
from tests.risks.filing_helpers import make_point

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def measure(risk_org):
    point = make_point(risk_org["filing"], risk_org["category"], risk_org["levels"][2])
    return point.measures.get()


def upload(client, measure, name="落实记录.pdf", content=PDF, content_type="application/pdf"):
    return client.post(
        reverse("risks:evidence_upload", args=[measure.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
        follow=True,
    )


def messages(response):
    return [str(m) for m in response.context["messages"]]


def test_the_filer_uploads_and_a_permitted_person_downloads(risk_org, client, measure):
    client.force_login(risk_org["staff"])
    response = upload(client, measure)
    assert "已上传佐证材料“落实记录.pdf”。" in messages(response)
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.size, evidence.uploaded_by) == (
        "落实记录.pdf",
        len(PDF),
        risk_org["staff"],
    )
    assert not evidence.file.name.endswith("落实记录.pdf")  # stored under a random name
    page = client.get(risk_org["filing"].get_absolute_url()).content.decode()
    assert "落实记录.pdf" in page and reverse("risks:evidence", args=[evidence.pk]) in page

    client.force_login(risk_org["head"])  # sees the filing
    response = client.get(reverse("risks:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''%E8%90%BD%E5%AE%9E" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("工具.exe", b"MZ\x90\x00", "不支持的文件类型（.exe）"),
        ("伪装.pdf", b"MZ\x90\x00not a pdf", "文件内容与扩展名 .pdf 不符"),
        ("截图.png", b"GIF89a", "文件内容与扩展名 .png 不符"),
    ],
)
def test_wrong_types_are_refused(risk_org, client, measure, name, content, message):
    client.force_login(risk_org["staff"])
    response = upload(client, measure, name, content)
    assert any(message in m and m.startswith("上传失败") for m in messages(response))
    assert not Evidence.objects.exists()


def test_too_large_is_refused(risk_org, client, measure, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(risk_org["staff"])
    response = upload(client, measure, "大图.png", PNG + b"\x00" * 2048, "image/png")
    assert any("文件过大" in m and "不能超过 1 KB" in m for m in messages(response))
    assert not Evidence.objects.exists()


def test_someone_elses_evidence_is_a_404(risk_org, client, measure):
    client.force_login(risk_org["staff"])
    upload(client, measure)
    evidence = Evidence.objects.get()
    for who in ("colleague", "stranger", "outsider"):
        client.force_login(risk_org[who])
        assert client.get(reverse("risks:evidence", args=[evidence.pk])).status_code == 404
        assert client.post(reverse("risks:evidence_delete", args=[evidence.pk])).status_code == 404
        response = client.post(
            reverse("risks:evidence_upload", args=[measure.pk]),
            {"file": SimpleUploadedFile("x.pdf", PDF)},
        )
        assert response.status_code == 404
    assert Evidence.objects.count() == 1


def test_those_who_see_but_do_not_own_may_not_upload(risk_org, client, measure):
    client.force_login(risk_org["head"])
    response = client.post(
        reverse("risks:evidence_upload", args=[measure.pk]),
        {"file": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert response.status_code == 403
    # … unless the measure is theirs.
    measure.owner = risk_org["head"]
    measure.save()
    upload(client, measure)
    assert Evidence.objects.filter(uploaded_by=risk_org["head"]).exists()


def test_evidence_is_added_after_approval_but_not_in_a_closed_campaign(risk_org, client, measure):
    filing = risk_org["filing"]
    services.submit_filing(filing.pk, risk_org["staff"])
    for _ in range(2):
        step = services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)
        approvals.approve(step.pk, step.assignees.first())
    filing.refresh_from_db()
    assert filing.status == "approved"
    client.force_login(risk_org["staff"])
    upload(client, measure)
    assert Evidence.objects.count() == 1
    page = client.get(filing.get_absolute_url()).content.decode()
    assert f'action="{reverse("risks:evidence_upload", args=[measure.pk])}"' in page

    campaign = risk_org["campaign"]
    campaign.status = campaign.Status.CLOSED
    campaign.save()
    response = client.post(
        reverse("risks:evidence_upload", args=[measure.pk]),
        {"file": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert response.status_code == 403
    evidence = Evidence.objects.get()
    assert client.post(reverse("risks:evidence_delete", args=[evidence.pk])).status_code == 403
    assert client.get(reverse("risks:evidence", args=[evidence.pk])).status_code == 200
    page = client.get(filing.get_absolute_url()).content.decode()
    assert "evidence-form" not in page


def test_the_uploader_deletes(risk_org, client, measure, django_capture_on_commit_callbacks):
    client.force_login(risk_org["staff"])
    upload(client, measure)
    evidence = Evidence.objects.get()
    stored, storage = evidence.file.name, evidence.file.storage
    assert storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("risks:evidence_delete", args=[evidence.pk]), follow=True)
    assert "已删除佐证材料。" in messages(response)
    assert not Evidence.objects.exists()
    assert not storage.exists(stored)


# A measure's owner who is not the filer (F6) ----------------------------------


@pytest.fixture
def colleagues_measure(risk_org, measure):
    """The staff member's measure, owned by a colleague who does not see the filing."""
    measure.owner = risk_org["colleague"]
    measure.save()
    return measure


def test_the_measures_owner_uploads_views_and_deletes_without_seeing_the_filing(
    risk_org, client, colleagues_measure
):
    measure, colleague = colleagues_measure, risk_org["colleague"]
    client.force_login(colleague)
    # The filing itself stays closed to them …
    assert client.get(risk_org["filing"].get_absolute_url()).status_code == 404
    # … but the measure's evidence page opens, with the upload form.
    page = client.get(reverse("risks:measure_evidence", args=[measure.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert measure.text in html and 'data-testid="upload"' in html
    assert risk_org["filing"].get_absolute_url() not in html  # no link they cannot follow
    # Uploading stays POST-only.
    assert client.get(reverse("risks:evidence_upload", args=[measure.pk])).status_code == 405

    response = upload(client, measure, "整改台账.pdf")
    assert response.redirect_chain[-1][0] == reverse("risks:measure_evidence", args=[measure.pk])
    assert "已上传佐证材料“整改台账.pdf”。" in messages(response)
    evidence = Evidence.objects.get()
    assert evidence.uploaded_by == colleague
    assert "整改台账.pdf" in response.content.decode()

    download = client.get(reverse("risks:evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    response = client.post(reverse("risks:evidence_delete", args=[evidence.pk]), follow=True)
    assert "已删除佐证材料。" in messages(response)
    assert not Evidence.objects.exists()


def test_the_filer_and_the_office_still_reach_a_colleagues_measure(
    risk_org, client, colleagues_measure
):
    measure = colleagues_measure
    client.force_login(risk_org["staff"])  # the filer may edit the filing: uploads
    response = upload(client, measure)
    assert response.redirect_chain[-1][0].endswith(f"#measure-{measure.pk}")
    evidence = Evidence.objects.get()
    client.force_login(risk_org["office"])  # sees every filing: reads, does not upload
    assert client.get(reverse("risks:measure_evidence", args=[measure.pk])).status_code == 200
    assert client.get(reverse("risks:evidence", args=[evidence.pk])).status_code == 200
    response = client.post(
        reverse("risks:evidence_upload", args=[measure.pk]),
        {"file": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert response.status_code == 403


def test_others_still_do_not_reach_a_colleagues_measure(risk_org, client, colleagues_measure):
    measure = colleagues_measure
    client.force_login(risk_org["colleague"])
    upload(client, measure)
    evidence = Evidence.objects.get()
    for who in ("stranger", "outsider", "auditor"):
        client.force_login(risk_org[who])
        assert client.get(reverse("risks:measure_evidence", args=[measure.pk])).status_code == 404
        response = client.post(
            reverse("risks:evidence_upload", args=[measure.pk]),
            {"file": SimpleUploadedFile("x.pdf", PDF)},
        )
        assert response.status_code == 404
        assert client.get(reverse("risks:evidence", args=[evidence.pk])).status_code == 404
        assert client.post(reverse("risks:evidence_delete", args=[evidence.pk])).status_code == 404
    # The head sees the filing: reads the evidence, may neither upload nor delete it.
    client.force_login(risk_org["head"])
    assert client.get(reverse("risks:evidence", args=[evidence.pk])).status_code == 200
    assert client.post(reverse("risks:evidence_delete", args=[evidence.pk])).status_code == 403
    assert Evidence.objects.count() == 1


def test_a_former_owner_loses_the_measure(risk_org, client, colleagues_measure):
    measure = colleagues_measure
    measure.owner = risk_org["staff"]
    measure.save()
    client.force_login(risk_org["colleague"])
    assert client.get(reverse("risks:measure_evidence", args=[measure.pk])).status_code == 404


def test_evidence_checks_the_campaign_as_stored_not_as_read(risk_org, measure):
    """F12: the campaign row is read again (locked) before adding evidence."""
    filing = risk_org["filing"]
    assert not filing.campaign.is_closed  # read while still open
    Campaign.objects.filter(pk=filing.campaign_id).update(status=Campaign.Status.CLOSED)
    with pytest.raises(CampaignClosed):
        services_uploads.add_evidence(
            filing, measure, SimpleUploadedFile("x.pdf", PDF), risk_org["staff"]
        )
    assert not Evidence.objects.exists()
