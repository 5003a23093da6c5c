"""Fetching catalogues and powers for a person: 404 for those who may not
see them (another unit, a draft campaign they do not run), 403 for those who
may see but not act.

* Reading a section's powers in full (drafts, 不公开 items): its own people,
  its head and supervising leaders, the office, the leading group and
  discipline inspection (:func:`sees_whole_section`).
* Everyone else in the unit reads a section's catalogue once it has been
  approved (a later revision in progress included); the whole-unit watchers
  (auditors, the party committee) every item of it, other staff the items
  not marked 不公开 (:func:`power_filter`). Others get a 404 on a power they
  may not read, and its catalogue page lists nothing of it.
* Editing and submitting a section's catalogue: the section's head and the
  campaign's office.
* Unit-wide pages (overview, comparison, categories): the office and the
  whole-unit watchers (campaign.access.may_watch).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from accounts.models import Section
from accounts.roles import standing
from campaign.access import get_campaign, may_administer, may_watch

from .models import Catalogue, CatalogueRevision, Power

__all__ = [
    "get_campaign_for_powers",
    "power_filter",
    "sees_drafts",
    "sees_whole_section",
    "get_catalogue",
    "get_power",
    "get_section",
    "may_edit",
    "may_watch",
]


def may_edit(user, campaign, section) -> bool:
    """Heads the section, or runs the campaign's office."""
    return standing(user).heads(section) or may_administer(user, campaign)


def sees_drafts(user, campaign) -> bool:
    """The office, the leading group and discipline inspection read every
    catalogue, also while it is compiled."""
    who = standing(user)
    return may_administer(user, campaign) or who.is_leading_group or who.is_discipline


def _own_section_ids(user) -> set:
    ids = set(standing(user).overseen_section_ids)
    if user.section_id:
        ids.add(user.section_id)
    return ids


def sees_whole_section(user, campaign, section) -> bool:
    section_id = getattr(section, "pk", section)
    return sees_drafts(user, campaign) or section_id in _own_section_ids(user)


def power_filter(user, campaign) -> Q:
    """A filter on ``Power`` rows of ``campaign``: those this person may read."""
    if sees_drafts(user, campaign):
        return Q()
    approved_once = Exists(CatalogueRevision.objects.filter(catalogue=OuterRef("catalogue")))
    others = Q(approved_once)
    if not may_watch(user, campaign):
        others &= ~Q(publicity=Power.Publicity.UNPUBLISHED)
    return Q(section_id__in=_own_section_ids(user)) | others


def get_campaign_for_powers(user, campaign_pk, *, watch=False, administer=False):
    return get_campaign(user, campaign_pk, watch=watch, administer=administer)


def get_section(user, campaign_pk, section_pk, *, edit=False):
    """The campaign and one of its unit's sections."""
    campaign = get_campaign(user, campaign_pk)
    section = Section.objects.filter(unit_id=campaign.unit_id, pk=section_pk).first()
    if section is None:
        raise Http404
    if edit and not may_edit(user, campaign, section):
        raise PermissionDenied
    return campaign, section


def get_catalogue(user, campaign_pk, section_pk, *, edit=False):
    """The section's catalogue; an unsaved, empty one when none was started."""
    campaign, section = get_section(user, campaign_pk, section_pk, edit=edit)
    catalogue = Catalogue.objects.filter(campaign=campaign, section=section).first()
    if catalogue is None:
        catalogue = Catalogue(campaign=campaign, section=section)
    catalogue.campaign, catalogue.section = campaign, section
    return catalogue


def get_power(user, campaign_pk, pk, *, edit=False) -> Power:
    campaign = get_campaign(user, campaign_pk)
    power = (
        Power.objects.filter(campaign=campaign, pk=pk)
        .filter(power_filter(user, campaign))
        .select_related("catalogue", "section", "category")
        .first()
    )
    if power is None:
        raise Http404
    if edit and not may_edit(user, campaign, power.section):
        raise PermissionDenied
    power.campaign = campaign
    power.catalogue.campaign = campaign
    power.catalogue.section = power.section
    return power
