"""Mobilisation: meetings, study materials, "我已学习", participation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import home
from campaign.models import Meeting, StudyConfirmation, StudyMaterial
from campaign.services import confirm_study
from tests.factories import SectionFactory, StudyMaterialFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def url(campaign):
    return reverse("campaign:mobilisation", args=[campaign.pk])


def test_the_office_registers_a_meeting_with_minutes(client, campaign, office, staff):
    client.force_login(office)
    response = client.post(
        reverse("campaign:meeting_create", args=[campaign.pk]),
        {
            "held_on": "2026-03-09",
            "topic": "全体干部职工动员大会",
            "place": "一楼报告厅",
            "attendees": [str(office.pk), str(staff.pk)],
            "notes": "党组书记作动员讲话。",
            "attachment": SimpleUploadedFile("动员大会纪要.pdf", PDF),
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert set(meeting.attendees.all()) == {office, staff}
    assert meeting.minutes_name == "动员大会纪要.pdf"
    assert meeting.created_by == office
    assert campaign.history.filter(action="meeting.saved").exists()

    client.force_login(staff)
    html = client.get(url(campaign)).content.decode()
    assert "全体干部职工动员大会" in html
    assert "参会 2 人" in html
    download = reverse("campaign:file", args=[campaign.pk, "minutes", meeting.pk])
    assert download in html
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_editing_a_meeting_replaces_or_removes_the_minutes(client, campaign, office):
    client.force_login(office)
    create = reverse("campaign:meeting_create", args=[campaign.pk])
    base = {"held_on": "2026-03-09", "topic": "领导小组会议", "place": "", "notes": ""}
    client.post(create, {**base, "attachment": SimpleUploadedFile("旧.pdf", PDF)})
    meeting = Meeting.objects.get()
    edit = reverse("campaign:meeting_edit", args=[campaign.pk, meeting.pk])
    assert "已上传：旧.pdf" in client.get(edit).content.decode()
    client.post(edit, {**base, "attachment": SimpleUploadedFile("新.pdf", PDF)})
    meeting.refresh_from_db()
    assert meeting.minutes_name == "新.pdf"
    client.post(edit, {**base, "remove_attachment": "on"})
    meeting.refresh_from_db()
    assert not meeting.minutes and meeting.minutes_name == ""
    client.post(reverse("campaign:meeting_delete", args=[campaign.pk, meeting.pk]))
    assert not Meeting.objects.exists()


def test_attendees_come_from_the_unit(client, campaign, office, outsider):
    client.force_login(office)
    response = client.post(
        reverse("campaign:meeting_create", args=[campaign.pk]),
        {"held_on": "2026-03-09", "topic": "会议", "attendees": [str(outsider.pk)]},
    )
    assert response.status_code == 200
    assert "attendees" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_staff_confirm_their_study(client, campaign, office, staff):
    client.force_login(office)
    client.post(
        reverse("campaign:material_create", args=[campaign.pk]),
        {"title": "实施方案", "description": "请阅读全文。", "required": "on"},
    )
    material = StudyMaterial.objects.get()
    assert any(item.title == "学习：实施方案" for item in home.work_for(staff))

    client.force_login(staff)
    html = client.get(url(campaign)).content.decode()
    assert "我已学习" in html
    confirm = reverse("campaign:confirm_study", args=[campaign.pk, material.pk])
    response = client.post(confirm)
    assert response["Location"].endswith(f"#material-{material.pk}")
    client.post(confirm)  # twice is once
    assert StudyConfirmation.objects.filter(material=material, person=staff).count() == 1
    html = client.get(url(campaign)).content.decode()
    assert 'data-testid="studied"' in html
    assert not any(item.title == "学习：实施方案" for item in home.work_for(staff))
    assert client.get(confirm).status_code == 405


def test_participation_is_shown_to_watchers_only(client, campaign, office, staff, watcher):
    section = staff.section
    colleague = UserFactory(section=section)
    other = SectionFactory(unit=campaign.unit)
    UserFactory(section=other)
    required = StudyMaterialFactory(campaign=campaign, required=True)
    second = StudyMaterialFactory(campaign=campaign, required=True)
    optional = StudyMaterialFactory(campaign=campaign, required=False)
    for material in (required, second):
        confirm_study(material, staff)
    confirm_study(required, colleague)  # one of two required: not finished
    confirm_study(optional, colleague)

    client.force_login(staff)
    response = client.get(url(campaign))
    assert "participation" not in response.context
    assert 'data-testid="participation"' not in response.content.decode()

    for person in (office, watcher):
        client.force_login(person)
        response = client.get(url(campaign))
        rows = {row["section"]: row for row in response.context["participation"]}
        assert (rows[section]["total"], rows[section]["confirmed"]) == (2, 1)
        assert rows[section]["rate"] == 0.5
        assert rows[other]["rate"] == 0
        assert "50%" in response.content.decode()


def test_only_the_office_adds_meetings_and_materials(client, campaign, staff, watcher, outsider):
    pages = [
        reverse("campaign:meeting_create", args=[campaign.pk]),
        reverse("campaign:material_create", args=[campaign.pk]),
    ]
    for person, status in ((staff, 403), (watcher, 403), (outsider, 404)):
        client.force_login(person)
        for page in pages:
            assert client.get(page).status_code == status
            assert client.post(page, {"title": "x", "topic": "x"}).status_code == status
    assert not Meeting.objects.exists() and not StudyMaterial.objects.exists()
    client.force_login(outsider)
    assert client.get(url(campaign)).status_code == 404
