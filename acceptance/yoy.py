"""Year over year for one section: which risk points were added, dropped or
regraded since the previous campaign.

A point of this year is matched to last year's first by the explicit link
the carry-over stored (:class:`~acceptance.models.CarriedPoint`), then by
owner and title (a person's own filing, the section's collective filing, or
the unit filing). Grades compare by rank, so 高 and 一级 are the same level.
A fixed number of queries whatever the size.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from risks.access import sees_all, visible_filings
from risks.models import Filing, RiskPoint

from .models import CarriedPoint

GRADES = ("final_grade", "reviewed_grade", "self_grade")


@dataclass
class PointLine:
    owner: str
    title: str
    category: str
    grade: object = None
    old_grade: object = None


@dataclass
class Comparison:
    previous: object
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    regraded: list = field(default_factory=list)
    unchanged: int = 0
    this_year: int = 0
    last_year: int = 0
    # Counted from the filings the reader may open, not all of them.
    partial: bool = False


def _points(campaign, section, filings):
    return (
        RiskPoint.objects.filter(campaign=campaign, filing__section=section, filing__in=filings)
        .select_related("filing__owner", "category", *GRADES)
        .order_by("filing__owner__employee_no", "filing_id", "position", "pk")
    )


def _owner_key(point):
    filing = point.filing
    if filing.kind == Filing.Kind.PERSONAL:
        return ("person", filing.owner_id)
    if filing.kind == Filing.Kind.SECTION:
        return ("section", filing.section_id)
    return ("unit",)


def _owner_label(point):
    filing = point.filing
    if filing.kind == Filing.Kind.PERSONAL and filing.owner_id:
        return filing.owner.get_full_name()
    if filing.kind == Filing.Kind.SECTION:
        return _("科室集体")
    return _("单位（领导班子）")


def _line(point, old=None) -> PointLine:
    return PointLine(
        owner=_owner_label(point),
        title=point.title,
        category=point.category.name,
        grade=point.grade,
        old_grade=old.grade if old is not None else None,
    )


def _rank(level):
    return level.rank if level is not None else None


def compare(campaign, section, user) -> Comparison:
    """What ``user`` may read of it: only points of the filings they may open
    in each year (``risks.access.visible_filings``), so an auditor sees the
    approved ones and a staff member their own."""
    previous = campaign.previous
    result = Comparison(previous=previous, partial=not sees_all(user, campaign))
    this_year = visible_filings(user, campaign)
    new = list(_points(campaign, section, this_year))
    result.this_year = len(new)
    if previous is None:
        result.added = [_line(point) for point in new]
        return result
    last_year = visible_filings(user, previous)
    old = list(_points(previous, section, last_year))
    result.last_year = len(old)
    new_ids = [p.pk for p in new]
    old_ids = [p.pk for p in old]
    links = list(
        CarriedPoint.objects.filter(
            source__isnull=False, source__campaign=previous, point__campaign=campaign
        )
        .filter(Q(point_id__in=new_ids) | Q(source_id__in=old_ids))
        .filter(point__filing__in=this_year, source__filing__in=last_year)
        .select_related(
            "point__filing__owner",
            "point__category",
            *(f"point__{g}" for g in GRADES),
            "source__filing__owner",
            "source__category",
            *(f"source__{g}" for g in GRADES),
        )
    )
    pairs = [(link.point, link.source) for link in links]
    matched_new = {p.pk for p, _o in pairs}
    matched_old = {o.pk for _p, o in pairs}
    by_key = {}
    for point in old:
        if point.pk not in matched_old:
            by_key.setdefault((_owner_key(point), point.title.strip()), []).append(point)
    for point in new:
        if point.pk in matched_new:
            continue
        candidates = by_key.get((_owner_key(point), point.title.strip()))
        if candidates:
            match = candidates.pop(0)
            matched_old.add(match.pk)
            matched_new.add(point.pk)
            pairs.append((point, match))
    for point, match in pairs:
        if point.pk not in new_ids and match.pk not in old_ids:
            continue
        if _rank(point.grade) != _rank(match.grade):
            result.regraded.append(_line(point, match))
        else:
            result.unchanged += 1
    result.added = [_line(point) for point in new if point.pk not in matched_new]
    result.removed = [_line(point) for point in old if point.pk not in matched_old]
    return result
