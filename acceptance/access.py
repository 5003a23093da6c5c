"""Who may see and do what in the acceptance check.

* The self-assessment, the checklist, the summary: read by whoever watches
  the campaign (its office and the whole-unit roles: leading group, party
  committee, discipline inspection, auditors); changed by the office only.
* Rectifications: the office creates, verifies and rejects them and sees
  all; the owner sees theirs and reports on it; the watchers read them.
* Year over year: the watchers, and the head or supervising leader of the
  section.
* Starting next year's campaign: the office of this campaign, who must
  also hold the unit's office role (as for creating any campaign).

Outside the unit (or a draft campaign one does not run): 404. Inside it
without the right: 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Section
from accounts.roles import standing
from campaign.access import get_campaign, may_administer, may_watch

from .models import Rectification

__all__ = [
    "get_rectification",
    "get_section",
    "may_manage",
    "may_start_next_year",
    "may_watch",
    "visible_rectifications",
]


def may_manage(user, campaign) -> bool:
    return may_administer(user, campaign)


def may_start_next_year(user, campaign) -> bool:
    return (
        may_administer(user, campaign)
        and standing(user).is_office
        and user.unit_id == campaign.unit_id
    )


def visible_rectifications(user, campaign):
    items = Rectification.objects.filter(campaign=campaign)
    if may_watch(user, campaign):
        return items
    return items.filter(owner=user)


def get_rectification(user, pk, *, manage=False) -> Rectification:
    item = (
        Rectification.objects.filter(pk=pk)
        .select_related("owner", "section", "item", "verified_by")
        .first()
    )
    if item is None:
        raise Http404
    campaign = get_campaign(user, item.campaign_id)
    item.campaign = campaign
    if not may_watch(user, campaign) and item.owner_id != user.pk:
        raise Http404
    if manage and not may_manage(user, campaign):
        raise PermissionDenied
    return item


def get_section(user, campaign_pk, section_pk):
    """The campaign and one of its unit's sections, for the year-over-year page."""
    campaign = get_campaign(user, campaign_pk)
    section = Section.objects.filter(unit_id=campaign.unit_id, pk=section_pk).first()
    if section is None:
        raise Http404
    if not (may_watch(user, campaign) or standing(user).oversees(section)):
        raise PermissionDenied
    return campaign, section
