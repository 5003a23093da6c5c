"""State changes of a campaign's plan: creating it, its leading group,
stages, milestones and mobilisation. Views call these; they never save
campaign objects themselves.

Each one first takes :func:`lock_open` (the campaign's row, locked and
checked open), then any other row's lock: the apps above campaign use the
same helper in their own services.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_users_with_perms, remove_perm

from accounts.models import Section, User
from accounts.roles import GROUP_NAMES, Role

from . import defaults, progress
from .approvals import ReviewError, reassign_open_steps
from .audit import record
from .models import (
    Campaign,
    ChainStep,
    ChainTemplate,
    GradeLevel,
    LeadingGroupMember,
    Milestone,
    RiskCategory,
    Stage,
    StepRole,
    StudyConfirmation,
    StudyMaterial,
    lock_open,
)
from .signals import campaign_created, stage_completed, stage_started

ADMINISTER = "administer_campaign"

# The review roles the leading group's seats decide.
SEAT_ROLES = (StepRole.OFFICE, StepRole.LEADING_GROUP)

__all__ = [
    "OpenWorkRemains",
    "close_campaign",
    "complete_stage",
    "confirm_study",
    "create_campaign",
    "lock_open",
    "participation",
    "remove_leading_group_member",
    "save_leading_group_member",
    "set_milestone_done",
    "start_stage",
    "sync_office_permissions",
]


class OpenWorkRemains(ReviewError):
    """Completing a stage with open work needs a written reason."""

    def __init__(self, items):
        self.items = items
        super().__init__(_("本阶段还有未完成的工作，请填写未完成原因后再完成本阶段。"))


@transaction.atomic
def create_campaign(*, unit, by, title, year, starts_on, previous=None, **fields) -> Campaign:
    """The wizard's work: a draft campaign with its seven stages laid out.

    Stage dates follow the template in ``defaults``; milestones carry their
    usual tasks. Categories, chains and the leading group are copied from
    ``previous`` when given, else taken from the defaults.
    """
    campaign = Campaign.objects.create(
        unit=unit,
        title=title,
        year=year,
        starts_on=starts_on,
        previous=previous,
        created_by=by,
        supervision_phone=fields.pop("supervision_phone", "") or unit.supervision_phone,
        **fields,
    )
    GradeLevel.objects.bulk_create(
        GradeLevel(campaign=campaign, rank=rank, label=label, colour=colour, tier=tier)
        for rank, label, colour, tier in defaults.GRADE_SCHEMES[campaign.grading_scheme]
    )
    _lay_out_stages(campaign)
    if previous is not None:
        _copy_setup(previous, campaign)
        _seat_creator(campaign, by)
    else:
        RiskCategory.objects.bulk_create(
            RiskCategory(campaign=campaign, name=str(name), description=str(text), display_order=i)
            for i, (name, text) in enumerate(defaults.RISK_CATEGORIES, start=1)
        )
        for (subject, rank), roles in defaults.CHAINS.items():
            _make_chain(campaign, subject, rank, roles)
        _default_leading_group(campaign, by)
    sync_office_permissions(campaign)
    record(campaign, by, "campaign.created", _("创建活动“%(title)s”") % {"title": title})
    # Receivers (e.g. the catalogue carried over from ``previous``) run in this
    # transaction: a campaign is created with all its parts or not at all.
    campaign_created.send(sender=Campaign, campaign=campaign, previous=previous, by=by)
    return campaign


def _lay_out_stages(campaign):
    start = campaign.starts_on
    for kind, (first, last, description, milestones) in defaults.STAGES.items():
        stage = Stage.objects.create(
            campaign=campaign,
            kind=kind,
            starts_on=start + timedelta(days=first),
            due_on=start + timedelta(days=last),
            description=str(description),
        )
        Milestone.objects.bulk_create(
            Milestone(
                stage=stage,
                title=str(title),
                due_on=start + timedelta(days=offset),
                responsible=responsible,
                display_order=i,
            )
            for i, (offset, title, responsible) in enumerate(milestones, start=1)
        )


def _make_chain(campaign, subject, rank, roles):
    chain = ChainTemplate.objects.create(campaign=campaign, subject=subject, filer_rank=rank)
    ChainStep.objects.bulk_create(
        ChainStep(template=chain, position=i, role=role) for i, role in enumerate(roles, start=1)
    )
    return chain


def _copy_setup(previous, campaign):
    RiskCategory.objects.bulk_create(
        RiskCategory(
            campaign=campaign, name=c.name, description=c.description, display_order=c.display_order
        )
        for c in previous.risk_categories.all()
    )
    for chain in previous.chains.prefetch_related("steps"):
        _make_chain(campaign, chain.subject, chain.filer_rank, [s.role for s in chain.steps.all()])
    LeadingGroupMember.objects.bulk_create(
        LeadingGroupMember(
            campaign=campaign,
            person_id=m.person_id,
            role=m.role,
            duty=m.duty,
            display_order=m.display_order,
        )
        for m in previous.leading_group.filter(person__is_active=True)
    )


def _seat_creator(campaign, by):
    """Whoever creates a campaign runs it: a copied leading group that lacks
    the creator would lock them out of their own draft."""
    if campaign.leading_group.filter(person=by).exists():
        return
    has_head = campaign.leading_group.filter(role=LeadingGroupMember.Role.OFFICE_HEAD).exists()
    LeadingGroupMember.objects.create(
        campaign=campaign,
        person=by,
        role=LeadingGroupMember.Role.OFFICE_MEMBER
        if has_head
        else LeadingGroupMember.Role.OFFICE_HEAD,
        display_order=campaign.leading_group.count() + 1,
    )


def _default_leading_group(campaign, by):
    """The creator heads the office; the unit's standing office joins it."""
    seats = {by.pk: LeadingGroupMember.Role.OFFICE_HEAD}
    office = User.objects.filter(
        unit=campaign.unit,
        is_active=True,
        groups__name__in=[GROUP_NAMES[Role.OFFICE], GROUP_NAMES[Role.OFFICE_HEAD]],
    ).distinct()
    for person in office:
        seats.setdefault(person.pk, LeadingGroupMember.Role.OFFICE_MEMBER)
    LeadingGroupMember.objects.bulk_create(
        LeadingGroupMember(campaign=campaign, person_id=pk, role=role, display_order=i)
        for i, (pk, role) in enumerate(seats.items(), start=1)
    )


