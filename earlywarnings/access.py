"""Who may see and act on signals, warnings, disposals and integrity files.

Confidential signals (every petition and report, 信访举报, and whatever else
is marked confidential) are seen by discipline inspection and the office
head only (``standing(user).sees_confidential_signals``) — and never by the
person they name, nor by the head of that person's (or the signal's)
section, even when those hold one of the two roles (回避). Every page, list,
count, search, export row and notification goes through the functions here:

* :func:`visible_signals` / :func:`get_signal` — the signals themselves;
* :func:`sees_source` — whether a warning's source signal (its source, title
  and link) may be shown to this person; where not, the warning shows no
  source at all, exactly like a warning raised without a signal.

The rest of the matrix:

* signals: recorded and read by the office and discipline inspection;
* warnings: read by everyone who sees the whole unit (office, leading group,
  party committee, discipline inspection, auditors); raised, disposed of and
  closed by the office and discipline inspection;
* "my warnings": the person concerned (a person warning's person, a post
  warning's holders, a section warning's section head), everyone for
  unit-wide warnings, and the reporter or responsible official of any of a
  warning's disposals — never with the warning's source;
* integrity files (廉政档案): the person, the office and discipline
  inspection of their unit.

Not visible is a 404; visible without the right to act is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.models import User
from accounts.roles import standing
from campaign.models import Campaign
from risks.access import visible_filings
from risks.models import Filing, RiskPoint

from .models import Disposal, EarlyWarning, TargetKind, WarningSignal


def _in_unit(user) -> bool:
    return user.is_authenticated and user.unit_id is not None


def may_manage(user) -> bool:
    """Records signals, deducts points, raises and disposes of warnings."""
    if not _in_unit(user):
        return False
    who = standing(user)
    return who.is_office or who.is_discipline


def may_configure(user) -> bool:
    """The office keeps the holiday list, the unit's rules and reads job runs."""
    return _in_unit(user) and standing(user).is_office


def may_read_warnings(user) -> bool:
    return _in_unit(user) and standing(user).sees_whole_unit


def sees_confidential(user) -> bool:
    return _in_unit(user) and standing(user).sees_confidential_signals


def _recusal(user, prefix="") -> Q:
    """Confidential signals this person must never see: about them, or about
    a section they head (or a person or post in it). ``prefix`` reaches the
    signal from another model (``"signal__"`` from a warning)."""
    headed = standing(user).headed_section_ids
    rule = Q(**{f"{prefix}person_id": user.pk})
    if headed:
        rule |= (
            Q(**{f"{prefix}section_id__in": headed})
            | Q(**{f"{prefix}person__section_id__in": headed})
            | Q(**{f"{prefix}post__section_id__in": headed})
        )
    return rule


def visible_signals(user):
    """The signals this person may see — the only way to list signals."""
    if not may_manage(user):
        return WarningSignal.objects.none()
    signals = WarningSignal.objects.filter(unit_id=user.unit_id)
    if not sees_confidential(user):
        return signals.filter(confidential=False)
    return signals.exclude(Q(confidential=True) & _recusal(user))


def get_signal(user, pk) -> WarningSignal:
    signal = (
        visible_signals(user)
        .select_related("person", "post__section", "section", "risk_point", "recorded_by")
        .filter(pk=pk)
        .first()
    )
    if signal is None:
        raise Http404
    return signal


def may_see_signal(user, signal) -> bool:
    """The same rule as :func:`visible_signals`, for a signal already loaded
    (with its person, post and section)."""
    if signal is None or not may_manage(user) or signal.unit_id != user.unit_id:
        return False
    if not signal.confidential:
        return True
    if not sees_confidential(user) or signal.person_id == user.pk:
        return False
    headed = standing(user).headed_section_ids
    sections = {signal.section_id}
    if signal.person_id:
        sections.add(signal.person.section_id)
    if signal.post_id:
        sections.add(signal.post.section_id)
    return not (sections & headed)


def sees_source(user, warning) -> bool:
    """May this person see where ``warning`` came from (its signal's source
    and title)? Ordinary sources are shown to everyone who reads the
    warning; a confidential one only to those who may see the signal.

    Load warnings with ``select_related("signal__person", "signal__post")``
    so that this costs no query.
    """
    if warning.signal_id is None:
        return False
    if not warning.signal.confidential:
        return True
    return may_see_signal(user, warning.signal)


