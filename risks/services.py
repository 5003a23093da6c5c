"""State changes of filings: creating them, saving drafts, submitting with
the pledge, grading at each review step, revisions, reminding a section.

Reviews move through ``campaign.approvals``; the Filing model's review hooks
call the functions at the bottom of this module.

Every state change that starts here locks the campaign's row first
(:func:`campaign.services.lock_open`) and then the filing's, always in that order, so
a campaign closing meanwhile is seen and these changes cannot deadlock one
another. (The review hooks run inside ``campaign.approvals``, under its locks
and checks.) A uniqueness race the locks do not prevent (two requests
creating the same filing, or an import creating it meanwhile) is refused
with a message (:func:`campaign.approvals.refuse_races`), never a server error.
"""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, Section, User
from accounts.services import notify
from campaign import approvals
from campaign.approvals import ReviewError, refuse_races
from campaign.audit import record
from campaign.models import (
    AuditEntry,
    FilerRank,
    GradeLevel,
    LeadingGroupMember,
    Review,
    ReviewStep,
    Stage,
    Subject,
)
from campaign.services import lock_open

from . import scoring, states
from .access import may_edit, may_remind
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


class StaleSubmit(ReviewError):
    """The filing was saved after the submission page was opened: the pledge
    would cover risk points the signer has not seen."""

    def __init__(self, filing):
        super().__init__(
            _(
                "提交失败：%(who)s 在您打开提交页面之后修改过这份登记表。"
                "请查看登记表的最新内容，确认无误后重新签署承诺并提交。"
            )
            % {"who": _last_editor(filing) or _("其他人")},
            code="stale",
        )


def _last_editor(filing):
    latest = filing.history.select_related("history_user").first()
    return latest.history_user if latest is not None else None


# Locks and races -----------------------------------------------------------


def _lock_filing(filing_id, *related) -> Filing:
    """The filing, locked, after its campaign (locked and checked open)."""
    campaign_id = Filing.objects.filter(pk=filing_id).values_list("campaign_id", flat=True).first()
    if campaign_id is None:
        raise ReviewError(_("这份登记表已不存在，请刷新页面。"), code="gone")
    campaign = lock_open(campaign_id)
    filing = (
        Filing.objects.select_for_update(of=("self",)).select_related(*related).get(pk=filing_id)
    )
    filing.campaign = campaign
    return filing


# Creating filings ---------------------------------------------------------

# The history line of filings created later names at most this many people.
NAMES_RECORDED = 20


def filers_of(campaign):
    """Everybody who files a personal form: active staff of the unit in a
    section, and the leadership team (who belong to no section)."""
    return User.objects.filter(unit=campaign.unit, is_active=True).filter(
        Q(section__isnull=False) | Q(rank=User.Rank.LEADER)
    )


@refuse_races
@transaction.atomic
def ensure_filings(campaign, by=None) -> int:
    """A filing for every active person and section, and one for the unit.

    Run when the find-risks stage starts, so "who has not filed" is a query;
    run again (by the office, or when someone who joined since opens "my
    filing") to give newcomers theirs: existing filings are kept. Returns how
    many were created; with ``by``, a history line records them.
    """
    campaign = lock_open(campaign.pk)
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
    if new and by is not None:
        people = [str(f.owner) for f in new if f.kind == Filing.Kind.PERSONAL]
        names = "、".join(people[:NAMES_RECORDED]) or _("无")
        if len(people) > NAMES_RECORDED:
            names += _("等")
        record(
            campaign,
            by,
            "filing.created",
            _("补建登记表 %(n)d 份（个人 %(p)d 份：%(names)s）")
            % {"n": len(new), "p": len(people), "names": names},
        )
    return len(new)


def may_file_now(campaign, person) -> bool:
    """Whether ``person`` should have a personal filing now: they file one,
    and the find-risks stage is under way in an open campaign."""
    return (
        campaign is not None
        and not campaign.is_closed
        and campaign.stages.filter(kind=Stage.Kind.RISKS, status=Stage.Status.ACTIVE).exists()
        and filers_of(campaign).filter(pk=person.pk).exists()
    )


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


@refuse_races
@transaction.atomic
def save_draft(filing_id, by, *, expected_version: int, write: Callable[[Filing], None]) -> Filing:
    """Save the filing form: ``write(filing)`` stores the validated forms.

    Refuses a stale copy (the filing was saved since ``expected_version``),
    a filing under review or approved, and a closed campaign.
    """
    filing = _lock_filing(filing_id)
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


