"""Fetching catalogues and powers for a person: 404 for those who may not
see them (another unit, a draft campaign they do not run), 403 for those who
may see but not act.

* Reading: every staff member of the unit, for every campaign they can see.
* Editing and submitting a section's catalogue: the section's head and the
  campaign's office.
* Unit-wide pages (overview, comparison, categories): the office and the
  whole-unit watchers (campaign.access.may_watch).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Section
from accounts.roles import standing
from campaign.access import get_campaign, may_administer, may_watch

from .models import Catalogue, Power

__all__ = [
    "get_campaign_for_powers",
    "get_catalogue",
    "get_power",
    "get_section",
    "may_edit",
    "may_watch",
]


def may_edit(user, campaign, section) -> bool:
    """Heads the section, or runs the campaign's office."""
    return standing(user).heads(section) or may_administer(user, campaign)


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
