"""Read-side helpers shared by the pages, the dashboard panel and the
reporters. Each runs a fixed number of queries whatever the unit's size."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef

from accounts.models import Section
from campaign.dashboard import active_sections
from campaign.models import ReviewStep

from . import extensions
from .models import Catalogue, Power, PowerStep


def annotated_powers(queryset):
    """Powers with ``step_count`` and ``risk_count`` (None when risks are not tracked)."""
    return queryset.annotate(
        step_count=Count("steps", distinct=True),
        risk_count=extensions.risk_count_expression(),
    )


def open_steps(catalogues) -> dict:
    """The open review step of each catalogue, by catalogue id (two queries)."""
    ids = [c.pk for c in catalogues if c.pk]
    if not ids:
        return {}
    content_type = ContentType.objects.get_for_model(Catalogue)
    steps = (
        ReviewStep.objects.filter(
            review__subject_type=content_type,
            review__subject_id__in=ids,
            status=ReviewStep.Status.OPEN,
        )
        .select_related("review", "delegate")
        .prefetch_related("assignees")
    )
    return {step.review.subject_id: step for step in steps}


@dataclass
class SectionRow:
    section: Section
    catalogue: Catalogue | None
    powers: int = 0
    without_steps: int = 0
    without_risks: int | None = None
    step: ReviewStep | None = None

    @property
    def status(self):
        return self.catalogue.status if self.catalogue else None

    @property
    def assessed(self):
        return self.powers - (self.without_risks or 0)

    @property
    def submitted(self):
        return self.status in (Catalogue.Status.IN_REVIEW, Catalogue.Status.APPROVED)


@dataclass
class Overview:
    rows: list[SectionRow]
    tracks_risks: bool
    by_status: Counter = field(default_factory=Counter)

    @property
    def total_powers(self):
        return sum(r.powers for r in self.rows)

    @property
    def total_without_steps(self):
        return sum(r.without_steps for r in self.rows)

    @property
    def total_without_risks(self):
        return sum(r.without_risks or 0 for r in self.rows) if self.tracks_risks else None

    @property
    def not_submitted(self):
        return [r for r in self.rows if not r.submitted]

    @property
    def approved(self):
        return sum(1 for r in self.rows if r.status == Catalogue.Status.APPROVED)


def overview(campaign) -> Overview:
    """Every active section's catalogue with its counts and open review step."""
    sections = list(
        Section.objects.filter(unit_id=campaign.unit_id, is_active=True)
        .select_related("head")
        .order_by("display_order", "id")
    )
    catalogues = {c.section_id: c for c in Catalogue.objects.filter(campaign=campaign)}
    tracks = extensions.tracks_risks()
    facts = Power.objects.filter(campaign=campaign).annotate(
        has_steps=Exists(PowerStep.objects.filter(power=OuterRef("pk"))),
        has_risks=extensions.has_risks_expression(),
    )
    totals, no_steps, no_risks = Counter(), Counter(), Counter()
    for section_id, has_steps, has_risks in facts.values_list(
        "section_id", "has_steps", "has_risks"
    ):
        totals[section_id] += 1
        no_steps[section_id] += not has_steps
        no_risks[section_id] += bool(tracks and not has_risks)
    steps = open_steps(catalogues.values())
    rows = []
    for section in sections:
        catalogue = catalogues.get(section.pk)
        if catalogue is not None:
            catalogue.section = section
            catalogue.campaign = campaign
        rows.append(
            SectionRow(
                section=section,
                catalogue=catalogue,
                powers=totals[section.pk],
                without_steps=no_steps[section.pk],
                without_risks=no_risks[section.pk] if tracks else None,
                step=steps.get(catalogue.pk) if catalogue else None,
            )
        )
    result = Overview(rows=rows, tracks_risks=tracks)
    result.by_status = Counter(r.status or "none" for r in rows)
    return result


def powers_by_category(campaign):
    """``[(category name, count)]`` in the campaign's category order."""
    rows = (
        Power.objects.filter(campaign=campaign)
        .values("category__name", "category__display_order")
        .annotate(n=Count("pk"))
        .order_by("category__display_order", "category__name")
    )
    return [(row["category__name"], row["n"]) for row in rows]


def catalogue_counts(campaign):
    """Catalogues by status, with the active sections that have none yet as "none"."""
    counts = defaultdict(int)
    for row in (
        Catalogue.objects.filter(campaign=campaign, section__is_active=True)
        .values("status")
        .annotate(n=Count("pk"))
    ):
        counts[row["status"]] = row["n"]
    sections = len(active_sections(campaign))
    counts["none"] = max(sections - sum(counts.values()), 0)
    return counts
