"""Who may see, edit and review which filing (the access matrix).

* a person sees and edits only their own personal filing;
* a section head sees their section's personal filings and the section
  filing (and edits the section filing);
* a supervising leader sees the filings of the sections they supervise;
* the campaign office, the leading group and discipline inspection see all;
  the office edits the unit filing;
* the party committee sees what waits at its step and everything approved;
* auditors read everything approved and nothing else;
* whoever holds an open review step of a filing (reviewer or delegate) sees it;
* a measure's owner (who may be someone other than the filer) reaches that
  measure and its evidence, without seeing the rest of the filing.

Anything else is a 404; seeing without the right to act is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.roles import standing
from campaign.access import get_campaign, may_administer
from campaign.approvals import open_steps_of

from .models import Evidence, Filing, Measure


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
    if not may_see_filing(user, filing):
        raise Http404
    if edit and not may_edit(user, filing):
        raise PermissionDenied
    return filing


# Measures and their evidence ------------------------------------------------


def may_see_filing(user, filing) -> bool:
    return visible_filings(user, filing.campaign).filter(pk=filing.pk).exists()


def may_reach_measure(user, measure, filing) -> bool:
    """Who may open a measure's evidence: whoever sees the filing (the filer,
    the office and everyone of the access matrix) and the measure's owner."""
    if measure.owner_id is not None and measure.owner_id == user.pk:
        return True
    return may_see_filing(user, filing)


def get_measure(user, pk) -> tuple[Measure, Filing]:
    """A measure and its filing, for its evidence: 404 unless the person may
    reach the measure (:func:`may_reach_measure`)."""
    measure = (
        Measure.objects.select_related(
            "owner",
            "risk_point__filing__campaign__unit",
            "risk_point__filing__owner",
            "risk_point__filing__section",
        )
        .filter(pk=pk)
        .first()
    )
    if measure is None:
        raise Http404
    filing = measure.risk_point.filing
    get_campaign(user, filing.campaign_id)
    if not may_reach_measure(user, measure, filing):
        raise Http404
    return measure, filing


def get_evidence(user, pk) -> tuple[Evidence, Filing]:
    """A piece of evidence and its filing: 404 unless the person may reach its measure."""
    evidence = Evidence.objects.select_related("uploaded_by").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    measure, filing = get_measure(user, evidence.measure_id)
    evidence.measure = measure
    return evidence, filing


# Sections -------------------------------------------------------------------


def may_see_section(user, campaign, section) -> bool:
    """A section's progress page: its head and supervising leaders, and
    whoever sees every filing of the campaign."""
    return standing(user).oversees(section) or sees_all(user, campaign)


def may_remind(user, campaign, section) -> bool:
    """The one-click reminder: the section's head and supervising leaders, and the office."""
    return standing(user).oversees(section) or may_administer(user, campaign)
