"""State changes of the acceptance check, the rectifications, and the start
of next year's campaign with everybody's risk points carried over.

Every change by a person checks the campaign is open (``ensure_open``) and
the person's right, runs in one transaction with the rows two people could
change at once locked, and writes a line in the campaign's history.
"""

import logging
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import Notification, Section
from accounts.services import notify
from campaign.access import may_administer
from campaign.approvals import ReviewError
from campaign.audit import record
from campaign.models import Campaign, RiskCategory
from campaign.services import create_campaign
from powers.models import Power, PowerStep
from risks import scoring
from risks.models import Filing, Measure, RiskPoint
from risks.services import filers_of

from . import defaults
from .figures import campaign_figures
from .models import (
    AcceptanceCheck,
    CarriedFiling,
    CarriedPoint,
    ChecklistItem,
    Rectification,
    SelfAssessment,
)
from .report import draft_text

logger = logging.getLogger(__name__)


def _require_office(campaign, by, what=None):
    if not may_administer(by, campaign):
        raise ReviewError(what or _("只有本次活动的领导小组办公室可以办理检查验收。"))


def _lock_campaign(campaign) -> Campaign:
    """Lock the campaign row: changes to its checklist or report go one at a time."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    locked.ensure_open()
    return locked


# Self-assessment --------------------------------------------------------------------


@transaction.atomic
def generate_draft(campaign, by, *, replace_text=False) -> SelfAssessment:
    """Write (again) the draft from today's figures.

    The office's text is kept unless it is empty, unchanged from the last
    draft, or ``replace_text`` asks for the new draft.
    """
    _lock_campaign(campaign)
    _require_office(campaign, by)
    figures = campaign_figures(campaign)
    draft = draft_text(campaign, figures)
    report, _created = SelfAssessment.objects.get_or_create(campaign=campaign)
    untouched = not report.text.strip() or report.text == report.draft
    report.draft = draft
    report.figures = figures
    report.generated_at = timezone.now()
    report.generated_by = by
    fields = ["draft", "figures", "generated_at", "generated_by"]
    if replace_text or untouched:
        if report.text != draft:
            report.version += 1
            fields.append("version")
        report.text = draft
        fields.append("text")
    report.save(update_fields=fields)
    record(campaign, by, "acceptance.draft_generated", _("生成自查报告草稿"), target=report)
    return report


class StaleReport(ReviewError):
    """The report changed since the page showing it was loaded."""


@transaction.atomic
def save_self_assessment(campaign, by, *, text, version=None) -> SelfAssessment:
    """Save the office's text of the report.

    ``version`` is the report's version the page showed; when somebody saved
    (or regenerated the text) since, the save is refused with
    :class:`StaleReport` instead of overwriting their text. Without a
    version (a script, a test) the text is saved as is.
    """
    _lock_campaign(campaign)
    _require_office(campaign, by)
    report, _created = SelfAssessment.objects.get_or_create(campaign=campaign)
    if version is not None and version != report.version:
        who = report.updated_by or report.generated_by
        when = report.updated_at or report.generated_at
        raise StaleReport(
            _(
                "自查报告已在您打开页面后被修改（%(who)s，%(when)s），您的修改尚未保存。"
                "请对照下方的最新正文合并修改后再保存。"
            )
            % {
                "who": who or _("他人"),
                "when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else "—",
            },
            code="stale",
        )
    text = (text or "").strip()
    fields = ["updated_at", "updated_by"]
    if text != report.text:
        report.text = text
        report.version += 1
        fields += ["text", "version"]
    report.updated_at = timezone.now()
    report.updated_by = by
    report.save(update_fields=fields)
    record(campaign, by, "acceptance.report_saved", _("修改自查报告"), target=report)
    return report


# The checklist --------------------------------------------------------------------


def ensure_checklist(campaign) -> list[ChecklistItem]:
    """The campaign's checklist; a new one copies last year's list (without
    scores) or, failing that, the defaults. A closed campaign gets nothing new."""
    items = list(campaign.checklist_items.order_by("position", "pk"))
    if items or campaign.is_closed:
        return items
    with transaction.atomic():
        _lock_campaign(campaign)
        if campaign.checklist_items.exists():
            return list(campaign.checklist_items.order_by("position", "pk"))
        template = []
        if campaign.previous_id:
            template = [
                (item.area, item.criteria, item.max_score)
                for item in ChecklistItem.objects.filter(campaign_id=campaign.previous_id).order_by(
                    "position", "pk"
                )
            ]
        if not template:
            template = [(str(area), str(text), score) for area, text, score in defaults.CHECKLIST]
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                campaign=campaign, position=i, area=area, criteria=criteria, max_score=score
            )
            for i, (area, criteria, score) in enumerate(template, start=1)
        )
    return list(campaign.checklist_items.order_by("position", "pk"))


# What the item-list page edits; scores and remarks belong to the scoring page.
ITEM_FIELDS = ["area", "criteria", "max_score"]


@transaction.atomic
def save_items(campaign, by, formset) -> None:
    """The office's edited item list (a validated model formset).

    The formset's instances were read before this transaction: another
    office member may have scored an item since. So the items are locked and
    read again here, only the list's own fields (name, criteria, maximum,
    order) are written onto the fresh rows, and the maximum is checked
    against the score as it is now. An item deleted meanwhile is skipped.
    """
    _lock_campaign(campaign)
    _require_office(campaign, by)
    current = {
        item.pk: item
        for item in ChecklistItem.objects.select_for_update().filter(campaign=campaign)
    }
    for form in formset.deleted_forms:
        item = current.pop(form.instance.pk, None) if form.instance.pk is not None else None
        if item is not None:
            item.delete()
    position = 0
    for form in formset.forms:
        if form in formset.deleted_forms or (not form.has_changed() and form.instance.pk is None):
            continue
        values = {name: form.cleaned_data[name] for name in ITEM_FIELDS}
        if form.instance.pk is not None:
            item = current.get(form.instance.pk)
            if item is None:
                continue  # deleted meanwhile by someone else
        else:
            item = ChecklistItem(campaign=campaign)
        if item.score is not None and item.score > values["max_score"]:
            raise ReviewError(
                _("“%(area)s”已得 %(score)s 分，分值不能低于得分；请先修改得分。")
                % {"area": values["area"], "score": item.score}
            )
        position += 1
        for name, value in values.items():
            setattr(item, name, value)
        item.position = position
        if item.pk is None:
            item.save()
        else:
            item.save(update_fields=[*ITEM_FIELDS, "position"])
    record(campaign, by, "acceptance.items_saved", _("修改验收评分项目"))


def parse_score(value):
    """A score as typed: "" is none, otherwise a number with one decimal."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        score = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not score.is_finite() or score != score.quantize(Decimal("0.1")):
        raise ValueError(text)
    return score


