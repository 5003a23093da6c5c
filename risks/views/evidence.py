"""Evidence attachments on measures: upload, download, delete.

Files are sent only through :func:`download`, to people who may see the
filing; evidence of a filing someone may not see is a 404 to them.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.uploads import attachment_response

from .. import uploads
from ..access import get_filing
from ..forms import EvidenceForm
from ..models import Evidence, Measure
from .filing import messages_of


def _back(filing, measure):
    return redirect(f"{filing.get_absolute_url()}#measure-{measure.pk}")


@require_POST
def upload(request, pk):
    measure = Measure.objects.select_related("risk_point").filter(pk=pk).first()
    if measure is None:
        raise Http404
    filing = get_filing(request.user, measure.risk_point.filing_id)
    if not uploads.may_upload(request.user, filing, measure):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []) or [_("请选择要上传的文件。")]:
            messages.error(request, _("上传失败：%(error)s") % {"error": error})
        return _back(filing, measure)
    try:
        evidence = uploads.add_evidence(filing, measure, form.cleaned_data["file"], request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in messages_of(exc):
            messages.error(request, _("上传失败：%(error)s") % {"error": message})
    else:
        messages.success(
            request, _("已上传佐证材料“%(name)s”。") % {"name": evidence.original_name}
        )
    return _back(filing, measure)


def _evidence(user, pk):
    evidence = Evidence.objects.select_related("measure__risk_point").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    filing = get_filing(user, evidence.measure.risk_point.filing_id)
    return evidence, filing


def download(request, pk):
    evidence, _filing = _evidence(request.user, pk)
    return attachment_response(evidence.file, evidence.original_name)


@require_POST
def delete(request, pk):
    evidence, filing = _evidence(request.user, pk)
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
    return _back(filing, measure)