def sync_office_permissions(campaign):
    """Office seats of this campaign, and only they, administer it."""
    wanted = set(
        campaign.leading_group.filter(role__in=LeadingGroupMember.OFFICE_ROLES).values_list(
            "person_id", flat=True
        )
    )
    holders = get_users_with_perms(
        campaign, only_with_perms_in=[ADMINISTER], with_superusers=False, with_group_users=False
    )
    current = {person.pk: person for person in holders}
    for pk in wanted - set(current):
        assign_perm(ADMINISTER, User.objects.get(pk=pk), campaign)
    for pk in set(current) - wanted:
        remove_perm(ADMINISTER, current[pk], campaign)


@transaction.atomic
def save_leading_group_member(campaign, by, *, person, role, duty="", display_order=0, member=None):
    """Seat ``person`` (or change ``member``'s seat); open review steps of the
    office and the leading group follow the change."""
    campaign = lock_open(campaign)
    before = None
    if member is None:
        member = LeadingGroupMember(campaign=campaign)
    else:
        before = (
            LeadingGroupMember.objects.filter(pk=member.pk).values_list("person_id", "role").first()
        )
    member.person, member.role, member.duty, member.display_order = (
        person,
        role,
        duty,
        display_order,
    )
    member.save()
    sync_office_permissions(campaign)
    record(
        campaign,
        by,
        "leading_group.saved",
        _("领导小组：%(person)s 任 %(role)s")
        % {"person": person, "role": member.get_role_display()},
    )
    if before != (member.person_id, member.role):
        # Whoever gave up the seat loses the steps they were delegated too.
        left = {before[0]} if before and before[0] != member.person_id else set()
        reassign_open_steps(campaign, roles=SEAT_ROLES, removed=left, by=by)
    return member


@transaction.atomic
def remove_leading_group_member(member, by):
    """Unseat ``member``: they lose the open review steps their seat gave them
    (and those delegated to them), the others holding the role keep theirs."""
    campaign = lock_open(member.campaign_id)
    if member.person_id == by.pk and member.is_office:
        raise ReviewError(_("不能移除自己在办公室的职务，请由其他办公室成员操作。"))
    person = member.person
    member.delete()
    sync_office_permissions(campaign)
    record(
        campaign,
        by,
        "leading_group.removed",
        _("领导小组：移除 %(person)s") % {"person": person},
    )
    reassign_open_steps(campaign, roles=SEAT_ROLES, removed={person.pk}, by=by)


def _campaign_of(model, pk, path):
    """The id of the campaign a row belongs to (read without a lock, to take
    the campaign's lock before the row's)."""
    campaign_id = model.objects.filter(pk=pk).values_list(path, flat=True).first()
    if campaign_id is None:
        raise model.DoesNotExist
    return campaign_id


