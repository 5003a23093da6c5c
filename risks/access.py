"""Who may see, edit and review which filing (the access matrix).

* a person sees and edits only their own personal filing;
* a section head sees their section's personal filings and the section
  filing (and edits the section filing);
* a supervising leader sees the filings of the sections they supervise;
* the campaign office, the leading group and discipline inspection see all;
  the office edits the unit filing;
* the party committee sees what waits at its step and everything approved;
* auditors read everything approved and nothing else;
* whoever holds an open review step of a filing (reviewer or delegate) sees it.

Anything else is a 404; seeing without the right to act is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.roles import standing
from campaign.access import get_campaign, may_administer
from campaign.approvals import open_steps_of

from .models import Filing


def _open_steps_for(user):
    return open_steps_of(user)


def sees_all(user, campaign) -> bool:
    who = standing(user)
    return may_administer(user, campaign) or who.is_leading_group or who.is_discipline


def visible_filings(user, campaign):
    """The filings of ``campaign`` this person may open."""
    filings = Filing.objects.filter(campaign=campaign)
    if not user.is_authenticated or user.unit_id != campaign.unit_id:
        return filings.none()
    if sees_all(user, campaign):
        return filings
    who = standing(user)
    rule = Q(kind=Filing.Kind.PERSONAL, owner=user)
    if who.headed_section_ids or who.supervised_section_ids:
        rule |= Q(
            kind__in=[Filing.Kind.PERSONAL, Filing.Kind.SECTION],
            section_id__in=who.overseen_section_ids,
        )
    if who.is_party_committee or who.is_auditor:
        rule |= Q(status=Filing.Status.APPROVED)
    waiting = _open_steps_for(user).filter(review__campaign=campaign).values("review__subject_id")
    rule |= Q(pk__in=waiting)
    return filings.filter(rule)


def may_edit(user, filing) -> bool:
    if filing.kind == Filing.Kind.PERSONAL:
        return filing.owner_id == user.pk
    if filing.kind == Filing.Kind.SECTION:
        return standing(user).heads(filing.section_id)
    return may_administer(user, filing.campaign)


def get_filing(user, pk, *, edit=False) -> Filing:
    filing = (
        Filing.objects.select_related("campaign__unit", "owner", "section", "post")
        .filter(pk=pk)
        .first()
    )
    if filing is None:
        raise Http404
    # Raises 404 when the campaign itself is not visible to this person.
    get_campaign(user, filing.campaign_id)
    if not visible_filings(user, filing.campaign).filter(pk=filing.pk).exists():
        raise Http404
    if edit and not may_edit(user, filing):
        raise PermissionDenied
    return filing