@refuse_races
@transaction.atomic
def submit_filing(
    filing_id, by, *, ip=None, section_meeting_on=None, expected_version: int | None = None
) -> Filing:
    """Sign the pledge and send the filing into its chain.

    ``expected_version`` is the filing's version when the submission page
    was opened (its hidden field): a filing saved since is refused
    (:class:`StaleSubmit`), as the pledge quotes its risk points.
    """
    filing = _lock_filing(filing_id, "owner", "section__head")
    if not may_edit(by, filing):
        raise ReviewError(_("只有填报人本人可以提交这份登记表。"))
    if not filing.is_editable:
        raise ReviewError(
            _("登记表%(status)s，不能再次提交。") % {"status": filing.get_status_display()}
        )
    if expected_version is not None and filing.version != expected_version:
        raise StaleSubmit(filing)
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


@refuse_races
@transaction.atomic
def open_revision(filing_id, by) -> Filing:
    """Change an approved filing: it goes back to draft as a new revision.

    Field history (django-simple-history) and the earlier review rounds stay
    on record; the next submission goes through the whole chain again.
    """
    filing = _lock_filing(filing_id)
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


# Reminding a section ----------------------------------------------------------

REMINDED = "filing.reminded"


def _today_start():
    now = timezone.localtime()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def reminded_today(campaign, filings) -> set:
    """Ids of the filings among ``filings`` whose owner was reminded today."""
    ids = [f.pk for f in filings]
    if not ids:
        return set()
    return set(
        AuditEntry.objects.filter(
            campaign=campaign,
            action=REMINDED,
            target_type__app_label="risks",
            target_type__model="filing",
            target_id__in=ids,
            at__gte=_today_start(),
        ).values_list("target_id", flat=True)
    )


@refuse_races
@transaction.atomic
def remind_section(campaign, section, by):
    """Notify the section's people whose personal filing is not handed in.

    Returns the filings reminded now, ``[]`` when all of them were already
    reminded today, ``None`` when nobody is behind. Each reminder is a line
    in the campaign's history against the filing, which is also how a second
    reminder on the same day is recognised. Refused to anyone but the
    section's head, its supervising leaders and the office, and in a closed
    campaign.
    """
    campaign = lock_open(campaign.pk)
    if not may_remind(by, campaign, section):
        raise ReviewError(_("只有科室负责人、分管领导和领导小组办公室可以发送提醒。"))
    # Lock the section's filings so two clicks at once cannot both send.
    behind = list(
        Filing.objects.select_for_update(of=("self",))
        .filter(
            campaign=campaign,
            kind=Filing.Kind.PERSONAL,
            owner__section=section,
            owner__is_active=True,
            status__in=states.BEHIND_STATUSES,
        )
        .select_related("owner")
        .order_by("owner__rank", "owner__employee_no", "pk")
    )
    if not behind:
        return None
    reminded = reminded_today(campaign, behind)
    due = campaign.stages.filter(kind=Stage.Kind.RISKS).values_list("due_on", flat=True).first()
    sent = []
    for filing in behind:
        if filing.pk in reminded:
            continue
        body = _(
            "%(who)s提醒：您在“%(campaign)s”中的个人岗位风险点登记表%(state)s，请尽快填写并提交。"
        ) % {
            "who": by,
            "campaign": campaign,
            "state": states.state_of(filing).label,
        }
        if due:
            body += _("查找风险阶段截止日期：%(date)s。") % {"date": due.isoformat()}
        notify(
            [filing.owner],
            Notification.Kind.DEADLINE,
            _("请尽快提交个人岗位风险点登记表"),
            body,
            filing.get_absolute_url(),
        )
        record(
            campaign,
            by,
            REMINDED,
            _("%(who)s 提醒 %(owner)s（%(section)s）提交个人登记表")
            % {"who": by, "owner": filing.owner, "section": section},
            target=filing,
        )
        sent.append(filing)
    return sent


# Grading at review steps ---------------------------------------------------


def baseline(point, *, final: bool = False):
    """The grade a reviewer may not go below without a reason (就高不就低):
    the highest of the self grade, the suggested grade and the grade of an
    earlier review step, and, at a step that sets the final grade (``final``:
    leading group, party committee), the final grade set before it. A lower
    rank is a higher grade."""
    grades = [point.self_grade, point.suggested_grade, point.reviewed_grade]
    if final:
        grades.append(point.final_grade)
    candidates = [g for g in grades if g]
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
        floor = baseline(point, final=step.is_final)
        if floor is not None and level.rank > floor.rank and not reason:
            missing.append(point.title)
        if step.is_final:
            point.final_grade, point.final_reason, point.final_by = level, reason, by
        else:
            point.reviewed_grade, point.reviewed_reason, point.reviewed_by = level, reason, by
    if missing:
        raise ReviewError(
            _(
                "以下风险点的等级低于自评、建议或此前审核评定的等级，"
                "须说明理由（就高不就低）：%(titles)s"
            )
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
