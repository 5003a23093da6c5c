"""Who may see and run publicity windows.

* Internal notices: every person who can see the campaign (its unit's staff;
  a draft campaign only its office) once the notice has started — others
  get a 404. A notice that has not started yet (即将开始) is the office's
  only: it is not published before its first day.
* Opening, closing, answering feedback, the public link: the campaign's
  office (``campaign.access.may_administer``); other staff of the unit get
  a 403.
* The public link: anybody holding the token, without signing in, from the
  notice's start; a wrong token (or a notice not started yet) is a 404,
  exactly like a window that was never published.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from campaign.access import (
    administered_campaigns,
    get_campaign,
    may_administer,
    visible_campaigns,
)

from .models import Window

__all__ = ["get_public_window", "get_window", "may_manage", "visible_windows"]

# A token longer than this was never issued (token_urlsafe(32) is 43 long).
MAX_TOKEN_LENGTH = 64


def may_manage(user, campaign) -> bool:
    return may_administer(user, campaign)


def visible_windows(user, now=None):
    """The windows of every campaign this person can see: those that have
    started, and the coming ones too for the campaign's office."""
    now = now or timezone.now()
    return Window.objects.filter(campaign__in=visible_campaigns(user)).filter(
        Q(starts_at__lte=now) | Q(campaign__in=administered_campaigns(user).values("pk"))
    )


def get_window(user, pk, *, manage=False) -> Window:
    window = Window.objects.select_related("section").filter(pk=pk).first()
    if window is None:
        raise Http404
    # 404 when the campaign itself is not visible to this person.
    window.campaign = get_campaign(user, window.campaign_id)
    upcoming = window.starts_at > timezone.now()
    if (upcoming or manage) and not may_manage(user, window.campaign):
        if upcoming:
            raise Http404  # not published yet: as if it did not exist
        raise PermissionDenied
    return window


def get_public_window(token) -> Window:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise Http404
    window = (
        Window.objects.filter(
            token=token,
            public=True,
            scope=Window.Scope.POWERS,
            starts_at__lte=timezone.now(),
        )
        .select_related("campaign__unit")
        .first()
    )
    if window is None:
        raise Http404
    return window
