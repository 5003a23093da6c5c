"""Every upload endpoint — meeting minutes, study materials, evidence on
measures, signal attachments (and the Excel imports) — refuses a wrong type
or a file too large with a Chinese message and stores nothing; what it does
store gets a random name, is never served from a path (MEDIA_ROOT has no
URL) and only ever leaves through a permission-checked view.
"""

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.views.static import serve

from campaign.models import Meeting, StudyMaterial
from earlywarnings.models import SignalAttachment
from risks.models import Evidence

from . import routes
from .world import PDF

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Endpoint:
    """How a person uploads one file somewhere, and where it ends up."""

    name: str
    who: str
    url: Any  # world -> url
    data: Any  # (world, upload) -> POST data
    model: Any  # what a stored file becomes
    field: str
    download: Any  # (world, stored object) -> url of the permission-checked view


def _meeting_data(w, upload):
    return {
        "held_on": "2026-03-12",
        "topic": "警示教育会",
        "place": "会议室",
        "notes": "",
        "attachment": upload,
    }


def _material_data(w, upload):
    return {"title": "学习材料", "description": "", "required": "on", "attachment": upload}


def _signal_data(w, upload):
    return {
        "source": "audit",
        "title": "审计线索",
        "description": "说明",
        "received_on": w.today.isoformat(),
        "target_kind": "person",
        "person": w.colleague.pk,
        "files": [upload],
    }


ENDPOINTS = [
    Endpoint(
        "meeting minutes",
        "office_head",
        lambda w: reverse("campaign:meeting_create", args=[w.campaign.pk]),
        _meeting_data,
        Meeting,
        "minutes",
        lambda w, obj: reverse("campaign:file", args=[w.campaign.pk, "minutes", obj.pk]),
    ),
    Endpoint(
        "study material",
        "office_head",
        lambda w: reverse("campaign:material_create", args=[w.campaign.pk]),
        _material_data,
        StudyMaterial,
        "file",
        lambda w, obj: reverse("campaign:file", args=[w.campaign.pk, "material", obj.pk]),
    ),
    Endpoint(
        "evidence",
        "staff",
        lambda w: reverse("risks:evidence_upload", args=[w.measure.pk]),
        lambda w, upload: {"file": upload},
        Evidence,
        "file",
        lambda w, obj: reverse("risks:evidence", args=[obj.pk]),
    ),
    Endpoint(
        "signal attachment",
        "office",
        lambda w: reverse("earlywarnings:signal_create"),
        _signal_data,
        SignalAttachment,
        "file",
        lambda w, obj: reverse("earlywarnings:signal_attachment", args=[obj.signal_id, obj.pk]),
    ),
]
IDS = [endpoint.name for endpoint in ENDPOINTS]


def _too_large():
    return PDF + b"0" * (settings.UPLOAD_MAX_BYTES + 1 - len(PDF))


# name, content, what the message says
WRONG = {
    "exe renamed pdf": ("报告.pdf", EXE, "文件内容与扩展名 .pdf 不符"),
    "html": ("页面.html", HTML, "不支持的文件类型（.html）"),
    "svg with script": ("图示.svg", SVG, "不支持的文件类型（.svg）"),
    "too large": ("大文件.pdf", None, "文件过大"),
}


def _client(world, who):
    client = Client()
    client.force_login(getattr(world, who))
    return client


def _stored_files(root):
    return {path for path in root.rglob("*") if path.is_file()}


def _refusals(response):
    """The Chinese messages a refused upload shows: form errors, or the
    messages carried to the page it redirects to."""
    found = []
    context = response.context or {}
    form = context.get("form") if hasattr(context, "get") else None
    if form is not None:
        found += [str(error) for errors in form.errors.values() for error in errors]
    found += [str(message) for message in get_messages(response.wsgi_request)]
    return found


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
@pytest.mark.parametrize("wrong", sorted(WRONG))
def test_wrong_files_are_refused_in_chinese_and_nothing_is_stored(
    world, security_media, endpoint, wrong
):
    name, content, message = WRONG[wrong]
    upload = SimpleUploadedFile(name, content if content is not None else _too_large())
    before_rows = endpoint.model.objects.count()
    before_files = _stored_files(security_media)
    response = _client(world, endpoint.who).post(endpoint.url(world), endpoint.data(world, upload))
    assert response.status_code in (200, 302), response.status_code
    refusals = _refusals(response)
    assert any(message in text for text in refusals), refusals
    assert all(CHINESE.search(text) for text in refusals)
    assert endpoint.model.objects.count() == before_rows
    assert _stored_files(security_media) == before_files


