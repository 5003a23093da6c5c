"""Helpers shared by the risks pages: the Chinese messages of a refused
action, the header of every filing page, the page shown when a filing cannot
be edited now, and the two-step pagination of the oversight lists."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _

from accounts.pagination import page_of

from ..models import Filing

STATUS_STYLES = {
    Filing.Status.DRAFT: "secondary",
    Filing.Status.SUBMITTED: "info",
    Filing.Status.IN_REVIEW: "primary",
    Filing.Status.RETURNED: "warning",
    Filing.Status.APPROVED: "success",
}


def messages_of(exc) -> list[str]:
    """The Chinese messages of a refused action (ReviewError, PermissionDenied …)."""
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc) or _("操作未能完成。")]


def url_of(obj) -> str:
    """An object's page, or "" while the app that shows it has no such page."""
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def header_context(filing):
    return {
        "filing": filing,
        # base.html shows the closed-campaign banner from this.
        "campaign": filing.campaign,
        "status_style": STATUS_STYLES.get(filing.status, "secondary"),
        "campaign_url": url_of(filing.campaign),
    }


def locked_page(request, filing, reason):
    """The edit pages of a filing that cannot be changed now (403)."""
    return render(
        request,
        "risks/filing_locked.html",
        {**header_context(filing), "reason": reason},
        status=403,
    )


def edit_refusal(filing):
    """Why the filing cannot be edited now, or None."""
    if filing.campaign.is_closed:
        return _("本次活动已结束并锁定，登记表只能查看。")
    if not filing.is_editable:
        if filing.status == Filing.Status.APPROVED:
            return _("登记表已审定。如需修改，请在登记表页面“开始修订”。")
        return _("登记表%(status)s，审核结束前不能修改。") % {"status": filing.get_status_display()}
    return None


# The oversight lists ------------------------------------------------------------

PAGE_SIZE = 50


def list_page(queryset, number, *, load):
    """The page picked on ids only, then its rows loaded in full
    (see ``accounts.pagination``)."""
    return page_of(queryset, number, PAGE_SIZE, load=load)
