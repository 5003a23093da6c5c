"""The approval-chain engine: submit, approve, return, delegate.

A reviewed thing (the *subject*: a catalogue, a filing) calls :func:`submit`;
reviewers call :func:`approve` or :func:`return_for_changes` on the open step;
the office may :func:`delegate` an open step. Every change runs in one
transaction with the step row locked, so of two reviewers acting on the same
step at once exactly one succeeds and the other is told who was first.

Subjects take part through optional hooks, called inside the transaction:

* ``on_review_submitted(review)``
* ``on_review_step_opened(step)``
* ``on_review_step_approved(step, user, data)`` — ``data`` is what the view passed
  (e.g. grades set at this step); raise ``ReviewError`` to refuse.
* ``on_review_returned(review, step)``
* ``on_review_approved(review)``

and a ``review_title()`` and ``get_absolute_url()`` for messages and links.

Locks are taken in one order: the campaign's row (:func:`lock_open`), then
the subject's (by the caller), then the step's. A uniqueness race the locks
cannot prevent (two first submissions of one thing, which have no row to
lock yet) is refused with a message, never a server error.

When the people holding a role change (the leading group, a section's head
or supervising leaders), :func:`reassign_open_steps` moves the open steps to
the people who hold it now.
"""

import logging
from collections import defaultdict
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Q, prefetch_related_objects
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import assign_perm, get_user_perms, remove_perm

from accounts.models import Notification
from accounts.roles import GROUP_NAMES, Role
from accounts.services import notify

from .access import may_administer
from .audit import record
from .models import (
    Campaign,
    ChainTemplate,
    FilerRank,
    LeadingGroupMember,
    Review,
    ReviewStep,
    StepRole,
    lock_open,
)

logger = logging.getLogger(__name__)

ACT = "act_on_reviewstep"
ACT_PERM = f"campaign.{ACT}"


class ReviewError(ValidationError):
    """A refused action, with a message fit to show the person."""


def refuse_races(func):
    """Turn a uniqueness race (two requests creating the same row at once)
    into a refusal with a message. Outside the service's own transaction, so
    the failed one has been rolled back (to its savepoint when nested)."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except IntegrityError as exc:
            logger.warning("%s refused after a race: %s", func.__name__, exc)
            raise ReviewError(
                _("其他人同时进行了同样的操作，本次操作没有完成。请刷新页面查看最新情况后再试。"),
                code="race",
            ) from exc

    return wrapper


def chain_for(campaign, subject_kind, filer_rank) -> ChainTemplate:
    """The campaign's chain for this kind of subject and filer's rank."""
    chains = {
        chain.filer_rank: chain
        for chain in ChainTemplate.objects.filter(campaign=campaign, subject=subject_kind)
    }
    chain = chains.get(filer_rank) or chains.get(FilerRank.ANY)
    if chain is None:
        raise ReviewError(_("本次活动尚未设置该类审核流程，请联系领导小组办公室。"))
    return chain


def resolve(role, campaign, filer, section):
    """The people who hold ``role`` for this filer and section, right now."""
    User = get_user_model()
    people = User.objects.filter(is_active=True)
    if role == StepRole.SECTION_HEAD:
        return people.filter(headed_sections=section) if section else people.none()
    if role == StepRole.SUPERVISING_LEADER:
        return people.filter(supervised_sections=section) if section else people.none()
    if role == StepRole.OFFICE:
        return people.filter(
            leading_group_seats__campaign=campaign,
            leading_group_seats__role__in=LeadingGroupMember.OFFICE_ROLES,
        )
    if role == StepRole.LEADING_GROUP:
        # The leading group decides together; its leader, deputies and office
        # record the decision.
        return people.filter(
            leading_group_seats__campaign=campaign,
            leading_group_seats__role__in=[
                LeadingGroupMember.Role.LEADER,
                LeadingGroupMember.Role.DEPUTY,
                *LeadingGroupMember.OFFICE_ROLES,
            ],
        )
    if role == StepRole.PARTY_COMMITTEE:
        return people.filter(groups__name=GROUP_NAMES[Role.PARTY_COMMITTEE], unit=campaign.unit)
    raise ValueError(role)


def _subject_hook(subject, name, *args):
    hook = getattr(subject, name, None)
    if hook is not None:
        hook(*args)


def _title(review):
    subject = review.subject
    return subject.review_title() if hasattr(subject, "review_title") else str(subject)


def _url(review):
    subject = review.subject
    return subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""


def _close_permissions(step):
    # One delete for every holder (guardian's bulk form), not one per person.
    holders = list(step.assignees.all())
    if step.delegate_id:
        holders.append(step.delegate)
    remove_perm(ACT, holders, step)


def _notify_reviewers(review, step, people):
    notify(
        people,
        Notification.Kind.REVIEW,
        _("%(title)s 等待您审核") % {"title": _title(review)},
        _("审核环节：%(role)s") % {"role": step.get_role_display()},
        _url(review),
    )


def _reviewers(review, people):
    """Who reviews a step of ``review``: the role's holders but the filer."""
    return [p for p in people if p.pk != review.filer_id]


