"""Attachments: what may be uploaded, and how a stored file is sent back.

Every app that takes files (meeting minutes, study materials, evidence for
risk points and warnings) validates uploads with :class:`AttachmentField` (or
:func:`validate_attachment`) and sends them only through a permission-checked
view with :func:`attachment_response`; MEDIA_ROOT has no public URL.

A file is accepted when its extension is on the list *and* its first bytes
look like that kind of file, so a renamed executable is refused even with a
``.pdf`` name.
"""

import codecs
import os

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PDF = (b"%PDF-",)
ZIP = (b"PK\x03\x04",)  # docx, xlsx, pptx are zip containers
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # doc, xls, ppt (compound file)
JPEG = (b"\xff\xd8\xff",)
PNG = (b"\x89PNG\r\n\x1a\n",)
TEXT = None  # checked separately: no NUL bytes, decodes as UTF-8 or GB18030

# extension: the magic numbers its content must start with
SIGNATURES = {
    "pdf": PDF,
    "doc": OLE,
    "docx": ZIP,
    "xls": OLE,
    "xlsx": ZIP,
    "ppt": OLE,
    "pptx": ZIP,
    "jpg": JPEG,
    "jpeg": JPEG,
    "png": PNG,
    "txt": TEXT,
}
ALLOWED_EXTENSIONS = tuple(SIGNATURES)
ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)
SNIFF_BYTES = 2048


def max_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


def _size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(size, 1) / 1024:.0f} KB"


def extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lstrip(".").lower()


def _head(upload) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(position)
    return head


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        # Not final: the sniffed block may end inside a multi-byte character.
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(head, final=len(head) < SNIFF_BYTES)
        except UnicodeDecodeError:
            continue
        return True
    return False


def validate_attachment(upload) -> None:
    """Raise ``ValidationError`` (in Chinese) unless ``upload`` may be stored."""
    ext = extension(upload.name)
    if ext not in SIGNATURES:
        raise ValidationError(
            _("不支持的文件类型%(ext)s。可以上传：%(allowed)s。")
            % {
                "ext": f"（.{ext}）" if ext else "",
                "allowed": "、".join(ALLOWED_EXTENSIONS),
            },
            code="file_type",
        )
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("文件过大（%(size)s），单个附件不能超过 %(limit)s。")
            % {"size": _size_label(upload.size), "limit": _size_label(limit)},
            code="file_size",
        )
    if upload.size == 0:
        raise ValidationError(_("文件是空的，请重新选择。"), code="file_empty")
    head = _head(upload)
    signatures = SIGNATURES[ext]
    matches = (
        _looks_like_text(head)
        if signatures is TEXT
        else any(head.startswith(signature) for signature in signatures)
    )
    if not matches:
        raise ValidationError(
            _("文件内容与扩展名 .%(ext)s 不符，请确认文件没有损坏或被改名。") % {"ext": ext},
            code="file_content",
        )


class AttachmentField(forms.FileField):
    """A file field that accepts only the allowed office, PDF, image and text files."""

    default_validators = [validate_attachment]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", gettext_lazy("附件"))
        kwargs.setdefault(
            "help_text",
            gettext_lazy("支持 PDF、Word、Excel、PowerPoint、JPG、PNG 和 TXT 文件。"),
        )
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("data-max-bytes", str(max_bytes()))
        return attrs


def original_name(upload) -> str:
    """The name the person's file had, shortened to fit the name columns."""
    name = os.path.basename(upload.name or "")
    if len(name) <= 200:
        return name
    stem, dot_ext = os.path.splitext(name)
    return stem[: 200 - len(dot_ext)] + dot_ext


def attachment_response(field_file, name: str) -> FileResponse:
    """Send a stored file as a download under its original name."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=name or os.path.basename(field_file.name)
    )
