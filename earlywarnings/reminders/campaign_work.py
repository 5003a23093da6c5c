"""The reminder jobs about the work of running campaigns: stage and
milestone deadlines (``deadlines``), review steps left waiting
(``reviewers``) and the risk measures falling due (``measures``).

They read the campaign and risks apps' rows and share the due/overdue rhythm
of :mod:`earlywarnings.reminders.outbox`.
"""

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, Section, User
from accounts.roles import GROUP_NAMES, Role
from accounts.services import Message
from campaign.models import Campaign, LeadingGroupMember, Milestone, ReviewStep, Stage, Subject
from risks.models import Measure

from ..models import WarningPolicy
from .outbox import (
    CHUNK_SIZE,
    MAX_MEASURES_LISTED,
    MAX_POINTS_LISTED,
    OVERDUE_REPEAT_DAYS,
    Outbox,
    _add_due,
    _due_filter,
    _due_kinds,
    _due_phase,
    _start_of,
    _url,
)

DEFAULT_REVIEWER_DAYS = WarningPolicy._meta.get_field("reviewer_waiting_days").default


# Deadlines: stages and milestones ---------------------------------------------------


def _people_by_unit(unit_ids, role):
    result = defaultdict(list)
    rows = User.objects.filter(
        unit_id__in=unit_ids, is_active=True, groups__name=GROUP_NAMES[role]
    ).values_list("unit_id", "pk")
    for unit_id, pk in rows.distinct():
        result[unit_id].append(pk)
    return result


def remind_deadlines(today, unit_id=None) -> Outbox:
    box = Outbox(
        today, _due_kinds("stage", "milestone"), today - timedelta(days=OVERDUE_REPEAT_DAYS)
    )
    campaigns = Campaign.objects.filter(status=Campaign.Status.RUNNING)
    if unit_id is not None:
        campaigns = campaigns.filter(unit_id=unit_id)
    stages = list(
        Stage.objects.filter(campaign__in=campaigns)
        .exclude(status=Stage.Status.DONE)
        .filter(_due_filter("due_on", today))
        .select_related("campaign")
    )
    milestones = list(
        Milestone.objects.filter(stage__campaign__in=campaigns, done=False)
        .exclude(stage__status=Stage.Status.DONE)
        .filter(_due_filter("due_on", today))
        .select_related("stage__campaign", "section")
    )
    if not stages and not milestones:
        return box.close()
    campaign_ids = {s.campaign_id for s in stages} | {m.stage.campaign_id for m in milestones}
    unit_ids = {s.campaign.unit_id for s in stages} | {m.stage.campaign.unit_id for m in milestones}
    office, group = defaultdict(list), defaultdict(list)
    seats = LeadingGroupMember.objects.filter(campaign_id__in=campaign_ids, person__is_active=True)
    for campaign_id, person_id, role in seats.values_list("campaign_id", "person_id", "role"):
        group[campaign_id].append(person_id)
        if role in LeadingGroupMember.OFFICE_ROLES:
            office[campaign_id].append(person_id)
    committee = _people_by_unit(unit_ids, Role.PARTY_COMMITTEE)
    heads, head_of = defaultdict(list), {}
    sections = Section.objects.filter(unit_id__in=unit_ids, is_active=True, head__is_active=True)
    for section_unit, section_id, head_id in sections.values_list("unit_id", "pk", "head_id"):
        heads[section_unit].append(head_id)
        head_of[section_id] = head_id
    staff = defaultdict(list)
    R = Milestone.Responsible
    everyone_units = {
        m.stage.campaign.unit_id
        for m in milestones
        if m.responsible == R.ALL_STAFF and _due_phase(m.due_on, today)[0] == "due"
    }
    if everyone_units:
        rows = User.objects.filter(unit_id__in=everyone_units, is_active=True).values_list(
            "unit_id", "pk"
        )
        for person_unit, pk in rows.iterator(chunk_size=CHUNK_SIZE):
            staff[person_unit].append(pk)

    for stage in stages:
        try:
            phase, days = _due_phase(stage.due_on, today)
            campaign = stage.campaign
            if phase == "due":
                title = _("阶段提醒：“%(stage)s”还有 %(days)d 天到期（%(date)s）")
            else:
                title = _("阶段逾期：“%(stage)s”已逾期 %(days)d 天（应于 %(date)s 完成）")
            title %= {
                "stage": stage.get_kind_display(),
                "days": days,
                "date": stage.due_on.isoformat(),
            }
            url = _url("campaign:plan", campaign.pk) or _url("campaign:detail", campaign.pk)
            for person_id in set(office[campaign.pk]):
                _add_due(
                    box,
                    "stage",
                    stage.pk,
                    person_id,
                    phase,
                    Message(person_id, Notification.Kind.DEADLINE, title, campaign.title, url),
                )
        except Exception as exc:  # one bad row must not stop the others
            box.error(exc, f"stage {stage.pk}")

    for milestone in milestones:
        try:
            phase, days = _due_phase(milestone.due_on, today)
            campaign = milestone.stage.campaign
            unit = campaign.unit_id
            responsible = {
                R.OFFICE: office[campaign.pk],
                R.LEADING_GROUP: group[campaign.pk],
                R.PARTY_COMMITTEE: committee[unit],
                R.SECTION_HEADS: heads[unit],
                R.ALL_STAFF: staff[unit] if phase == "due" else [],
                R.SECTION: [head_of[milestone.section_id]]
                if milestone.section_id in head_of
                else [],
            }[milestone.responsible]
            body = _("%(campaign)s · %(stage)s · 责任主体：%(who)s") % {
                "campaign": campaign.title,
                "stage": milestone.stage.get_kind_display(),
                "who": milestone.responsible_label(),
            }
            url = _url("campaign:detail", campaign.pk)
            values = {"title": milestone.title, "days": days, "date": milestone.due_on.isoformat()}
            if phase == "due":
                title = _("时间节点提醒：“%(title)s”还有 %(days)d 天到期（%(date)s）") % values
                for person_id in set(responsible):
                    _add_due(
                        box,
                        "milestone",
                        milestone.pk,
                        person_id,
                        phase,
                        Message(person_id, Notification.Kind.DEADLINE, title, body, url),
                    )
                continue
            # Overdue: the responsible people, and up the line to the heads of
            # the sections concerned and the campaign office.
            escalate = set(office[campaign.pk])
            if milestone.responsible == R.SECTION:
                escalate.update(responsible)
            elif milestone.responsible in (R.SECTION_HEADS, R.ALL_STAFF):
                escalate.update(heads[unit])
            own_title = (
                _("时间节点已逾期：“%(title)s”已逾期 %(days)d 天（应于 %(date)s 完成）") % values
            )
            escalated_title = (
                _("逾期督办：“%(title)s”已逾期 %(days)d 天（应于 %(date)s 完成）") % values
            )
            for person_id in set(responsible) | escalate:
                title = own_title if person_id in responsible else escalated_title
                _add_due(
                    box,
                    "milestone",
                    milestone.pk,
                    person_id,
                    phase,
                    Message(person_id, Notification.Kind.DEADLINE, title, body, url),
                )
        except Exception as exc:
            box.error(exc, f"milestone {milestone.pk}")
    return box.close()