def _open(review, step):
    """Open ``step``: resolve its people and grant them the right to act.

    A step nobody holds, or only the filer holds (no one approves their own
    form), is skipped with a note, and the next one opens.
    """
    people = list(resolve(step.role, review.campaign, review.filer, review.section).distinct())
    reviewers = _reviewers(review, people)
    now = timezone.now()
    if not reviewers:
        step.status = ReviewStep.Status.SKIPPED
        step.opened_at = step.decided_at = now
        step.note = (
            _("提交人本人即为该环节审核人，自动跳过")
            if people
            else _("该环节当前无人担任，自动跳过")
        )
        step.save(update_fields=["status", "opened_at", "decided_at", "note"])
        return _advance(review, step)
    step.status = ReviewStep.Status.OPEN
    step.opened_at = now
    step.save(update_fields=["status", "opened_at"])
    step.assignees.set(reviewers)
    # One insert for all of them (guardian's bulk form).
    assign_perm(ACT, reviewers, step)
    review.current_position = step.position
    review.save(update_fields=["current_position"])
    _subject_hook(review.subject, "on_review_step_opened", step)
    _notify_reviewers(review, step, reviewers)
    return step


def _advance(review, after):
    following = (
        review.steps.filter(round=review.round, position__gt=after.position)
        .order_by("position")
        .first()
    )
    if following is not None:
        return _open(review, following)
    review.status = Review.Status.APPROVED
    review.current_position = None
    review.finished_at = timezone.now()
    review.save(update_fields=["status", "current_position", "finished_at"])
    _subject_hook(review.subject, "on_review_approved", review)
    record(
        review.campaign,
        None,
        "review.approved",
        _("%(title)s 审核通过") % {"title": _title(review)},
        target=review.subject,
    )
    notify(
        [review.filer],
        Notification.Kind.DECISION,
        _("%(title)s 已审核通过") % {"title": _title(review)},
        "",
        _url(review),
    )
    return None


@refuse_races
@transaction.atomic
def submit(
    subject, *, campaign, subject_kind, filer, section, by, filer_rank=FilerRank.ANY
) -> Review:
    """Send ``subject`` into its chain (first submission or resubmission).

    A resubmission starts again at the first review step: the steps of the
    earlier round stay on record.
    """
    lock_open(campaign)
    content_type = ContentType.objects.get_for_model(subject)
    review = (
        Review.objects.select_for_update()
        .filter(subject_type=content_type, subject_id=subject.pk)
        .first()
    )
    if review is not None and review.status == Review.Status.IN_REVIEW:
        raise ReviewError(_("已提交，正在审核中，不能重复提交。"))
    template = chain_for(campaign, subject_kind, filer_rank)
    roles = [step.role for step in template.steps.all()]
    if review is None:
        review = Review(
            campaign=campaign,
            subject_kind=subject_kind,
            subject_type=content_type,
            subject_id=subject.pk,
        )
    review.template = template
    review.filer = filer
    review.section = section
    review.status = Review.Status.IN_REVIEW
    review.round += 1
    review.submitted_at = timezone.now()
    review.finished_at = None
    review.current_position = None
    review.save()
    review.subject = subject  # the hooks see the caller's instance
    steps = ReviewStep.objects.bulk_create(
        [
            ReviewStep(review=review, round=review.round, position=position, role=role)
            for position, role in enumerate(roles, start=1)
        ]
    )
    _subject_hook(subject, "on_review_submitted", review)
    record(
        campaign,
        by,
        "review.submitted",
        _("%(who)s 提交了 %(title)s（第 %(round)d 次）")
        % {"who": by, "title": _title(review), "round": review.round},
        target=subject,
    )
    if steps:
        _open(review, steps[0])
    else:
        _advance(review, ReviewStep(position=0))
    return review


