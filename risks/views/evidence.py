"""Evidence attachments on measures: the page of one measure's evidence,
upload, download, delete.

A measure's evidence is reached through the measure (``access.get_measure``):
whoever sees the filing, and the measure's owner, who may be a colleague of
the filer and see nothing else of the filing. Everybody else gets a 404;
those who reach it but may not upload or delete a 403. Files are sent only
through :func:`download`.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaign.uploads import attachment_response

from .. import uploads
from ..access import get_evidence, get_measure, may_see_filing
from ..forms import EvidenceForm
from .common import messages_of


def _back(user, filing, measure):
    """The filing page at the measure for those who see the filing, else the
    measure's own evidence page."""
    if may_see_filing(user, filing):
        return redirect(f"{filing.get_absolute_url()}#measure-{measure.pk}")
    return redirect("risks:measure_evidence", measure.pk)


@require_GET
def measure_page(request, pk):
    """The measure, its evidence and the upload form (for the measure's
    owner, who may not see the filing page)."""
    user = request.user
    measure, filing = get_measure(user, pk)
    files = list(measure.evidence.select_related("uploaded_by").order_by("uploaded_at", "pk"))
    return render(
        request,
        "risks/measure_evidence.html",
        {
            "campaign": filing.campaign,
            "filing": filing,
            "measure": measure,
            "point": measure.risk_point,
            "files": [(file, uploads.may_remove(user, filing, file)) for file in files],
            "may_upload": uploads.may_upload(user, filing, measure),
            "sees_filing": may_see_filing(user, filing),
            "closed": filing.campaign.is_closed,
            "evidence_accept": uploads.ACCEPT,
            "upload_limit": settings.UPLOAD_MAX_BYTES,
        },
    )


@require_POST
def upload(request, pk):
    measure, filing = get_measure(request.user, pk)
    if not uploads.may_upload(request.user, filing, measure):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []) or [_("请选择要上传的文件。")]:
            messages.error(request, _("上传失败：%(error)s") % {"error": error})
        return _back(request.user, filing, measure)
    try:
        evidence = uploads.add_evidence(filing, measure, form.cleaned_data["file"], request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in messages_of(exc):
            messages.error(request, _("上传失败：%(error)s") % {"error": message})
    else:
        messages.success(
            request, _("已上传佐证材料“%(name)s”。") % {"name": evidence.original_name}
        )
    return _back(request.user, filing, measure)


def download(request, pk):
    evidence, _filing = get_evidence(request.user, pk)
    return attachment_response(evidence.file, evidence.original_name)


@require_POST
def delete(request, pk):
    evidence, filing = get_evidence(request.user, pk)
    if not uploads.may_remove(request.user, filing, evidence):
        raise PermissionDenied
    measure = evidence.measure
    try:
        uploads.remove_evidence(filing, evidence, request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in messages_of(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已删除佐证材料。"))
    return _back(request.user, filing, measure)