def masked_source_filter(user, source) -> Q:
    """A filter for warnings "from signals of ``source``" that matches only
    sources this person may see — filtering by source never reveals the
    source of a warning whose signal is hidden."""
    rule = Q(signal__source=source)
    if not sees_confidential(user):
        return rule & Q(signal__confidential=False)
    return rule & ~(Q(signal__confidential=True) & _recusal(user, "signal__"))


def signal_risk_points(user, person_id):
    """The risk points a signal about ``person_id`` may name: those of the
    person's own filings in the unit's running campaigns that this person
    may read — approved ones, or any the risks app lets them open. Empty
    without a person: the choice is narrowed to one person's few points."""
    if not may_manage(user) or not person_id:
        return RiskPoint.objects.none()
    campaigns = list(Campaign.objects.filter(unit_id=user.unit_id, status=Campaign.Status.RUNNING))
    readable = Q(status=Filing.Status.APPROVED)
    for campaign in campaigns:
        readable |= Q(pk__in=visible_filings(user, campaign).values("pk"))
    filings = Filing.objects.filter(
        campaign__in=[c.pk for c in campaigns], kind=Filing.Kind.PERSONAL, owner_id=person_id
    ).filter(readable)
    return (
        RiskPoint.objects.filter(filing__in=filings)
        .select_related("campaign")
        .order_by("-campaign__year", "campaign_id", "position", "pk")
    )


# Warnings ------------------------------------------------------------------


def visible_warnings(user):
    """Warnings this person may open on the managers' pages."""
    if not may_read_warnings(user):
        return EarlyWarning.objects.none()
    return EarlyWarning.objects.filter(unit_id=user.unit_id)


def _concerning(user) -> Q:
    who = standing(user)
    rule = Q(target_kind=TargetKind.PERSON, person_id=user.pk) | Q(target_kind=TargetKind.UNIT)
    if user.post_id:
        rule |= Q(target_kind=TargetKind.POST, post_id=user.post_id)
    if who.headed_section_ids:
        rule |= Q(target_kind=TargetKind.SECTION, section_id__in=who.headed_section_ids)
    return rule


def my_warnings(user):
    """Warnings addressed to this person (as "my warnings" shows them)."""
    if not _in_unit(user):
        return EarlyWarning.objects.none()
    reporting = Disposal.objects.filter(Q(reporter_id=user.pk) | Q(responsible_id=user.pk)).values(
        "warning_id"
    )
    return EarlyWarning.objects.filter(unit_id=user.unit_id).filter(
        _concerning(user) | Q(pk__in=reporting)
    )


def get_warning(user, pk, *, manage=False) -> EarlyWarning:
    warning = (
        visible_warnings(user)
        .select_related(
            "person__section",
            "post__section",
            "section",
            "signal__person",
            "signal__post",
            "raised_by",
        )
        .filter(pk=pk)
        .first()
    )
    if warning is None:
        raise Http404
    if manage and not may_manage(user):
        raise PermissionDenied
    return warning


def get_my_warning(user, pk) -> EarlyWarning:
    warning = (
        my_warnings(user)
        .select_related(
            "person__section", "post__section", "section", "signal__person", "signal__post"
        )
        .filter(pk=pk)
        .first()
    )
    if warning is None:
        raise Http404
    return warning


def answerers(warning) -> list:
    """The people who answer a warning: the person, the post's holders, the
    section's head. A unit-wide warning is answered by nobody in particular:
    the office closes it."""
    if warning.target_kind == TargetKind.PERSON and warning.person_id:
        return [warning.person] if warning.person.is_active else []
    if warning.target_kind == TargetKind.POST and warning.post_id:
        return list(User.objects.filter(post_id=warning.post_id, is_active=True))
    if warning.target_kind == TargetKind.SECTION and warning.section_id:
        head = warning.section.head
        return [head] if head is not None and head.is_active else []
    return []


def may_answer(user, warning) -> bool:
    if warning.unit_id != user.unit_id:
        return False
    if warning.target_kind == TargetKind.PERSON:
        return warning.person_id == user.pk
    if warning.target_kind == TargetKind.POST:
        return warning.post_id is not None and warning.post_id == user.post_id
    if warning.target_kind == TargetKind.SECTION:
        return standing(user).heads(warning.section_id)
    return False


# Integrity files --------------------------------------------------------------


def get_file_owner(user, person_id) -> User:
    """The person whose integrity file (廉政档案) ``user`` opens, or 404."""
    if not _in_unit(user):
        raise Http404
    person = User.objects.select_related("section", "post", "unit").filter(pk=person_id).first()
    if person is None or person.unit_id != user.unit_id:
        raise Http404
    if person.pk != user.pk and not may_manage(user):
        raise Http404
    return person