def may_act(user, step) -> bool:
    """Holds the explicit grant on this step (no superuser short cut)."""
    return user.is_authenticated and ACT in get_user_perms(user, step)


def _campaign_of_step(step_id) -> int:
    campaign_id = (
        ReviewStep.objects.filter(pk=step_id).values_list("review__campaign_id", flat=True).first()
    )
    if campaign_id is None:
        raise ReviewError(_("该审核环节不存在。"))
    return campaign_id


def _locked_open_step(step_id, user) -> ReviewStep:
    campaign = lock_open(_campaign_of_step(step_id))
    step = (
        ReviewStep.objects.select_for_update(of=("self",))
        .select_related("review", "decided_by")
        .filter(pk=step_id)
        .first()
    )
    if step is None:
        raise ReviewError(_("该审核环节不存在。"))
    step.review.campaign = campaign
    if step.status != ReviewStep.Status.OPEN:
        if step.decided_by_id:
            raise ReviewError(
                _("该环节已由 %(who)s 于 %(when)s 处理（%(what)s），无需重复操作。")
                % {
                    "who": step.decided_by,
                    "when": timezone.localtime(step.decided_at).strftime("%Y-%m-%d %H:%M"),
                    "what": step.get_status_display(),
                }
            )
        raise ReviewError(_("该环节当前不在待审核状态。"))
    if not may_act(user, step):
        raise PermissionDenied(_("您不是该环节的审核人。"))
    return step


def _decide(step, user, status, opinion, meeting_date=None):
    step.status = status
    step.decided_at = timezone.now()
    step.decided_by = user
    step.opinion = opinion
    step.meeting_date = meeting_date
    step.save(update_fields=["status", "decided_at", "decided_by", "opinion", "meeting_date"])
    _close_permissions(step)


@refuse_races
@transaction.atomic
def approve(step_id, user, *, opinion="", meeting_date=None, data=None) -> ReviewStep:
    step = _locked_open_step(step_id, user)
    if step.role == StepRole.PARTY_COMMITTEE and meeting_date is None:
        raise ReviewError(_("党委（党组）审核须填写会议日期。"))
    review = step.review
    _subject_hook(review.subject, "on_review_step_approved", step, user, data or {})
    _decide(step, user, ReviewStep.Status.APPROVED, opinion.strip(), meeting_date)
    record(
        review.campaign,
        user,
        "review.step_approved",
        _("%(who)s（%(role)s）同意 %(title)s")
        % {"who": user, "role": step.get_role_display(), "title": _title(review)},
        target=review.subject,
        detail=opinion,
    )
    _advance(review, step)
    return step


@refuse_races
@transaction.atomic
def return_for_changes(step_id, user, *, reason) -> ReviewStep:
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("退回时必须填写退回理由。"))
    step = _locked_open_step(step_id, user)
    review = step.review
    _decide(step, user, ReviewStep.Status.RETURNED, reason)
    review.status = Review.Status.RETURNED
    review.current_position = None
    review.finished_at = timezone.now()
    review.save(update_fields=["status", "current_position", "finished_at"])
    # Later steps of this round never open.
    review.steps.filter(round=review.round, status=ReviewStep.Status.WAITING).update(
        status=ReviewStep.Status.SKIPPED, note=_("已退回，本轮未到达")
    )
    _subject_hook(review.subject, "on_review_returned", review, step)
    record(
        review.campaign,
        user,
        "review.returned",
        _("%(who)s（%(role)s）退回 %(title)s")
        % {"who": user, "role": step.get_role_display(), "title": _title(review)},
        target=review.subject,
        detail=reason,
    )
    notify(
        [review.filer],
        Notification.Kind.DECISION,
        _("%(title)s 被退回修改") % {"title": _title(review)},
        _("退回理由：%(reason)s") % {"reason": reason},
        _url(review),
    )
    return step