@transaction.atomic
def save_scores(campaign, by, scores: dict) -> list[ChecklistItem]:
    """Scores given: ``{item_id: (score or None, remarks)}``; each 0..max."""
    _lock_campaign(campaign)
    _require_office(campaign, by)
    items = {
        item.pk: item for item in ChecklistItem.objects.filter(campaign=campaign, pk__in=scores)
    }
    errors, changed = [], []
    now = timezone.now()
    for pk, (score, remarks) in scores.items():
        item = items.get(pk)
        if item is None:
            continue
        if score is not None and not (Decimal(0) <= score <= item.max_score):
            errors.append(
                _("“%(area)s”的得分须在 0 到 %(max)s 之间。")
                % {"area": item.area, "max": item.max_score}
            )
            continue
        remarks = (remarks or "").strip()
        if item.score == score and item.remarks == remarks:
            continue
        item.score, item.remarks, item.scored_by, item.scored_at = score, remarks, by, now
        changed.append(item)
    if errors:
        raise ReviewError(errors)
    ChecklistItem.objects.bulk_update(changed, ["score", "remarks", "scored_by", "scored_at"])
    if changed:
        record(
            campaign, by, "acceptance.scored", _("验收评分：修改 %(n)d 项") % {"n": len(changed)}
        )
    return changed


