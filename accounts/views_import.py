"""The import pages: upload, preview (a dry run), confirm.

:func:`import_page` serves every import (roster here, the catalogue and the
register in their apps): the person uploads a file and sees what would
change — new, updated, unchanged rows and every error with its row and
column — without anything being saved. If there is no error, the file waits
on the server and a confirm button imports it for real, in one transaction.
A wrong file never raises: its message is shown under the file field, and
the options the person chose stay selected.
"""

import secrets
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .imports import ImportFileError, RosterImporter
from .roles import standing

PENDING_DIR = "imports/pending"
SESSION_KEY = "lianfang_pending_imports"
PENDING_LIFETIME = timedelta(hours=12)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    """The file; importers with options subclass it."""

    file = forms.FileField(
        label=gettext_lazy("Excel 文件（.xlsx）"),
        help_text=gettext_lazy("请使用下载的模板填写；第一张工作表为导入数据。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={
            "required": gettext_lazy("请选择要导入的 Excel 文件。"),
            "empty": gettext_lazy("上传的文件是空文件（0 字节），请检查后重新选择。"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("文件过大（%(size)s），最大 %(limit)s。")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload

    def options(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "file"}


def import_page(
    request,
    *,
    importer_for,
    scope: str,
    template_url: str,
    context: dict,
    form_class=UploadForm,
):
    """GET shows the form; POST previews, or with ``token`` imports.

    ``importer_for(options)`` makes the Importer; ``scope`` ties a pending
    file to this page ("roster:unit:3"), so a token from another page or
    campaign is refused.
    """
    outcome = token = None
    form = form_class()
    if request.method == "POST" and request.POST.get("token"):
        token = request.POST["token"]
        pending = _pending(request).get(token)
        if (
            pending is None
            or pending["scope"] != scope
            or not default_storage.exists(pending["path"])
        ):
            messages.error(request, _("待导入的文件已失效，请重新上传并预览。"))
            token = None
        else:
            form = form_class(initial=pending["options"])
            try:
                with default_storage.open(pending["path"], "rb") as stored:
                    data = stored.read()
                outcome = importer_for(pending["options"]).run(
                    data, dry_run=False, filename=pending["name"]
                )
            except ImportFileError as exc:
                messages.error(request, str(exc))
            _discard(request, token)
            token = None
    elif request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                outcome = importer_for(form.options()).run(data, dry_run=True, filename=upload.name)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                if outcome.ok:
                    token = _store(request, scope, data, upload.name, form.options())
    return render(
        request,
        "imports/page.html",
        {
            **context,
            "form": form,
            "outcome": outcome,
            "token": token,
            "template_url": template_url,
        },
    )


def template_response(importer) -> HttpResponse:
    response = HttpResponse(importer.template(), content_type=XLSX_CONTENT_TYPE)
    # Django's header builder encodes a Chinese name per RFC 6266.
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=importer.template_filename()
    )
    return response


# Pending files ----------------------------------------------------------------


def _pending(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _store(request, scope, data, name, options) -> str:
    _clean_up_old_files()
    token = secrets.token_urlsafe(16)
    path = default_storage.save(f"{PENDING_DIR}/{token}.xlsx", ContentFile(data))
    pending = _pending(request)
    pending[token] = {
        "scope": scope,
        "path": path,
        "name": name,
        "options": _serialisable(options),
    }
    request.session[SESSION_KEY] = pending
    return token


def _serialisable(options):
    return {
        key: value.pk if hasattr(value, "pk") else value for key, value in (options or {}).items()
    }


def _discard(request, token):
    pending = _pending(request)
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if entry and default_storage.exists(entry["path"]):
        default_storage.delete(entry["path"])


def _clean_up_old_files():
    """Files nobody confirmed (a closed browser tab) go after a while."""
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - PENDING_LIFETIME
    for name in files:
        path = f"{PENDING_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except FileNotFoundError:
            continue


# The roster ------------------------------------------------------------------------


def _office_unit(request):
    user = request.user
    if not standing(user).is_office or user.unit_id is None:
        raise PermissionDenied
    return user.unit


def roster(request):
    unit = _office_unit(request)
    return import_page(
        request,
        importer_for=lambda options: RosterImporter(user=request.user, unit=unit, options=options),
        scope=f"roster:unit:{unit.pk}",
        template_url=reverse("roster_import_template"),
        context={
            "importer": RosterImporter(user=request.user, unit=unit),
            "heading": _("导入人员名册"),
            "subtitle": _(
                "%(unit)s的科室、岗位和人员。按工号匹配：已有人员更新，新工号新增；新科室、新岗位自动建立。"
            )
            % {"unit": unit.name},
            "crumbs": [],
        },
    )


def roster_template(request):
    unit = _office_unit(request)
    return template_response(RosterImporter(user=request.user, unit=unit))
