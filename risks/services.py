"""State changes of filings: creating them, saving drafts, submitting with
the pledge, grading at each review step, revisions.

Reviews move through ``campaign.approvals``; the Filing model's review hooks
call the functions at the bottom of this module.
"""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Section, User
from campaign import approvals
from campaign.approvals import ReviewError
from campaign.audit import record
from campaign.models import FilerRank, GradeLevel, LeadingGroupMember, Review, ReviewStep, Subject

from . import scoring
from .access import may_edit
from .defaults import PLEDGES
from .models import Filing, Measure, PledgeTemplate, RiskPoint

SUBJECT_OF_KIND = {
    Filing.Kind.PERSONAL: Subject.PERSONAL,
    Filing.Kind.SECTION: Subject.SECTION,
    Filing.Kind.UNIT: Subject.UNIT,
}


class StaleEdit(ReviewError):
    """Someone saved the filing after this copy of the form was opened."""

    def __init__(self, filing):
        super().__init__(
            _(
                "保存失败：%(who)s 在您打开本页之后修改过这份登记表。您填写的内容仍保留在下方，"
                "请复制需要的内容后刷新页面再修改。"
            )
            % {"who": _last_editor(filing) or _("其他人")},
            code="stale",
        )


def _last_editor(filing):
    latest = filing.history.select_related("history_user").first()
    return latest.history_user if latest is not None else None


# Creating filings ---------------------------------------------------------


def filers_of(campaign):
    """Everybody who files a personal form: active staff of the unit in a
    section, and the leadership team (who belong to no section)."""
    return User.objects.filter(unit=campaign.unit, is_active=True).filter(
        Q(section__isnull=False) | Q(rank=User.Rank.LEADER)
    )


@transaction.atomic
def ensure_filings(campaign) -> int:
    """A filing for every active person and section, and one for the unit.

    Run when the find-risks stage starts, so "who has not filed" is a query.
    Safe to run again: existing filings are kept (people who joined since get
    theirs). Returns how many were created.
    """
    existing_people = set(
        Filing.objects.filter(campaign=campaign, kind=Filing.Kind.PERSONAL).values_list(
            "owner_id", flat=True
        )
    )
    existing_sections = set(
        Filing.objects.filter(campaign=campaign, kind=Filing.Kind.SECTION).values_list(
            "section_id", flat=True
        )
    )
    new = [
        Filing(
            campaign=campaign,
            kind=Filing.Kind.PERSONAL,
            owner=person,
            section_id=person.section_id,
            post_id=person.post_id,
            rank=person.rank,
        )
        for person in filers_of(campaign).exclude(pk__in=existing_people)
    ]
    new += [
        Filing(campaign=campaign, kind=Filing.Kind.SECTION, section=section)
        for section in Section.objects.filter(unit=campaign.unit, is_active=True).exclude(
            pk__in=existing_sections
        )
    ]
    if not Filing.objects.filter(campaign=campaign, kind=Filing.Kind.UNIT).exists():
        new.append(Filing(campaign=campaign, kind=Filing.Kind.UNIT))
    Filing.objects.bulk_create(new)
    return len(new)


# Saving drafts -------------------------------------------------------------


def levels_by_rank(campaign):
    return {level.rank: level for level in GradeLevel.objects.filter(campaign=campaign)}


def refresh_suggestions(filing, points=None):
    """Recompute each point's suggested grade from its factors."""
    settings = scoring.Settings.for_campaign(filing.campaign)
    levels = levels_by_rank(filing.campaign)
    points = list(points if points is not None else filing.risk_points.all())
    for point in points:
        scoring.suggest_for(point, settings, levels)
    RiskPoint.objects.bulk_update(points, ["suggested_grade", "suggestion_reason"])


@transaction.atomic
def save_draft(filing_id, by, *, expected_version: int, write: Callable[[Filing], None]) -> Filing:
    """Save the filing form: ``write(filing)`` stores the validated forms.

    Refuses a stale copy (the filing was saved since ``expected_version``),
    a filing under review or approved, and a closed campaign.
    """
    filing = (
        Filing.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=filing_id)
    )
    filing.campaign.ensure_open()
    if not may_edit(by, filing):
        raise ReviewError(_("您不能修改这份登记表。"))
    if not filing.is_editable:
        raise ReviewError(
            _("登记表%(status)s，不能修改。") % {"status": filing.get_status_display()}
        )
    if filing.version != expected_version:
        raise StaleEdit(filing)
    write(filing)
    refresh_suggestions(filing)
    filing.version += 1
    filing.started_at = filing.started_at or timezone.now()
    filing.save(update_fields=["version", "started_at", "updated_at"])
    return filing


