"""Builds the demo campaign's risk filings, in every state a real campaign shows.

People of the invented investment-promotion office fill in their personal
filings (and two sections and the leadership team their collective ones) in
their own words; some submit, reviewers approve, grade and return them. All
of it goes through the real services (``risks.services.save_draft`` /
``submit_filing``, ``campaign.approvals.approve`` / ``return_for_changes``),
so the timelines, pledges, grades and notifications are the ones the product
would have made.

The words are in ``content`` (one module per section group); this module
only files them, so the texts can change without touching the building code.

``load(context)`` builds only while the demo campaign has no risk point yet:
a second run changes nothing.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from campaign import approvals
from campaign.models import Campaign, ReviewStep, StepRole

from .. import services
from ..models import Filing, Measure, RiskPoint
from .content import FILINGS
from .spec import APPROVED, DRAFTING, IN_REVIEW, NOT_STARTED, RETURNED, SUBMITTED

TITLE = "2026年度廉政风险防控工作"

# Self grade → (likelihood, harm) pairs that suggest the same grade, so the
# suggested grade and the self grade agree unless a point says otherwise.
ACCOUNTABILITY = {1: 3, 2: 2, 3: 1}

# Whom each role's step goes to, when several people may act.
PREFERRED = {
    StepRole.LEADING_GROUP: ["bangongshi", "zhuren"],
    StepRole.PARTY_COMMITTEE: ["zhuren", "fenguan"],
}


def _campaign(context):
    campaign = context.get("campaign")
    if campaign is None and context.get("unit") is not None:
        campaign = Campaign.objects.filter(unit=context["unit"], title=TITLE).first()
    return campaign


def _filing(campaign, key, people, sections):
    if key == "unit":
        return Filing.objects.get(campaign=campaign, kind=Filing.Kind.UNIT)
    if key.startswith("section:"):
        return Filing.objects.get(
            campaign=campaign, kind=Filing.Kind.SECTION, section=sections[key.split(":")[1]]
        )
    return Filing.objects.filter(
        campaign=campaign, kind=Filing.Kind.PERSONAL, owner=people[key]
    ).first()


def _filer(filing, people):
    if filing.kind == Filing.Kind.PERSONAL:
        return filing.owner
    if filing.kind == Filing.Kind.SECTION:
        return filing.section.head
    return people["bangongshi"]


def _owners(filing, filer, people):
    """Who owns each line's measures: the filer prevents, the section head (or
    supervising leader) monitors, discipline inspection or the office handles."""
    section = filing.section
    monitor = section.head if section is not None else people["zhuren"]
    if monitor is None or monitor.pk == filer.pk:
        monitor = (section.supervising_leaders.first() if section else None) or people["zhuren"]
    if monitor.pk == filer.pk:
        monitor = people["fenguan"]
    handler = people["jijian"] if filer.pk != people["jijian"].pk else people["bangongshi"]
    return filer, monitor, handler


def _writer(filing, specs, filer, people, levels, categories, state):
    start = filing.campaign.starts_on
    lines = Measure.Line.values
    owners = _owners(filing, filer, people)
    powers = filing.campaign.powers.all()

    def write(f):
        for position, spec in enumerate(specs, start=1):
            power = None
            if spec.power:
                candidates = powers.filter(name__contains=spec.power)
                if f.section_id:
                    candidates = candidates.filter(section_id=f.section_id)
                power = candidates.order_by("pk").first()
            point = RiskPoint.objects.create(
                filing=f,
                position=position,
                category=categories[spec.category],
                title=spec.title,
                content=spec.content,
                power=power,
                found_by=list(spec.found_by),
                likelihood=spec.likelihood,
                harm=spec.harm,
                accountability=ACCOUNTABILITY[spec.grade],
                self_grade=levels[spec.grade],
            )
            measures = []
            for number, (line, text) in enumerate(zip(lines, spec.measures, strict=True)):
                if not text:
                    continue
                measures.append(
                    Measure(
                        risk_point=point,
                        line=line,
                        position=1,
                        text=text,
                        owner=owners[number],
                        due_on=start + timedelta(days=110 + 7 * number),
                        status=(
                            Measure.Status.IN_PROGRESS
                            if state == APPROVED and line == Measure.Line.PREVENTION
                            else Measure.Status.PLANNED
                        ),
                        indicator=spec.indicator if line == Measure.Line.MONITORING else "",
                    )
                )
            if spec.ownerless and measures:
                measures[-1].owner = None
            Measure.objects.bulk_create(measures)

    return write


def _open_step(filing):
    return services.review_for(filing).steps.filter(status=ReviewStep.Status.OPEN).first()


def _actor(step):
    assignees = list(step.assignees.all())
    by_name = {person.username: person for person in assignees}
    for username in PREFERRED.get(step.role, []):
        if username in by_name:
            return by_name[username]
    return assignees[0]


def _grades(filing, specs, step, levels):
    """What the reviewer at ``step`` decides for each point."""
    grades = {}
    points = list(
        filing.risk_points.select_related("self_grade", "suggested_grade").order_by("position")
    )
    for point, spec in zip(points, specs, strict=True):
        decided = spec.final if step.is_final else spec.review
        if decided is not None:
            grades[point.pk] = (levels[decided[0]], decided[1])
        elif not step.is_final:
            # The reviewer confirms: the higher of the self and suggested grade.
            ranks = [g.rank for g in (point.self_grade, point.suggested_grade) if g]
            grades[point.pk] = (levels[min(ranks)], "")
    return grades


def _approve(filing, specs, levels):
    step = _open_step(filing)
    approvals.approve(
        step.pk,
        _actor(step),
        opinion="同意。" if not step.is_final else "经领导小组集体研究，同意评定等级。",
        meeting_date=timezone.localdate() if step.role == StepRole.PARTY_COMMITTEE else None,
        data={"grades": _grades(filing, specs, step, levels)},
    )


def _build(filing, state, specs, reason, filer, people, levels, categories):
    if state == NOT_STARTED:
        return
    filing.refresh_from_db()
    services.save_draft(
        filing.pk,
        filer,
        expected_version=filing.version,
        write=_writer(filing, specs, filer, people, levels, categories, state),
    )
    if state == DRAFTING:
        return
    meeting = (
        timezone.localdate() - timedelta(days=3) if filing.kind == Filing.Kind.SECTION else None
    )
    services.submit_filing(filing.pk, filer, ip="10.20.1.15", section_meeting_on=meeting)
    if state == SUBMITTED:
        return
    if state == RETURNED:
        step = _open_step(filing)
        approvals.return_for_changes(step.pk, _actor(step), reason=reason)
        return
    _approve(filing, specs, levels)
    if state == IN_REVIEW:
        return
    while _open_step(filing) is not None:
        _approve(filing, specs, levels)


@transaction.atomic
def load(context):
    campaign = _campaign(context)
    if campaign is None or campaign.is_closed:
        return context
    context["campaign"] = campaign
    if RiskPoint.objects.filter(campaign=campaign).exists():
        return context
    services.ensure_filings(campaign)
    people = {u.username: u for u in User.objects.filter(unit=campaign.unit)}
    people.update(context.get("people", {}))
    sections = context.get("sections") or {s.code: s for s in campaign.unit.sections.all()}
    levels = {level.rank: level for level in campaign.grade_levels.all()}
    categories = {c.name: c for c in campaign.risk_categories.all()}
    fallback = next(iter(categories.values()))
    categories = _CategoryMap(categories, fallback)
    for key, (state, specs, reason) in FILINGS.items():
        if not key.startswith(("section:", "unit")) and key not in people:
            continue
        filing = _filing(campaign, key, people, sections)
        if filing is None:
            continue
        filer = _filer(filing, people)
        if filer is None:
            continue
        _build(filing, state, specs, reason, filer, people, levels, categories)
    return context


class _CategoryMap(dict):
    """A campaign that renamed a default category still gets every point."""

    def __init__(self, found, fallback):
        super().__init__(found)
        self.fallback = fallback

    def __missing__(self, key):
        return self.fallback
