"""The short-cuts the navigation bar points to: one's own filing, one's
section's page, the current campaign's register."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import Section
from accounts.roles import standing
from campaign.access import current_campaign
from campaign.models import Stage

from .. import services
from ..access import sees_all
from ..models import Filing
from .common import messages_of


def _own_filing(campaign, user):
    if campaign is None:
        return None
    return Filing.objects.filter(campaign=campaign, kind=Filing.Kind.PERSONAL, owner=user).first()


def mine(request):
    """The person's own personal filing in the current campaign.

    Someone who joined after the find-risks stage started has none yet: while
    the stage is under way, opening this page creates it (with those of
    anyone else added since, see ``services.ensure_filings``).
    """
    campaign = current_campaign(request.user)
    filing = _own_filing(campaign, request.user)
    active = filing is None and services.may_file_now(campaign, request.user)
    if active:
        try:
            services.ensure_filings(campaign, by=request.user)
        except ValidationError as exc:
            problems = messages_of(exc)
        else:
            problems = []
        # After a race the other request's filing is there all the same.
        filing = _own_filing(campaign, request.user)
        if filing is not None:
            messages.success(request, _("已为您生成个人岗位风险点登记表，请填写。"))
        else:
            for problem in problems:
                messages.error(request, problem)
    if filing is not None:
        return redirect(filing)
    started = (
        campaign is not None
        and campaign.stages.filter(
            kind=Stage.Kind.RISKS, status__in=[Stage.Status.ACTIVE, Stage.Status.DONE]
        ).exists()
    )
    return render(
        request,
        "risks/register_mine.html",
        {
            "campaign": campaign,
            "started": started,
            "active": active,
            "files": services.filers_of(campaign).filter(pk=request.user.pk).exists()
            if campaign
            else False,
        },
    )


def section_current(request):
    """A section head's section in the current campaign."""
    user = request.user
    campaign = current_campaign(user)
    who = standing(user)
    if campaign is not None:
        ids = who.headed_section_ids or who.supervised_section_ids
        section = (
            Section.objects.filter(pk__in=ids, unit_id=campaign.unit_id)
            .order_by("display_order", "pk")
            .first()
        )
        if section is None and sees_all(user, campaign) and user.section_id:
            section = user.section
        if section is not None:
            return redirect("risks:section", campaign.pk, section.pk)
    return render(request, "risks/section_none.html", {"campaign": campaign}, status=404)


def register_current(request):
    """The register of the current campaign."""
    campaign = current_campaign(request.user)
    if campaign is None:
        return render(request, "risks/register_none.html", {}, status=404)
    return redirect("risks:register", campaign.pk)