# Submitting with the pledge ------------------------------------------------


def filer_rank(filing):
    if filing.kind == Filing.Kind.PERSONAL:
        return filing.rank or filing.owner.rank
    return FilerRank.ANY


def pledge_audience(filing):
    A = PledgeTemplate.Audience
    if filing.kind == Filing.Kind.SECTION:
        return A.SECTION
    if filing.kind == Filing.Kind.UNIT:
        return A.UNIT
    return {User.Rank.LEADER: A.LEADER, User.Rank.MIDDLE: A.MIDDLE}.get(
        filer_rank(filing), A.GENERAL
    )


def pledge_addressee(filing) -> str:
    """Whom the pledge is made to: staff → the section's leadership, middle
    cadres → their supervising leader, the leadership team → the party
    secretary (the leading group's head)."""
    audience = pledge_audience(filing)
    A = PledgeTemplate.Audience
    section = filing.section
    if audience == A.GENERAL and section is not None:
        head = section.head
        return _("科室负责人%(name)s") % {"name": head} if head else str(_("科室领导"))
    if audience in (A.MIDDLE, A.SECTION) and section is not None:
        leaders = "、".join(str(p) for p in section.supervising_leaders.all())
        return _("分管领导%(names)s") % {"names": leaders} if leaders else str(_("分管领导"))
    secretary = (
        LeadingGroupMember.objects.filter(
            campaign=filing.campaign, role=LeadingGroupMember.Role.LEADER
        )
        .select_related("person")
        .first()
    )
    if secretary is not None:
        return _("党委（党组）书记%(name)s") % {"name": secretary.person}
    return str(_("党委（党组）书记"))


def pledge_text(filing) -> str:
    """The campaign's template for this filer, then the filer's own points."""
    audience = pledge_audience(filing)
    template = PledgeTemplate.objects.filter(campaign=filing.campaign, audience=audience).first()
    text = template.text if template is not None else str(PLEDGES[audience])
    titles = [p.title for p in filing.risk_points.all()]
    if titles:
        text += "\n" + _("承诺重点防控以下风险点：%(points)s。") % {"points": "；".join(titles)}
    return text


def check_complete(filing):
    """What must be filled in before a filing can be submitted."""
    problems = []
    points = list(filing.risk_points.prefetch_related("measures"))
    if not points:
        problems.append(_("至少需要填写一个风险点。"))
    for number, point in enumerate(points, start=1):
        if point.self_grade_id is None:
            problems.append(
                _("第 %(n)d 个风险点“%(title)s”还没有自评等级。")
                % {"n": number, "title": point.title}
            )
        if not point.measures.all():
            problems.append(
                _("第 %(n)d 个风险点“%(title)s”还没有防控措施。")
                % {"n": number, "title": point.title}
            )
    if filing.kind == Filing.Kind.SECTION and filing.section_meeting_on is None:
        problems.append(_("科室登记表须填写科室集体研究的日期。"))
    return problems


@transaction.atomic
def submit_filing(filing_id, by, *, ip=None, section_meeting_on=None) -> Filing:
    """Sign the pledge and send the filing into its chain."""
    filing = (
        Filing.objects.select_for_update(of=("self",))
        .select_related("campaign", "owner", "section__head")
        .get(pk=filing_id)
    )
    filing.campaign.ensure_open()
    if not may_edit(by, filing):
        raise ReviewError(_("只有填报人本人可以提交这份登记表。"))
    if not filing.is_editable:
        raise ReviewError(
            _("登记表%(status)s，不能再次提交。") % {"status": filing.get_status_display()}
        )
    if section_meeting_on is not None:
        filing.section_meeting_on = section_meeting_on
    problems = check_complete(filing)
    if problems:
        raise ReviewError(problems)
    filing.pledge_text = pledge_text(filing)
    filing.pledge_addressee = pledge_addressee(filing)
    filing.pledge_signed_at = timezone.now()
    filing.pledge_ip = ip
    filing.started_at = filing.started_at or filing.pledge_signed_at
    filing.save(
        update_fields=[
            "pledge_text",
            "pledge_addressee",
            "pledge_signed_at",
            "pledge_ip",
            "section_meeting_on",
            "started_at",
            "updated_at",
        ]
    )
    approvals.submit(
        filing,
        campaign=filing.campaign,
        subject_kind=SUBJECT_OF_KIND[filing.kind],
        filer=by,
        section=filing.section,
        by=by,
        filer_rank=filer_rank(filing),
    )
    return filing