@pytest.mark.parametrize("wrong", ["exe renamed xlsx", "too large"])
def test_imports_refuse_wrong_files_in_chinese_and_keep_nothing(world, security_media, wrong):
    if wrong == "too large":
        content = b"PK\x03\x04" + b"0" * (settings.UPLOAD_MAX_BYTES + 1 - 4)
    else:
        content = EXE
    before = _stored_files(security_media)
    response = _client(world, "office_head").post(
        reverse("roster_import"), {"file": SimpleUploadedFile("名册.xlsx", content)}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and all(CHINESE.search(str(error)) for error in errors)
    if wrong == "too large":
        assert "文件过大" in errors[0]
    assert response.context["token"] is None
    assert _stored_files(security_media) == before


def _upload_one(world, endpoint, name="张三的机密材料.pdf"):
    client = _client(world, endpoint.who)
    before = set(endpoint.model.objects.values_list("pk", flat=True))
    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    response = client.post(endpoint.url(world), endpoint.data(world, upload))
    assert response.status_code == 302, _refusals(response)
    created = endpoint.model.objects.exclude(pk__in=before)
    assert created.count() == 1
    return created.get()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_stored_names_are_random(world, endpoint):
    first = getattr(_upload_one(world, endpoint), endpoint.field).name
    second = getattr(_upload_one(world, endpoint), endpoint.field).name
    for stored in (first, second):
        assert "张三" not in stored and "机密" not in stored
        # At least 128 random bits (32 hex digits) in the path.
        assert re.search(r"[0-9a-f]{32}", stored), stored
    assert first != second


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_files_leave_only_through_the_permission_checked_view(world, endpoint):
    obj = _upload_one(world, endpoint)
    stored = getattr(obj, endpoint.field).name
    assert (settings.MEDIA_ROOT / stored).is_file()
    download = endpoint.download(world, obj)

    allowed = _client(world, endpoint.who).get(download)
    assert allowed.status_code == 200
    assert allowed["Content-Disposition"].startswith("attachment;")
    assert allowed["X-Content-Type-Options"] == "nosniff"
    assert b"".join(allowed.streaming_content) == PDF

    # Another unit's office head (and discipline inspector): not found.
    assert _client(world, "outsider").get(download).status_code == 404
    # Signed out: to the sign-in page, not to the file.
    anonymous = Client().get(download)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")

    # No path serves the stored file: not under MEDIA_URL, /media/, nor the bare path.
    media_url = settings.MEDIA_URL or "/"
    guesses = {f"{media_url.rstrip('/')}/{stored}", f"/media/{stored}", f"/{stored}"}
    for person in (Client(), _client(world, endpoint.who), _client(world, "superuser")):
        for guess in guesses:
            response = person.get(guess)
            assert response.status_code in (404, 302), (guess, response.status_code)
            if response.status_code == 302:  # the sign-in page, for anonymous people
                assert response["Location"].startswith("/accounts/login/")


def test_media_root_has_no_url():
    """No route serves MEDIA_ROOT (django.views.static.serve or a media
    prefix), and it is outside the static folders WhiteNoise serves."""
    for route in routes.all_routes():
        assert route.callback is not serve, route.key
        assert not route.pattern.startswith(("media", "uploads")), route.key
    media = settings.MEDIA_ROOT.resolve()
    for folder in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        folder = folder.resolve()
        assert not media.is_relative_to(folder) and not folder.is_relative_to(media)


def test_the_configured_media_root_is_not_static_either():
    """The production default (``BASE_DIR / "media"``), not only the tests'."""
    from config import settings as production

    media = production.MEDIA_ROOT.resolve()
    for folder in [production.STATIC_ROOT, *production.STATICFILES_DIRS]:
        assert not media.is_relative_to(folder.resolve())


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_the_endpoints_allow_nobody_else_to_upload(world, endpoint):
    """Upload endpoints are access-checked like any page (see the route
    walk): here, another unit's office head posting a valid file."""
    before = endpoint.model.objects.count()
    upload = SimpleUploadedFile("x.pdf", PDF)
    with transaction.atomic():
        response = _client(world, "outsider").post(
            endpoint.url(world), endpoint.data(world, upload)
        )
        transaction.set_rollback(True)
    if endpoint.name == "signal attachment":
        # The form is the outsider's own unit's: our person is not on its list.
        assert response.status_code == 200 and response.context["form"].errors
    else:
        assert response.status_code == 404
    assert endpoint.model.objects.count() == before