@transaction.atomic
def save_check(campaign, by, *, checked_on=None, inspectors="", conclusion="") -> AcceptanceCheck:
    _lock_campaign(campaign)
    _require_office(campaign, by)
    check, _created = AcceptanceCheck.objects.get_or_create(campaign=campaign)
    check.checked_on = checked_on
    check.inspectors = (inspectors or "").strip()
    check.conclusion = (conclusion or "").strip()
    check.save()
    record(campaign, by, "acceptance.check_saved", _("填写验收意见"), target=check)
    return check


def totals(items) -> dict:
    """Maximum, score so far, how many scored, and the result grade (only
    when every item is scored)."""
    maximum = sum((item.max_score for item in items), Decimal(0))
    score = sum((item.score for item in items if item.score is not None), Decimal(0))
    scored = sum(1 for item in items if item.score is not None)
    complete = bool(items) and scored == len(items)
    return {
        "max": maximum,
        "score": score,
        "scored": scored,
        "count": len(items),
        "complete": complete,
        "ratio": (score / maximum) if maximum else None,
        "grade": result_grade(score, maximum) if complete else None,
    }


def result_grade(score, maximum) -> str | None:
    if not maximum:
        return None
    share = Decimal(score) / Decimal(maximum)
    for floor, label in defaults.RESULT_GRADES:
        if share >= floor:
            return str(label)
    return str(defaults.RESULT_GRADES[-1][1])


# Rectifications ---------------------------------------------------------------------


@transaction.atomic
def create_rectification(
    campaign, by, *, description, owner, due_on, item=None, source="", requirement="", section=None
) -> Rectification:
    _lock_campaign(campaign)
    _require_office(campaign, by)
    if owner.unit_id != campaign.unit_id or not owner.is_active:
        raise ReviewError(_("整改责任人须是本单位在职人员。"))
    if item is not None and item.campaign_id != campaign.pk:
        raise ReviewError(_("来源项目不属于本次活动。"))
    if not (description or "").strip():
        raise ReviewError(_("请填写存在的问题。"))
    if section is not None and section.unit_id != campaign.unit_id:
        raise ReviewError(_("责任科室须是本单位的科室。"))
    rectification = Rectification.objects.create(
        campaign=campaign,
        item=item,
        source=(source or "").strip(),
        description=description.strip(),
        requirement=(requirement or "").strip(),
        section=section or owner.section,
        owner=owner,
        due_on=due_on,
        created_by=by,
    )
    record(
        campaign,
        by,
        "rectification.created",
        _("登记整改事项：%(what)s（责任人 %(owner)s）") % {"what": rectification, "owner": owner},
        target=rectification,
    )
    notify(
        [owner],
        Notification.Kind.GENERAL,
        _("请整改：%(what)s") % {"what": rectification},
        body=_("整改期限：%(due)s") % {"due": due_on},
        url=rectification.get_absolute_url(),
    )
    return rectification


def _locked_rectification(pk) -> Rectification:
    item = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("campaign", "owner")
        .get(pk=pk)
    )
    item.campaign.ensure_open()
    return item


@transaction.atomic
def report_rectification(pk, by, *, report) -> Rectification:
    """The owner reports what was done: open → reported."""
    item = _locked_rectification(pk)
    if item.owner_id != by.pk:
        raise ReviewError(_("只有整改责任人本人可以报告整改情况。"))
    if item.status != Rectification.Status.OPEN:
        raise ReviewError(
            _("整改事项%(status)s，不能再报告。") % {"status": item.get_status_display()}
        )
    report = (report or "").strip()
    if not report:
        raise ReviewError(_("请填写整改情况。"))
    item.status = Rectification.Status.REPORTED
    item.report = report
    item.reported_at = timezone.now()
    item.save(update_fields=["status", "report", "reported_at"])
    record(
        item.campaign,
        by,
        "rectification.reported",
        _("报告整改情况：%(what)s") % {"what": item},
        target=item,
    )
    office = [m.person for m in item.campaign.leading_group.select_related("person") if m.is_office]
    notify(
        office,
        Notification.Kind.GENERAL,
        _("整改情况待验证：%(what)s") % {"what": item},
        body=report[:200],
        url=item.get_absolute_url(),
    )
    return item


