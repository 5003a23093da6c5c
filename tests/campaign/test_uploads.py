"""Attachments: type and size checks, and downloads only through the campaign."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign.models import StudyMaterial
from campaign.uploads import AttachmentField, validate_attachment
from tests.factories import CampaignFactory, MeetingFactory, StudyMaterialFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
DOCX = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    "name,content",
    [
        ("实施方案.pdf", PDF),
        ("职权目录.docx", DOCX),
        ("统计表.XLSX", DOCX),
        ("旧表格.xls", XLS),
        ("照片.png", PNG),
        ("照片.jpg", JPG),
        ("照片.jpeg", JPG),
        ("说明.txt", "会议纪要：同意实施方案。".encode()),
        ("说明.txt", "会议纪要：同意实施方案。".encode("gb18030")),
    ],
)
def test_allowed_files_pass(name, content):
    validate_attachment(upload(name, content))


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("程序.exe", EXE, "不支持的文件类型（.exe）"),
        ("没有扩展名", PDF, "不支持的文件类型。"),
        ("伪装.pdf", EXE, "文件内容与扩展名 .pdf 不符"),
        ("伪装.docx", PDF, "文件内容与扩展名 .docx 不符"),
        ("伪装.png", JPG, "文件内容与扩展名 .png 不符"),
        ("二进制.txt", b"abc\x00\x01\x02", "文件内容与扩展名 .txt 不符"),
        ("空的.pdf", b"", "文件是空的"),
    ],
)
def test_wrong_types_are_refused_in_chinese(name, content, message):
    with pytest.raises(ValidationError) as caught:
        validate_attachment(upload(name, content))
    assert message in caught.value.messages[0]


def test_size_limit_comes_from_settings(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    validate_attachment(upload("小.pdf", PDF + b"0" * 500))
    with pytest.raises(ValidationError) as caught:
        validate_attachment(upload("大.pdf", PDF + b"0" * 2000))
    assert caught.value.messages == ["文件过大（2 KB），单个附件不能超过 1 KB。"]


def test_the_field_offers_the_accepted_types():
    html = AttachmentField(required=False).widget.render("file", None)
    assert ".pdf" in html and ".docx" in html and "accept=" in html


def material_form(**extra):
    data = {"title": "学习材料", "description": "", "required": "on"}
    data.update(extra)
    return data


def test_a_wrong_upload_is_refused_in_the_form(client, campaign, office):
    client.force_login(office)
    url = reverse("campaign:material_create", args=[campaign.pk])
    response = client.post(url, material_form(title="保留标题", attachment=upload("病毒.exe", EXE)))
    assert response.status_code == 200
    errors = response.context["form"].errors["attachment"]
    assert errors[0].startswith("不支持的文件类型（.exe）")
    assert "保留标题" in response.content.decode()
    assert not StudyMaterial.objects.exists()


def test_a_too_large_upload_is_refused_in_the_form(client, campaign, office, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    client.force_login(office)
    url = reverse("campaign:material_create", args=[campaign.pk])
    response = client.post(url, material_form(attachment=upload("大文件.pdf", PDF + b"0" * 4096)))
    assert response.status_code == 200
    assert "文件过大" in response.context["form"].errors["attachment"][0]
    assert not StudyMaterial.objects.exists()


def test_download_keeps_the_original_name(client, campaign, office, staff):
    client.force_login(office)
    client.post(
        reverse("campaign:material_create", args=[campaign.pk]),
        material_form(attachment=upload("廉政准则（2026）.pdf", PDF)),
    )
    material = StudyMaterial.objects.get()
    assert material.file_name == "廉政准则（2026）.pdf"
    assert "廉政准则" not in material.file.name  # stored under a random name

    client.force_login(staff)
    response = client.get(reverse("campaign:file", args=[campaign.pk, "material", material.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_someone_elses_file_is_not_found(client, campaign, office, outsider):
    other = CampaignFactory(unit=outsider.unit, by=outsider)
    foreign = StudyMaterialFactory(
        campaign=other, file=upload("外单位.pdf", PDF), file_name="外单位.pdf"
    )
    mine = StudyMaterialFactory(
        campaign=campaign, file=upload("本单位.pdf", PDF), file_name="本单位.pdf"
    )
    client.force_login(office)
    # Another campaign's file through this campaign's address.
    assert (
        client.get(reverse("campaign:file", args=[campaign.pk, "material", foreign.pk])).status_code
        == 404
    )
    # Another unit's campaign altogether.
    assert (
        client.get(reverse("campaign:file", args=[other.pk, "material", foreign.pk])).status_code
        == 404
    )
    # A kind that does not exist, a meeting without minutes.
    assert (
        client.get(reverse("campaign:file", args=[campaign.pk, "secret", mine.pk])).status_code
        == 404
    )
    meeting = MeetingFactory(campaign=campaign)
    assert (
        client.get(reverse("campaign:file", args=[campaign.pk, "minutes", meeting.pk])).status_code
        == 404
    )
    # The outsider cannot fetch this unit's file either.
    client.force_login(outsider)
    assert (
        client.get(reverse("campaign:file", args=[campaign.pk, "material", mine.pk])).status_code
        == 404
    )
