"""The export centre: pick a filing table (and a section) and download it.

For the campaign's office and whoever's standing may export (auditors,
discipline inspection, the leading group); other staff of the unit get a
403, people outside it a 404. What a table holds is decided by the
registered Export's ``rows``, which applies the person's access.
"""

import tempfile

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.models import Section
from accounts.roles import standing

from .. import exports
from ..access import current_campaign, get_campaign, may_administer
from ..audit import record


def _campaign(request, campaign_pk):
    campaign = get_campaign(request.user, campaign_pk)
    if not exports.may_open_centre(request.user, campaign):
        raise PermissionDenied
    return campaign


def _sections(campaign):
    return Section.objects.filter(unit_id=campaign.unit_id).order_by(
        "-is_active", "display_order", "id"
    )


class ExportForm(forms.Form):
    table = forms.ChoiceField(label=gettext_lazy("导出的表"), widget=forms.RadioSelect)
    section = forms.ModelChoiceField(
        label=gettext_lazy("科室"),
        queryset=Section.objects.none(),
        required=False,
        empty_label=gettext_lazy("全单位"),
        help_text=gettext_lazy("只对标有“可按科室导出”的表有效；其余的表总是全单位。"),
    )

    def __init__(self, *args, choices, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = [(export.key, export.title) for export in choices]
        self.fields["section"].queryset = sections


@require_GET
def index(request):
    """The navigation entry: the centre of the campaign the person most likely means."""
    campaign = current_campaign(request.user)
    if campaign is None or not exports.may_open_centre(request.user, campaign):
        if not (standing(request.user).may_export or standing(request.user).is_office):
            raise PermissionDenied
        return render(request, "exports/none.html")
    return redirect("exports:centre", campaign.pk)


@require_GET
def centre(request, campaign_pk):
    campaign = _campaign(request, campaign_pk)
    available = exports.exports_for(request.user, campaign)
    form = ExportForm(
        request.GET if "table" in request.GET else None,
        choices=available,
        sections=_sections(campaign),
    )
    if form.is_bound and form.is_valid():
        export = exports.get(form.cleaned_data["table"])
        section = form.cleaned_data["section"] if export.per_section else None
        response = _download(request, campaign, export, section)
        if response is not None:
            return response
    return render(
        request,
        "exports/centre.html",
        {
            "campaign": campaign,
            "form": form,
            "exports": available,
            "administer": may_administer(request.user, campaign),
            "is_office": standing(request.user).is_office,
        },
    )


@require_GET
def download(request, campaign_pk, key):
    """A direct link to one table, e.g. from a register page:
    ``{% url 'exports:download' campaign.pk 'register' %}?section=3``."""
    campaign = _campaign(request, campaign_pk)
    export = exports.get(key)
    if export is None:
        raise Http404
    section = None
    wanted = request.GET.get("section", "")
    if export.per_section and wanted:
        section = _sections(campaign).filter(pk=wanted).first() if wanted.isdigit() else None
        if section is None:
            raise Http404
    response = _download(request, campaign, export, section)
    if response is None:
        return redirect("exports:centre", campaign.pk)
    return response


def _download(request, campaign, export, section):
    """The file response, or None with an error message for the page."""
    if not export.may_use(request.user, campaign):
        raise PermissionDenied
    exported_at = timezone.localtime()
    # Written to a temporary file, not memory: write-only mode streams the
    # rows, and the response streams the file.
    # FileResponse closes it once sent.
    stream = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        export.write(stream, campaign, request.user, section, exported_at=exported_at)
    except BaseException as exc:
        stream.close()
        if not isinstance(exc, exports.NothingToExport):
            raise
        messages.error(
            request,
            _("“%(scope)s”没有可导出的%(table)s。")
            % {"scope": section.name if section else _("全单位"), "table": export.title},
        )
        return None
    stream.seek(0)
    record(
        campaign,
        request.user,
        "export.downloaded",
        _("%(who)s 导出了%(table)s（%(scope)s）")
        % {
            "who": request.user,
            "table": export.title,
            "scope": section.name if section else _("全单位"),
        },
    )
    return FileResponse(
        stream,
        as_attachment=True,
        filename=export.filename(campaign, section, exported_at),
        content_type=exports.XLSX_CONTENT_TYPE,
    )