def _decide(pk, by, *, opinion, accept) -> Rectification:
    item = _locked_rectification(pk)
    _require_office(item.campaign, by, _("只有领导小组办公室可以验证整改情况。"))
    if item.status != Rectification.Status.REPORTED:
        raise ReviewError(_("只有已报告的整改事项可以验证。"))
    opinion = (opinion or "").strip()
    if not accept and not opinion:
        raise ReviewError(_("退回时请说明理由。"))
    item.verification = opinion
    item.verified_by = by
    item.verified_at = timezone.now()
    if accept:
        item.status = Rectification.Status.CLOSED
    else:
        item.status = Rectification.Status.OPEN
        item.rejections += 1
    item.save(update_fields=["status", "verification", "verified_by", "verified_at", "rejections"])
    summary = (
        _("整改验证通过，销号：%(what)s") if accept else _("整改不到位，退回重新整改：%(what)s")
    )
    record(
        item.campaign,
        by,
        "rectification.verified" if accept else "rectification.rejected",
        summary % {"what": item},
        target=item,
        detail=opinion,
    )
    notify(
        [item.owner],
        Notification.Kind.GENERAL,
        summary % {"what": item},
        body=opinion[:200],
        url=item.get_absolute_url(),
    )
    return item


@transaction.atomic
def verify_rectification(pk, by, *, opinion="") -> Rectification:
    """The office accepts the report: reported → closed."""
    return _decide(pk, by, opinion=opinion, accept=True)


@transaction.atomic
def reject_rectification(pk, by, *, opinion) -> Rectification:
    """The office sends it back: reported → open (a reason is required)."""
    return _decide(pk, by, opinion=opinion, accept=False)


# Next year ------------------------------------------------------------------------------


@transaction.atomic
def start_next_year(campaign, by, *, title, year, starts_on) -> Campaign:
    """Next year's campaign from this one (a closed campaign may be the
    source: it is only read). Its settings follow this one; the campaign
    app copies categories, chains and the leading group, the powers app the
    catalogue, and :func:`carry_over_filings` everybody's risk points, all in
    this transaction (through the ``campaign_created`` signal)."""
    if not (may_administer(by, campaign) and by.unit_id == campaign.unit_id):
        raise ReviewError(_("只有本次活动的领导小组办公室可以启动下一年度的活动。"))
    if Campaign.objects.filter(unit_id=campaign.unit_id, title=title).exists():
        raise ReviewError(_("本单位已有名为“%(title)s”的活动。") % {"title": title})
    return create_campaign(
        unit=campaign.unit,
        by=by,
        title=title,
        year=year,
        starts_on=starts_on,
        previous=campaign,
        grading_scheme=campaign.grading_scheme,
        publicity_days=campaign.publicity_days,
        supervision_phone=campaign.supervision_phone,
        high_grade_ratio=campaign.high_grade_ratio,
        aims=campaign.aims,
    )


def _level_for(rank, levels):
    """The new campaign's level of the same rank, else the nearest one."""
    if rank is None or not levels:
        return None
    if rank in levels:
        return levels[rank]
    return levels[min(levels, key=lambda r: (abs(r - rank), r))]


