"""The campaign's own figures, for the self-assessment draft, the summary
page and its Excel statistics.

:func:`campaign_figures` returns plain, JSON-ready data (the draft keeps a
copy of the figures it was written from). It runs a fixed number of queries
whatever the unit's size.

Early warning is counted, never shown: warnings by level and disposals by
state for the unit and the campaign's year — no signal, no source, no name,
so nothing confidential (信访举报) can be read from it.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import Post, Section
from earlywarnings.models import LEVEL_COLOURS, LEVELS_GRAVEST_FIRST, Disposal, EarlyWarning, Level
from powers.models import Catalogue, Power
from publicity.models import Feedback, Window
from risks.models import Filing, Measure, RiskPoint
from risks.services import filers_of

from .models import ChecklistItem, Rectification

CURRENT_GRADE = Coalesce("final_grade_id", "reviewed_grade_id", "self_grade_id")
UNGRADED_COLOUR = "#9ca3af"
# The leadership team and the unit filing have no section.
NO_SECTION = None


def _ratio(part, whole):
    return round(part / whole, 4) if whole else None


def campaign_figures(campaign) -> dict:
    levels = list(campaign.grade_levels.order_by("rank"))
    categories = list(campaign.risk_categories.order_by("display_order", "pk"))
    sections = list(
        Section.objects.filter(unit_id=campaign.unit_id, is_active=True).order_by(
            "display_order", "pk"
        )
    )

    # People and filings ---------------------------------------------------------
    people_rows = filers_of(campaign).values("section_id").annotate(n=Count("pk")).order_by()
    people_by_section = {row["section_id"]: row["n"] for row in people_rows}
    filing_rows = (
        Filing.objects.filter(campaign=campaign)
        .values("kind", "status", "section_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    filings = {kind: dict.fromkeys(Filing.Status.values, 0) for kind in Filing.Kind.values}
    approved_by_section = defaultdict(int)
    filings_by_section = defaultdict(int)
    for row in filing_rows:
        filings[row["kind"]][row["status"]] += row["n"]
        if row["kind"] == Filing.Kind.PERSONAL:
            filings_by_section[row["section_id"]] += row["n"]
            if row["status"] == Filing.Status.APPROVED:
                approved_by_section[row["section_id"]] += row["n"]

    # Risk points ----------------------------------------------------------------
    point_rows = (
        RiskPoint.objects.filter(campaign=campaign)
        .values("category_id", section=F("filing__section_id"), grade=CURRENT_GRADE)
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_grade, by_category = defaultdict(int), defaultdict(int)
    by_section = defaultdict(lambda: defaultdict(int))
    for row in point_rows:
        by_grade[row["grade"]] += row["n"]
        by_category[row["category_id"]] += row["n"]
        by_section[row["section"]][row["grade"]] += row["n"]
    points_total = sum(by_grade.values())

    # Measures -------------------------------------------------------------------
    measure_rows = (
        Measure.objects.filter(risk_point__campaign=campaign)
        .values("line", "status", section=F("risk_point__filing__section_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    measures = {line: dict.fromkeys(Measure.Status.values, 0) for line in Measure.Line.values}
    measures_by_section = defaultdict(int)
    for row in measure_rows:
        measures[row["line"]][row["status"]] += row["n"]
        measures_by_section[row["section"]] += row["n"]
    measures_total = sum(sum(v.values()) for v in measures.values())
    measures_done = sum(v[Measure.Status.DONE] for v in measures.values())

    # Coverage: key posts and powers ------------------------------------------------
    # "Has a risk point" as a correlated EXISTS: a few index probes per post or
    # power, where IN first collects every point of the campaign.
    covered_posts = Exists(RiskPoint.objects.filter(campaign=campaign, filing__post=OuterRef("pk")))
    posts = (
        Post.objects.filter(section__unit_id=campaign.unit_id, section__is_active=True)
        .exclude(key_type=Post.KeyType.NONE)
        .aggregate(total=Count("pk"), covered=Count("pk", filter=Q(covered_posts)))
    )
    covered_powers = Exists(RiskPoint.objects.filter(campaign=campaign, power=OuterRef("pk")))
    powers = Power.objects.filter(campaign=campaign).aggregate(
        total=Count("pk"),
        covered=Count("pk", filter=Q(covered_powers)),
        approved=Count("pk", filter=Q(catalogue__status=Catalogue.Status.APPROVED)),
        external=Count("pk", filter=Q(direction=Power.Direction.EXTERNAL)),
    )

    # Early warning: counts only ---------------------------------------------------
    warnings = EarlyWarning.objects.filter(unit_id=campaign.unit_id, year=campaign.year)
    warning_counts = dict(
        warnings.order_by().values_list("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    disposal_counts = dict(
        Disposal.objects.filter(warning__unit_id=campaign.unit_id, warning__year=campaign.year)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )

    # Rectifications, publicity, checklist ------------------------------------------------
    rectification_counts = dict(
        Rectification.objects.filter(campaign=campaign)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    windows = Window.objects.filter(campaign=campaign).aggregate(
        total=Count("pk"), public=Count("pk", filter=Q(public=True))
    )
    feedback = Feedback.objects.filter(window__campaign=campaign).aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        public=Count("pk", filter=Q(channel=Feedback.Channel.PUBLIC)),
    )
    checklist = list(
        ChecklistItem.objects.filter(campaign=campaign).values_list("max_score", "score")
    )

    people_total = sum(people_by_section.values())
    personal = filings[Filing.Kind.PERSONAL]
    return {
        "campaign": {"title": campaign.title, "year": campaign.year, "unit": campaign.unit.name},
        "people": {
            "total": people_total,
            "personal_filings": sum(personal.values()),
            "approved": personal[Filing.Status.APPROVED],
            "handed_in": personal[Filing.Status.SUBMITTED]
            + personal[Filing.Status.IN_REVIEW]
            + personal[Filing.Status.APPROVED],
        },
        "filings": [
            {
                "kind": kind,
                "label": str(label),
                "total": sum(filings[kind].values()),
                "statuses": [
                    {"status": status, "label": str(slabel), "n": filings[kind][status]}
                    for status, slabel in Filing.Status.choices
                ],
            }
            for kind, label in Filing.Kind.choices
        ],
        "points": {
            "total": points_total,
            "ungraded": by_grade.get(None, 0),
            "by_grade": [
                {
                    "rank": level.rank,
                    "label": level.label,
                    "colour": level.colour,
                    "n": by_grade.get(level.pk, 0),
                }
                for level in levels
            ],
            "by_category": [{"name": c.name, "n": by_category.get(c.pk, 0)} for c in categories],
            "top_ratio": _ratio(by_grade.get(levels[0].pk, 0), points_total) if levels else None,
            "top_guideline": float(Decimal(campaign.high_grade_ratio)),
        },
        "sections": [
            {
                "label": label,
                "people": people_by_section.get(sid, 0),
                "filings": filings_by_section.get(sid, 0),
                "approved": approved_by_section.get(sid, 0),
                "points": sum(by_section.get(sid, {}).values()),
                "grades": [by_section.get(sid, {}).get(level.pk, 0) for level in levels],
                "ungraded": by_section.get(sid, {}).get(None, 0),
                "measures": measures_by_section.get(sid, 0),
            }
            for sid, label in [(NO_SECTION, str(_("单位（领导班子）")))]
            + [(s.pk, s.name) for s in sections]
            if sid is not NO_SECTION or people_by_section.get(sid) or by_section.get(sid)
        ],
        "measures": {
            "total": measures_total,
            "done": measures_done,
            "done_ratio": _ratio(measures_done, measures_total),
            "lines": [
                {
                    "line": line,
                    "label": str(label),
                    "total": sum(measures[line].values()),
                    "statuses": [
                        {"status": status, "label": str(slabel), "n": measures[line][status]}
                        for status, slabel in Measure.Status.choices
                    ],
                }
                for line, label in Measure.Line.choices
            ],
        },
        "posts": {
            "total": posts["total"],
            "covered": posts["covered"],
            "ratio": _ratio(posts["covered"], posts["total"]),
        },
        "powers": {
            "total": powers["total"],
            "covered": powers["covered"],
            "approved": powers["approved"],
            "external": powers["external"],
            "ratio": _ratio(powers["covered"], powers["total"]),
        },
        "warnings": {
            "total": sum(warning_counts.values()),
            "by_level": [
                {
                    "level": level,
                    "label": str(Level(level).label),
                    "colour": LEVEL_COLOURS[level][0],
                    "n": warning_counts.get(level, 0),
                }
                for level in LEVELS_GRAVEST_FIRST
            ],
            "disposals": sum(disposal_counts.values()),
            "disposals_closed": disposal_counts.get(Disposal.Status.CLOSED, 0),
            "disposal_statuses": [
                {"status": status, "label": str(label), "n": disposal_counts.get(status, 0)}
                for status, label in Disposal.Status.choices
            ],
        },
        "rectifications": {
            "total": sum(rectification_counts.values()),
            "statuses": [
                {"status": status, "label": str(label), "n": rectification_counts.get(status, 0)}
                for status, label in Rectification.Status.choices
            ],
            "closed": rectification_counts.get(Rectification.Status.CLOSED, 0),
        },
        "publicity": {
            "windows": windows["total"],
            "public_windows": windows["public"],
            "feedback": feedback["total"],
            "answered": feedback["answered"],
            "public_feedback": feedback["public"],
        },
        "checklist": {
            "items": len(checklist),
            "max": float(sum((m for m, _s in checklist), Decimal(0))),
            "score": float(sum((s for _m, s in checklist if s is not None), Decimal(0))),
            "scored": sum(1 for _m, s in checklist if s is not None),
        },
    }
