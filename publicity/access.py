"""Who may see and run publicity windows.

* Internal notices: every person who can see the campaign (its unit's staff;
  a draft campaign only its office) — others get a 404.
* Opening, closing, answering feedback, the public link: the campaign's
  office (``campaign.access.may_administer``); other staff of the unit get
  a 403.
* The public link: anybody holding the token, without signing in; a wrong
  token is a 404, exactly like a window that was never published.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from campaign.access import get_campaign, may_administer, visible_campaigns

from .models import Window

__all__ = ["get_public_window", "get_window", "may_manage", "visible_windows"]

# A token longer than this was never issued (token_urlsafe(32) is 43 long).
MAX_TOKEN_LENGTH = 64


def may_manage(user, campaign) -> bool:
    return may_administer(user, campaign)


def visible_windows(user):
    """The windows of every campaign this person can see."""
    return Window.objects.filter(campaign__in=visible_campaigns(user))


def get_window(user, pk, *, manage=False) -> Window:
    window = Window.objects.select_related("section").filter(pk=pk).first()
    if window is None:
        raise Http404
    # 404 when the campaign itself is not visible to this person.
    window.campaign = get_campaign(user, window.campaign_id)
    if manage and not may_manage(user, window.campaign):
        raise PermissionDenied
    return window


def get_public_window(token) -> Window:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise Http404
    window = (
        Window.objects.filter(token=token, public=True, scope=Window.Scope.POWERS)
        .select_related("campaign__unit")
        .first()
    )
    if window is None:
        raise Http404
    return window