class _Copier:
    """Maps last year's references onto this year's campaign."""

    def __init__(self, previous, campaign):
        self.previous, self.campaign = previous, campaign
        self.levels = {level.rank: level for level in campaign.grade_levels.all()}
        self.categories = {c.name: c for c in campaign.risk_categories.all()}
        self.powers = {p.code: p for p in Power.objects.filter(campaign=campaign)}
        self.steps = defaultdict(list)
        for step in PowerStep.objects.filter(power__campaign=campaign).order_by(
            "power_id", "position", "pk"
        ):
            self.steps[step.power_id].append(step)
        self.settings = scoring.Settings.for_campaign(campaign)
        self.people = {
            person.pk: person
            for person in filers_of(campaign).only("pk", "unit_id", "is_active", "section_id")
        }

    def category(self, old):
        found = self.categories.get(old.name)
        if found is None:
            order = (
                self.campaign.risk_categories.aggregate(top=Max("display_order"))["top"] or 0
            ) + 1
            found = RiskCategory.objects.create(
                campaign=self.campaign,
                name=old.name,
                description=old.description,
                display_order=order,
            )
            self.categories[old.name] = found
        return found

    def power(self, old_power):
        return self.powers.get(old_power.code) if old_power is not None else None

    def step(self, new_power, old_step, old_steps):
        if new_power is None or old_step is None:
            return None
        try:
            index = [s.pk for s in old_steps].index(old_step.pk)
        except ValueError:
            return None
        steps = self.steps.get(new_power.pk, [])
        return steps[index] if index < len(steps) else None

    def measure_owner(self, owner_id):
        return owner_id if owner_id in self.people else None


def _old_filings(previous):
    old_steps = PowerStep.objects.order_by("position", "pk")
    points = (
        RiskPoint.objects.select_related(
            "category", "power", "power_step", "final_grade", "reviewed_grade", "self_grade"
        )
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.order_by("line", "position", "pk"))
        )
        .prefetch_related(Prefetch("power__steps", queryset=old_steps))
        .order_by("position", "pk")
    )
    return Filing.objects.filter(campaign=previous).prefetch_related(
        Prefetch("risk_points", queryset=points)
    )