@refuse_races
@transaction.atomic
def delegate(step_id, to_person, by) -> ReviewStep:
    """The office hands an open step to someone else (e.g. a deputy)."""
    campaign = lock_open(_campaign_of_step(step_id))
    step = (
        ReviewStep.objects.select_for_update(of=("self",)).select_related("review").get(pk=step_id)
    )
    step.review.campaign = campaign
    if not may_administer(by, campaign):
        raise PermissionDenied(_("只有领导小组办公室可以委托审核。"))
    if step.status != ReviewStep.Status.OPEN:
        raise ReviewError(_("只能委托待审核的环节。"))
    if not to_person.is_active or to_person.unit_id != campaign.unit_id:
        raise ReviewError(_("受托人须为本单位在职人员。"))
    if to_person.pk == step.review.filer_id:
        raise ReviewError(_("不能委托提交人本人审核。"))
    if step.delegate_id and step.delegate_id != to_person.pk:
        remove_perm(ACT, step.delegate, step)
    step.delegate = to_person
    step.save(update_fields=["delegate"])
    assign_perm(ACT, to_person, step)
    review = step.review
    record(
        campaign,
        by,
        "review.delegated",
        _("%(who)s 将 %(title)s 的“%(role)s”环节委托给 %(to)s")
        % {"who": by, "title": _title(review), "role": step.get_role_display(), "to": to_person},
        target=review.subject,
    )
    notify(
        [to_person],
        Notification.Kind.REVIEW,
        _("受委托审核：%(title)s") % {"title": _title(review)},
        _("审核环节：%(role)s") % {"role": step.get_role_display()},
        _url(review),
    )
    return step


# Roles whose holders depend on the filer's section, not only the campaign.
_SECTION_ROLES = frozenset({StepRole.SECTION_HEAD, StepRole.SUPERVISING_LEADER})


@transaction.atomic
def reassign_open_steps(campaign=None, *, sections=None, roles=None, removed=(), by=None):
    """Move open steps to the people who hold their role now.

    Call it, inside the transaction, after the holders of a role changed:
    the leading group of ``campaign`` (``roles`` the office and the leading
    group), or the head or supervising leaders of ``sections`` (in every
    campaign still open). Each open step's reviewers are resolved again as
    when it opened: those no longer entitled lose the grant to act, the new
    ones get it and are told. An explicit delegate keeps the step unless they
    are among ``removed`` (the people who lost the role). A step left with
    nobody stays open for the office to delegate; the office is told.

    Returns the steps whose people changed.
    """
    if campaign is None and sections is None:
        raise ValueError("reassign_open_steps needs a campaign or sections")
    removed = {getattr(person, "pk", person) for person in removed}
    steps = ReviewStep.objects.filter(status=ReviewStep.Status.OPEN).exclude(
        review__campaign__status=Campaign.Status.CLOSED
    )
    if campaign is not None:
        steps = steps.filter(review__campaign=campaign)
    if sections is not None:
        steps = steps.filter(review__section__in=sections)
    if roles is not None:
        steps = steps.filter(role__in=roles)
    steps = list(
        steps.select_for_update(of=("self",))
        .select_related("review__campaign", "review__filer", "review__section", "delegate")
        .order_by("pk")  # one lock order for every caller
    )
    prefetch_related_objects(steps, "assignees")
    holders = {}  # resolve once per role and place, not per step
    changed = []
    for step in steps:
        review = step.review
        role_section = review.section_id if step.role in _SECTION_ROLES else None
        key = (step.role, review.campaign_id, role_section)
        if key not in holders:
            holders[key] = list(
                resolve(step.role, review.campaign, review.filer, review.section).distinct()
            )
        if _reassign(step, _reviewers(review, holders[key]), removed, by):
            changed.append(step)
    return changed


