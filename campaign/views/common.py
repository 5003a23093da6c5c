"""What every campaign page shares: fetching the campaign with the person's
rights on it, the tab bar, and turning refused actions into messages."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import standing

from .. import access

CLOSED_MESSAGE = gettext_lazy("本次活动已结束并锁定，所有内容只读。")


@dataclass(frozen=True)
class Rights:
    administer: bool  # the office of this campaign
    watch: bool  # may read its dashboard and unit-wide pages
    closed: bool

    @property
    def edit(self) -> bool:
        return self.administer and not self.closed


def load(request, pk, *, administer=False, watch=False):
    """The campaign (404 if not visible) and the person's rights on it (403 if lacking)."""
    user = request.user
    campaign = access.get_campaign(user, pk)
    admin = access.may_administer(user, campaign)
    watcher = admin or standing(user).sees_whole_unit
    if (administer and not admin) or (watch and not watcher):
        raise PermissionDenied
    campaign.rights = Rights(administer=admin, watch=watcher, closed=campaign.is_closed)
    return campaign


# key, label, url name, who sees it (given the person's Rights)
TABS = [
    ("detail", gettext_lazy("概况"), "campaign:detail", lambda r: True),
    ("dashboard", gettext_lazy("工作台"), "campaign:dashboard", lambda r: r.watch),
    ("plan", gettext_lazy("计划与阶段"), "campaign:plan", lambda r: r.edit),
    ("leading_group", gettext_lazy("领导小组"), "campaign:leading_group", lambda r: True),
    ("mobilisation", gettext_lazy("宣传动员"), "campaign:mobilisation", lambda r: True),
    ("grading", gettext_lazy("等级与类别"), "campaign:grading", lambda r: r.edit),
    ("chains", gettext_lazy("审核流程"), "campaign:chains", lambda r: True),
    ("history", gettext_lazy("活动记录"), "campaign:history", lambda r: r.watch),
]


def register_tab(key, label, url_name, shown, *, before="history"):
    """Apps above campaign (publicity, acceptance) add their tabs here."""
    if any(tab[0] == key for tab in TABS):
        return
    position = next((i for i, tab in enumerate(TABS) if tab[0] == before), len(TABS))
    TABS.insert(position, (key, label, url_name, shown))


def tabs_for(campaign, active):
    return [
        {
            "key": key,
            "label": label,
            "url": reverse(url_name, args=[campaign.pk]),
            "active": key == active,
        }
        for key, label, url_name, shown in TABS
        if shown(campaign.rights)
    ]


def render_campaign(request, template, campaign, tab, context=None, status=200):
    data = {
        "campaign": campaign,
        "rights": campaign.rights,
        "tabs": tabs_for(campaign, tab),
        "tab": tab,
        "closed_message": CLOSED_MESSAGE,
    }
    data.update(context or {})
    return render(request, template, data, status=status)


def message_of(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    return str(exc) or _("操作未能完成。")


def refuse(request, exc) -> None:
    """Show a refused action (ReviewError, CampaignClosed …) as a message."""
    messages.error(request, message_of(exc))


def locked(request, campaign):
    """A redirect with a message when an edit page is opened on a closed campaign."""
    if campaign.is_closed:
        messages.error(request, CLOSED_MESSAGE)
        return redirect(campaign)
    return None


def back(request, default):
    """Where to go after a small POST: the safe ``next`` the page sent, or ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def posted(request, files=False):
    """The submitted data of a POST (even an empty one), else None for an unbound form."""
    if request.method != "POST":
        return None
    return request.FILES if files else request.POST