@transaction.atomic
def carry_over_filings(previous, campaign, by=None) -> dict:
    """Start ``campaign``'s filings from ``previous``'s, as drafts.

    * each person still in the unit (active, in a section or on the
      leadership team) gets a draft filing holding copies of last year's
      risk points and measures; people who left are dropped; newcomers get
      an empty filing;
    * each active section gets its section filing, and the unit its unit
      filing, copied the same way;
    * every copy is a new row: grades are mapped by rank onto the new
      campaign's levels (the settled grade of last year becomes this year's
      self grade, to be confirmed), categories by name, powers by code in
      the new catalogue, flowchart steps by their place in the flowchart;
    * :class:`CarriedFiling` and :class:`CarriedPoint` remember the source,
      so owners are asked to confirm or change and the year-over-year page
      can match points.

    Filings the campaign already has are left alone. Returns counts.
    """
    if previous.pk == campaign.pk or previous.unit_id != campaign.unit_id:
        raise ReviewError(_("只能从本单位的其他年度活动带入登记表。"))
    campaign.ensure_open()
    copier = _Copier(previous, campaign)
    existing = Filing.objects.filter(campaign=campaign)
    have_people = set(existing.filter(kind=Filing.Kind.PERSONAL).values_list("owner_id", flat=True))
    have_sections = set(
        existing.filter(kind=Filing.Kind.SECTION).values_list("section_id", flat=True)
    )
    have_unit = existing.filter(kind=Filing.Kind.UNIT).exists()

    old = list(_old_filings(previous))
    old_personal = {f.owner_id: f for f in old if f.kind == Filing.Kind.PERSONAL}
    old_section = {f.section_id: f for f in old if f.kind == Filing.Kind.SECTION}
    old_unit = next((f for f in old if f.kind == Filing.Kind.UNIT), None)

    people = list(filers_of(campaign).exclude(pk__in=have_people).order_by("pk"))
    sections = list(
        Section.objects.filter(unit_id=campaign.unit_id, is_active=True)
        .exclude(pk__in=have_sections)
        .order_by("pk")
    )
    plans = []  # (new filing, source filing or None)
    for person in people:
        plans.append(
            (
                Filing(
                    campaign=campaign,
                    kind=Filing.Kind.PERSONAL,
                    owner=person,
                    section_id=person.section_id,
                    post_id=person.post_id,
                    rank=person.rank,
                ),
                old_personal.get(person.pk),
            )
        )
    for section in sections:
        plans.append(
            (
                Filing(campaign=campaign, kind=Filing.Kind.SECTION, section=section),
                old_section.get(section.pk),
            )
        )
    if not have_unit:
        plans.append((Filing(campaign=campaign, kind=Filing.Kind.UNIT), old_unit))
    bulk_create_with_history(
        [filing for filing, _source in plans],
        Filing,
        default_user=by,
        default_change_reason=_("从上一年度带入"),
    )

    carried = [
        (filing, source)
        for filing, source in plans
        if source is not None and source.risk_points.all()
    ]
    CarriedFiling.objects.bulk_create(
        CarriedFiling(filing=filing, source=source) for filing, source in carried
    )

    new_points, sources = [], []
    for filing, source in carried:
        for old_point in source.risk_points.all():
            power = copier.power(old_point.power)
            old_steps = list(old_point.power.steps.all()) if old_point.power_id else []
            grade = old_point.final_grade or old_point.reviewed_grade or old_point.self_grade
            point = RiskPoint(
                filing=filing,
                campaign=campaign,
                position=old_point.position,
                category=copier.category(old_point.category),
                title=old_point.title,
                content=old_point.content,
                power=power,
                power_step=copier.step(power, old_point.power_step, old_steps),
                found_by=list(old_point.found_by or []),
                likelihood=old_point.likelihood,
                harm=old_point.harm,
                importance=old_point.importance,
                discretion=old_point.discretion,
                money=old_point.money,
                frequency=old_point.frequency,
                concealment=old_point.concealment,
                accountability=old_point.accountability,
                self_grade=_level_for(grade.rank if grade else None, copier.levels),
                library_entry_id=old_point.library_entry_id,
            )
            scoring.suggest_for(point, copier.settings, copier.levels)
            new_points.append(point)
            sources.append(old_point)
    reason = _("从上一年度带入")
    new_points = bulk_create_with_history(
        new_points, RiskPoint, default_user=by, default_change_reason=reason
    )
    CarriedPoint.objects.bulk_create(
        CarriedPoint(point=point, source=source)
        for point, source in zip(new_points, sources, strict=True)
    )
    new_measures = [
        Measure(
            risk_point=point,
            line=measure.line,
            position=measure.position,
            text=measure.text,
            owner_id=copier.measure_owner(measure.owner_id),
            indicator=measure.indicator,
        )
        for point, source in zip(new_points, sources, strict=True)
        for measure in source.measures.all()
    ]
    bulk_create_with_history(new_measures, Measure, default_user=by, default_change_reason=reason)

    left = sorted({owner for owner in old_personal if owner not in copier.people})
    counts = {
        "filings": len(plans),
        "carried": len(carried),
        "points": len(new_points),
        "measures": len(new_measures),
        "newcomers": sum(
            1 for filing, source in plans if filing.kind == Filing.Kind.PERSONAL and source is None
        ),
        "left": len(left),
    }
    record(
        campaign,
        by,
        "acceptance.filings_carried_over",
        _(
            "从“%(previous)s”带入登记表 %(carried)d 份（风险点 %(points)d 个、防控措施 %(measures)d 项），"
            "新进人员空白登记表 %(newcomers)d 份，不再在岗的 %(left)d 人未带入"
        )
        % {"previous": previous.title, **counts},
    )
    return counts


def carried_pending(filing) -> bool:
    """A filing carried over from last year that its owner has not yet
    confirmed or changed (never saved, never submitted)."""
    return (
        filing.status == Filing.Status.DRAFT
        and filing.version == 0
        and CarriedFiling.objects.filter(filing=filing).exists()
    )


def run_carry_over(previous, campaign, by):
    """The ``campaign_created`` receiver's work: a failure is logged, and the
    campaign is still created (the office can fill the filings by hand)."""
    try:
        with transaction.atomic():
            return carry_over_filings(previous, campaign, by)
    except ReviewError:
        logger.exception("carrying the filings over from campaign %s failed", previous.pk)
        return None