def _reassign(step, reviewers, removed, by) -> bool:
    review = step.review
    wanted = {person.pk: person for person in reviewers}
    current = {person.pk: person for person in step.assignees.all()}
    delegate = step.delegate
    drop_delegate = delegate is not None and delegate.pk in removed
    if wanted.keys() == current.keys() and not drop_delegate:
        return False
    before = set(current) | ({delegate.pk} if delegate else set())
    after = set(wanted) | ({delegate.pk} if delegate and not drop_delegate else set())
    people = {**current, **({delegate.pk: delegate} if delegate else {}), **wanted}
    revoked = [people[pk] for pk in before - after]
    granted = [people[pk] for pk in after - before]
    if revoked:
        remove_perm(ACT, revoked, step)
    if granted:
        assign_perm(ACT, granted, step)
    if drop_delegate:
        step.delegate = None
        step.save(update_fields=["delegate"])
    step.assignees.set(list(wanted.values()))
    if granted:
        _notify_reviewers(review, step, granted)
    names = "、".join(str(person) for person in wanted.values()) or _("（无人）")
    record(
        review.campaign,
        by,
        "review.reassigned",
        _("%(title)s 的“%(role)s”环节审核人调整为：%(people)s")
        % {"title": _title(review), "role": step.get_role_display(), "people": names},
        target=review.subject,
    )
    if not after:
        office = _reviewers(review, resolve(StepRole.OFFICE, review.campaign, None, None))
        notify(
            office,
            Notification.Kind.REVIEW,
            _("%(title)s 的“%(role)s”环节当前无人审核，请委托审核人")
            % {"title": _title(review), "role": step.get_role_display()},
            "",
            reverse("campaign:reviews"),
        )
    return True


def _granted(user) -> Q:
    """The review steps ``user`` holds the act grant on, directly or through a
    group (what guardian's ``get_objects_for_user`` answers, without the
    superuser short cut and global permissions).

    Guardian compares each step's ``id::varchar`` with every grant, a nested
    loop that costs tens of milliseconds once a few hundred steps are open;
    cast the other way, the grants form a list the database hashes once.
    """
    content_type = ContentType.objects.get_for_model(ReviewStep)
    grant = {
        "content_type": content_type,
        "permission__content_type": content_type,
        "permission__codename": ACT,
    }
    step_id = Cast("object_pk", BigIntegerField())
    direct = UserObjectPermission.objects.filter(user=user, **grant)
    through_groups = GroupObjectPermission.objects.filter(group__user=user, **grant)
    return Q(pk__in=direct.annotate(step_id=step_id).values("step_id")) | Q(
        pk__in=through_groups.annotate(step_id=step_id).values("step_id")
    )


def open_steps_of(user):
    """Open steps this person may act on (as reviewer or delegate), unadorned."""
    if not user.is_authenticated:
        return ReviewStep.objects.none()
    return ReviewStep.objects.filter(status=ReviewStep.Status.OPEN).filter(_granted(user))


def steps_waiting_for(user, campaign=None):
    """Open steps this person may act on (as reviewer or delegate)."""
    # A closed campaign's steps cannot be decided any more: no pending work.
    steps = open_steps_of(user).exclude(review__campaign__status=Campaign.Status.CLOSED)
    if campaign is not None:
        steps = steps.filter(review__campaign=campaign)
    return steps.select_related("review", "review__filer", "review__section", "review__campaign")


def with_subjects(steps) -> list:
    """``steps`` as a list, each review's subject loaded with what its
    ``review_title()`` reads (the subject model's ``review_title_related``),
    in a fixed number of queries whatever the number of steps."""
    steps = list(steps)
    prefetch_related_objects(steps, "review__subject")
    by_model = defaultdict(list)
    for step in steps:
        subject = step.review.subject
        if subject is not None:
            by_model[type(subject)].append(subject)
    for model, subjects in by_model.items():
        related = getattr(model, "review_title_related", ())
        if related:
            prefetch_related_objects(subjects, *related)
    return steps


def history(subject):
    """Every step of every round, oldest first, for a subject's timeline."""
    content_type = ContentType.objects.get_for_model(subject)
    return (
        ReviewStep.objects.filter(review__subject_type=content_type, review__subject_id=subject.pk)
        .exclude(status=ReviewStep.Status.WAITING)
        .select_related("decided_by", "delegate")
        .prefetch_related("assignees")
        .order_by("round", "position")
    )


def open_step_for(subject):
    content_type = ContentType.objects.get_for_model(subject)
    return (
        ReviewStep.objects.filter(
            review__subject_type=content_type,
            review__subject_id=subject.pk,
            status=ReviewStep.Status.OPEN,
        )
        .select_related("review", "delegate")
        .prefetch_related("assignees")
        .first()
    )


__all__ = [
    "ReviewError",
    "approve",
    "chain_for",
    "delegate",
    "history",
    "may_act",
    "open_step_for",
    "open_steps_of",
    "reassign_open_steps",
    "refuse_races",
    "resolve",
    "return_for_changes",
    "steps_waiting_for",
    "submit",
    "with_subjects",
]
