"""Submitting a filing with the pledge, and opening a revision of an
approved one."""

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign import approvals

from .. import services
from ..access import get_filing
from ..forms import SubmitForm
from ..models import Filing
from .common import client_ip, edit_refusal, header_context, locked_page, messages_of


def filing_submit(request, pk):
    """The pledge and the button that signs it and submits the filing.

    The page carries the filing's version: if the filing was saved since it
    was opened (in another tab, or by another editor of a section or unit
    filing), the submission is refused and the page shown afresh, with the
    pledge quoting the current risk points.
    """
    filing = get_filing(request.user, pk, edit=True)
    refusal = edit_refusal(filing)
    if refusal:
        return locked_page(request, filing, refusal)
    form = SubmitForm(request.POST if request.method == "POST" else None, filing=filing)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_filing(
                filing.pk,
                request.user,
                ip=client_ip(request),
                section_meeting_on=form.cleaned_data.get("section_meeting_on"),
                expected_version=form.cleaned_data.get("version"),
            )
        except services.StaleSubmit as exc:
            for message in messages_of(exc):
                messages.error(request, message)
            return redirect("risks:filing_submit", filing.pk)
        except ValidationError as exc:
            problems = messages_of(exc)
        else:
            messages.success(request, _("登记表已提交，廉政承诺已签署。审核结果会通知您。"))
            return redirect(filing)
    else:
        problems = [str(p) for p in services.check_complete(filing)]
        if filing.kind == Filing.Kind.SECTION:
            # The date is asked for on this page: not a problem yet.
            problems = [p for p in problems if "科室集体研究" not in p]
    chain = None
    with contextlib.suppress(ValidationError):
        chain = approvals.chain_for(
            filing.campaign, services.SUBJECT_OF_KIND[filing.kind], services.filer_rank(filing)
        )
    return render(
        request,
        "risks/filing_submit.html",
        {
            **header_context(filing),
            "form": form,
            "problems": problems,
            "pledge_text": services.pledge_text(filing),
            "pledge_addressee": services.pledge_addressee(filing),
            "chain": chain,
        },
    )


@require_POST
def filing_revise(request, pk):
    filing = get_filing(request.user, pk, edit=True)
    try:
        services.open_revision(filing.pk, request.user)
    except ValidationError as exc:
        for message in messages_of(exc):
            messages.error(request, message)
        return redirect(filing)
    messages.success(request, _("已开始修订。修改后请重新提交审核。"))
    return redirect("risks:filing_edit", filing.pk)