@transaction.atomic
def open_revision(filing_id, by) -> Filing:
    """Change an approved filing: it goes back to draft as a new revision.

    Field history (django-simple-history) and the earlier review rounds stay
    on record; the next submission goes through the whole chain again.
    """
    filing = (
        Filing.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=filing_id)
    )
    filing.campaign.ensure_open()
    if not may_edit(by, filing):
        raise ReviewError(_("您不能修订这份登记表。"))
    if filing.status != Filing.Status.APPROVED:
        raise ReviewError(_("只有已审定的登记表需要修订；当前状态可直接修改。"))
    filing.status = Filing.Status.DRAFT
    filing.revision += 1
    filing.version += 1
    filing.save(update_fields=["status", "revision", "version", "updated_at"])
    record(
        filing.campaign,
        by,
        "filing.revised",
        _("%(title)s 开始第 %(n)d 次修订") % {"title": filing.review_title(), "n": filing.revision},
        target=filing,
    )
    return filing


# Grading at review steps ---------------------------------------------------


def _baseline(point):
    """The grade a reviewer may not go below without a reason: the higher of
    the self grade and the suggested grade (就高不就低)."""
    candidates = [g for g in (point.self_grade, point.suggested_grade, point.reviewed_grade) if g]
    return min(candidates, key=lambda g: g.rank) if candidates else None


def apply_grades(filing, step, grades: dict, by):
    """Grades set at a review step: ``{point_id: (level, reason)}``.

    Non-final steps set the reviewed grade, final steps (leading group, party
    committee) the final grade. A point left out keeps the grade it has (the
    final step confirms it). Lowering below the baseline needs a reason.
    """
    points = list(
        filing.risk_points.select_related(
            "self_grade", "suggested_grade", "reviewed_grade", "final_grade"
        )
    )
    missing = []
    for point in points:
        level, reason = grades.get(point.pk, (None, ""))
        reason = (reason or "").strip()
        if level is None:
            if step.is_final and point.final_grade_id is None:
                point.final_grade = point.reviewed_grade or point.self_grade
            continue
        baseline = _baseline(point)
        if baseline is not None and level.rank > baseline.rank and not reason:
            missing.append(point.title)
        if step.is_final:
            point.final_grade, point.final_reason, point.final_by = level, reason, by
        else:
            point.reviewed_grade, point.reviewed_reason, point.reviewed_by = level, reason, by
    if missing:
        raise ReviewError(
            _("以下风险点的等级低于自评或建议等级，须说明理由（就高不就低）：%(titles)s")
            % {"titles": "、".join(missing)}
        )
    fields = (
        ["final_grade", "final_reason", "final_by"]
        if step.is_final
        else [
            "reviewed_grade",
            "reviewed_reason",
            "reviewed_by",
        ]
    )
    RiskPoint.objects.bulk_update(points, fields)


# Review hooks (called by campaign.approvals through Filing) ----------------


def on_submitted(filing, review):
    filing.status = Filing.Status.SUBMITTED
    filing.submitted_at = review.submitted_at
    filing.save(update_fields=["status", "submitted_at", "updated_at"])


def on_step_opened(filing, step):
    decided = step.review.steps.filter(round=step.round, status=ReviewStep.Status.APPROVED).exists()
    status = Filing.Status.IN_REVIEW if decided else Filing.Status.SUBMITTED
    if filing.status != status:
        filing.status = status
        filing.save(update_fields=["status", "updated_at"])


def on_step_approved(filing, step, user, data):
    apply_grades(filing, step, data.get("grades", {}), user)


def on_returned(filing, review, step):
    filing.status = Filing.Status.RETURNED
    filing.save(update_fields=["status", "updated_at"])


def on_approved(filing, review):
    filing.status = Filing.Status.APPROVED
    filing.approved_at = review.finished_at
    filing.save(update_fields=["status", "approved_at", "updated_at"])
    # Whatever was never graded at a final step keeps its best-known grade.
    for point in filing.risk_points.filter(final_grade__isnull=True).select_related(
        "reviewed_grade", "self_grade"
    ):
        point.final_grade = point.reviewed_grade or point.self_grade
        point.save(update_fields=["final_grade"])


def review_for(filing):
    return Review.objects.filter(
        subject_type__app_label="risks", subject_type__model="filing", subject_id=filing.pk
    ).first()


def measures_of(point):
    """A point's measures grouped by line of defence, in order."""
    grouped = {line: [] for line in Measure.Line.values}
    for measure in point.measures.all():
        grouped[measure.line].append(measure)
    return grouped