# Reviewers with work waiting ------------------------------------------------------------


def remind_reviewers(today, unit_id=None) -> Outbox:
    policies = dict(WarningPolicy.objects.values_list("unit_id", "reviewer_waiting_days"))
    shortest = min([DEFAULT_REVIEWER_DAYS, *policies.values()])
    longest = max([DEFAULT_REVIEWER_DAYS, *policies.values()])
    box = Outbox(today, ["review.waiting"], today - timedelta(days=longest))
    steps = ReviewStep.objects.filter(
        status=ReviewStep.Status.OPEN,
        opened_at__lt=_start_of(today - timedelta(days=shortest - 1)),
        review__campaign__status=Campaign.Status.RUNNING,
    )
    if unit_id is not None:
        steps = steps.filter(review__campaign__unit_id=unit_id)
    waiting = {}
    rows = steps.values_list(
        "pk",
        "opened_at",
        "delegate_id",
        "delegate__is_active",
        "review__subject_kind",
        "review__filer__full_name",
        "review__section__name",
        "review__campaign__unit_id",
    )
    subjects = dict(Subject.choices)
    for (
        pk,
        opened_at,
        delegate_id,
        delegate_active,
        subject_kind,
        filer,
        section,
        step_unit,
    ) in rows.iterator(chunk_size=CHUNK_SIZE):
        period = policies.get(step_unit, DEFAULT_REVIEWER_DAYS)
        waited = (today - timezone.localdate(opened_at)).days
        if waited < period:
            continue
        period_day = timezone.localdate(opened_at) + timedelta(days=period * (waited // period))
        label = f"{subjects.get(subject_kind, subject_kind)}：{filer}" + (
            f"（{section}）" if section else ""
        )
        waiting[pk] = (label, waited, period, period_day, delegate_id if delegate_active else None)
    if not waiting:
        return box.close()
    per_person = defaultdict(list)
    links = ReviewStep.assignees.through.objects.filter(reviewstep__in=steps, user__is_active=True)
    for step_id, person_id in links.values_list("reviewstep_id", "user_id").iterator(
        chunk_size=CHUNK_SIZE
    ):
        if step_id in waiting:
            per_person[person_id].append(step_id)
    for step_id, (_label, _waited, _period, _day, delegate_id) in waiting.items():
        if delegate_id and step_id not in per_person[delegate_id]:
            per_person[delegate_id].append(step_id)
    url = _url("campaign:reviews") or _url("home")
    for person_id, step_ids in per_person.items():
        try:
            keys = [("review.waiting", s, person_id, waiting[s][3]) for s in step_ids]
            fresh = [s for s, key in zip(step_ids, keys, strict=True) if not box.was_sent(*key)]
            if not fresh:
                continue
            days = min(waiting[s][2] for s in fresh)
            lines = [
                _("· %(label)s，已等待 %(days)d 天")
                % {"label": waiting[s][0], "days": waiting[s][1]}
                for s in sorted(fresh, key=lambda s: -waiting[s][1])[:MAX_POINTS_LISTED]
            ]
            if len(fresh) > MAX_POINTS_LISTED:
                lines.append(_("…… 共 %(count)d 项") % {"count": len(fresh)})
            title = _("审核催办：您有 %(count)d 项审核已等待超过 %(days)d 天") % {
                "count": len(fresh),
                "days": days,
            }
            box.add(
                [("review.waiting", s, person_id, waiting[s][3]) for s in fresh],
                Message(person_id, Notification.Kind.REVIEW, title, "\n".join(lines), url),
            )
        except Exception as exc:
            box.error(exc, f"reviewer {person_id}")
    return box.close()


# Measures -----------------------------------------------------------------------------


def remind_measures(today, unit_id=None) -> Outbox:
    box = Outbox(today, _due_kinds("measure"), today - timedelta(days=OVERDUE_REPEAT_DAYS))
    measures = (
        Measure.objects.filter(
            owner__isnull=False,
            owner__is_active=True,
            risk_point__campaign__status=Campaign.Status.RUNNING,
        )
        .exclude(status=Measure.Status.DONE)
        .filter(_due_filter("due_on", today))
    )
    if unit_id is not None:
        measures = measures.filter(risk_point__campaign__unit_id=unit_id)
    rows = measures.values_list(
        "owner_id",
        "pk",
        "text",
        "due_on",
        "risk_point__title",
        "risk_point__filing_id",
        "risk_point__filing__owner_id",
    ).order_by("owner_id", "due_on", "pk")
    current, items = None, []
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        if row[0] != current:
            _measure_digest(box, current, items)
            current, items = row[0], []
        items.append(row)
    _measure_digest(box, current, items)
    return box.close()


def _measure_digest(box, owner_id, items):
    if owner_id is None or not items:
        return
    try:
        keys, due, late, url = [], [], [], ""
        for _owner, pk, text, due_on, point, filing_id, filing_owner in items:
            phase, days = _due_phase(due_on, box.today)
            kind = f"measure.{phase}"
            if phase == "overdue" and box.sent_within(kind, pk, owner_id, OVERDUE_REPEAT_DAYS):
                continue
            if box.was_sent(kind, pk, owner_id, box.today):
                continue
            keys.append((kind, pk, owner_id, box.today))
            line = _("· %(text)s（风险点：%(point)s；期限 %(date)s）") % {
                "text": text[:60],
                "point": point,
                "date": due_on.isoformat(),
            }
            (due if phase == "due" else late).append(line)
            if not url and filing_owner == owner_id:
                url = _url("risks:filing", filing_id)
        if not keys:
            return
        parts = []
        if late:
            parts.append(_("已逾期 %(count)d 项") % {"count": len(late)})
        if due:
            parts.append(_("7 日内到期 %(count)d 项") % {"count": len(due)})
        title = _("防控措施到期提醒：%(parts)s") % {"parts": "，".join(parts)}
        body = []
        if late:
            body += [_("已逾期："), *late[:MAX_MEASURES_LISTED]]
        if due:
            body += [_("即将到期："), *due[:MAX_MEASURES_LISTED]]
        box.add(keys, Message(owner_id, Notification.Kind.MEASURE, title, "\n".join(body), url))
    except Exception as exc:
        box.error(exc, f"measures of {owner_id}")
