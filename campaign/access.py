"""Fetching campaign objects for a person: 404 for those who may not see
them, 403 for those who may see but not act."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.http import Http404
from guardian.shortcuts import get_objects_for_user, get_user_perms

from accounts.roles import standing

from .models import Campaign

ADMINISTER = "campaign.administer_campaign"


_remembered = ContextVar("campaign_access_remembered", default=None)


@contextmanager
def remembering():
    """Inside the block, :func:`may_administer` asks the database once per
    person and campaign. For read-only work such as rendering the dashboard,
    whose panels (from several apps) each ask the same question."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def may_administer(user, campaign) -> bool:
    """The office of *this* campaign (a django-guardian object permission)."""
    if not user.is_authenticated:
        return False
    memo = _remembered.get()
    if memo is None:
        return _holds_grant(user, campaign)
    key = (user.pk, campaign.pk)
    if key not in memo:
        memo[key] = _holds_grant(user, campaign)
    return memo[key]


def _holds_grant(user, campaign) -> bool:
    # Only the explicit grant counts (one query): the system administrator
    # runs the admin site but administers a campaign only from an office seat.
    return ADMINISTER.split(".")[1] in get_user_perms(user, campaign)


def administered_campaigns(user):
    return get_objects_for_user(
        user, ADMINISTER, klass=Campaign, accept_global_perms=False, with_superuser=False
    )


def visible_campaigns(user):
    """Campaigns of the person's unit; drafts only to their office."""
    if not user.is_authenticated or user.unit_id is None:
        return Campaign.objects.none()
    ours = Campaign.objects.filter(unit_id=user.unit_id)
    return ours.exclude(status=Campaign.Status.DRAFT) | ours.filter(
        pk__in=administered_campaigns(user).values("pk")
    )


def may_watch(user, campaign) -> bool:
    """May read the dashboard and unit-wide pages of the campaign."""
    return may_administer(user, campaign) or standing(user).sees_whole_unit


def get_campaign(user, pk, *, administer=False, watch=False) -> Campaign:
    campaign = visible_campaigns(user).filter(pk=pk).select_related("unit").first()
    if campaign is None:
        raise Http404
    if administer and not may_administer(user, campaign):
        raise PermissionDenied
    if watch and not may_watch(user, campaign):
        raise PermissionDenied
    return campaign


def current_campaign(user):
    """The campaign a person most likely means: running first, newest first."""
    campaigns = visible_campaigns(user)
    return (
        campaigns.filter(status=Campaign.Status.RUNNING).order_by("-year", "-id").first()
        or campaigns.order_by("-year", "-id").first()
    )