@transaction.atomic
def start_stage(stage_id, by) -> Stage:
    campaign = lock_open(_campaign_of(Stage, stage_id, "campaign_id"))
    stage = Stage.objects.select_for_update(of=("self",)).get(pk=stage_id)
    stage.campaign = campaign
    if stage.status != Stage.Status.PENDING:
        raise ReviewError(_("“%(stage)s”阶段不是未开始状态。") % {"stage": stage})
    earlier = campaign.stages.filter(position__lt=stage.position).exclude(status=Stage.Status.DONE)
    if earlier.exists():
        raise ReviewError(
            _("请先完成之前的阶段：%(names)s。") % {"names": "、".join(str(s) for s in earlier)}
        )
    stage.status = Stage.Status.ACTIVE
    stage.started_at = timezone.now()
    stage.save(update_fields=["status", "started_at"])
    if campaign.status == Campaign.Status.DRAFT:
        campaign.status = Campaign.Status.RUNNING
        campaign.save(update_fields=["status"])
    record(campaign, by, "stage.started", _("开始“%(stage)s”阶段") % {"stage": stage}, target=stage)
    stage_started.send(sender=Stage, stage=stage, by=by)
    return stage


@transaction.atomic
def complete_stage(stage_id, by, *, reason="") -> Stage:
    campaign = lock_open(_campaign_of(Stage, stage_id, "campaign_id"))
    stage = Stage.objects.select_for_update(of=("self",)).get(pk=stage_id)
    stage.campaign = campaign
    if stage.status != Stage.Status.ACTIVE:
        raise ReviewError(_("只能完成进行中的阶段。"))
    remaining = progress.open_work(stage)
    reason = reason.strip()
    if remaining and not reason:
        raise OpenWorkRemains(remaining)
    stage.status = Stage.Status.DONE
    stage.completed_at = timezone.now()
    stage.completion_reason = reason
    stage.save(update_fields=["status", "completed_at", "completion_reason"])
    detail = "；".join(f"{item.label}：{item.count}" for item in remaining)
    if reason:
        detail = f"{detail}\n{_('原因')}：{reason}" if detail else reason
    record(
        campaign,
        by,
        "stage.completed",
        _("完成“%(stage)s”阶段") % {"stage": stage},
        target=stage,
        detail=detail,
    )
    stage_completed.send(sender=Stage, stage=stage, by=by)
    return stage


@transaction.atomic
def set_milestone_done(milestone_id, by, done=True) -> Milestone:
    campaign = lock_open(_campaign_of(Milestone, milestone_id, "stage__campaign_id"))
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("stage")
        .get(pk=milestone_id)
    )
    milestone.stage.campaign = campaign
    milestone.done = done
    milestone.done_at = timezone.now() if done else None
    milestone.done_by = by if done else None
    milestone.save(update_fields=["done", "done_at", "done_by"])
    verb = _("完成") if done else _("重新打开")
    record(campaign, by, "milestone.updated", f"{verb}：{milestone.title}", target=milestone)
    return milestone


@transaction.atomic
def close_campaign(campaign_id, by) -> Campaign:
    campaign = lock_open(campaign_id)
    unfinished = campaign.stages.exclude(status=Stage.Status.DONE)
    if unfinished.exists():
        raise ReviewError(
            _("还有未完成的阶段：%(names)s。") % {"names": "、".join(str(s) for s in unfinished)}
        )
    campaign.status = Campaign.Status.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    record(campaign, by, "campaign.closed", _("活动结束并锁定"))
    return campaign


@transaction.atomic
def confirm_study(material: StudyMaterial, person) -> bool:
    """Record that ``person`` has studied ``material``; True if newly confirmed."""
    material.campaign = lock_open(material.campaign_id)
    if person.unit_id != material.campaign.unit_id:
        raise ReviewError(_("只有本单位人员可以确认学习。"))
    _confirmation, created = StudyConfirmation.objects.get_or_create(
        material=material, person=person
    )
    return created


def participation(campaign):
    """Per section: active people, and how many confirmed every required material.

    One query whatever the unit's size. Each row also carries ``required``,
    the number of required materials (the rate is None while there are none).
    """
    required = StudyMaterial.objects.filter(campaign=campaign, required=True)
    required_count = Subquery(
        required.order_by().values("campaign").annotate(n=Count("pk")).values("n")[:1]
    )
    # People who confirmed every required material.
    finished = (
        User.objects.filter(unit=campaign.unit, is_active=True)
        .annotate(
            studied=Count(
                "study_confirmations",
                filter=Q(study_confirmations__material__in=required.values("pk")),
            )
        )
        .filter(studied=required_count)
        .values("pk")
    )
    active = Q(members__is_active=True)
    sections = (
        Section.objects.filter(unit=campaign.unit, is_active=True)
        .annotate(
            total=Count("members", filter=active),
            confirmed=Count("members", filter=active & Q(members__in=finished)),
            required=Coalesce(required_count, 0),
        )
        .order_by("display_order", "pk")
    )
    rows = []
    for section in sections:
        confirmed = section.confirmed if section.required else 0
        rows.append(
            {
                "section": section,
                "total": section.total,
                "confirmed": confirmed,
                "rate": (confirmed / section.total) if section.total and section.required else None,
                "required": section.required,
            }
        )
    return rows
