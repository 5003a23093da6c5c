"""What campaign does when the organisation changes under it (connected in
``CampaignConfig.ready``).

A section's head or supervising leaders review its people's forms, the
party committee (a group) the leadership's: when they change, the open
steps of those roles move to the new holders
(:func:`campaign.approvals.reassign_open_steps`), in the same transaction
as the change. A person deactivated (left the unit) loses every open step
they held, as reviewer or delegate.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from accounts.models import Section
from accounts.roles import GROUP_NAMES, Role

from .approvals import reassign_open_steps
from .models import Campaign, ReviewStep, StepRole

_HEAD_BEFORE = "_campaign_head_before"
_LEADERS_BEFORE = "_campaign_leaders_before"


@receiver(pre_save, sender=Section, dispatch_uid="campaign.section_head_before")
def remember_head(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and "head" not in update_fields):
        return
    setattr(
        instance,
        _HEAD_BEFORE,
        Section.objects.filter(pk=instance.pk).values_list("head_id", flat=True).first(),
    )


@receiver(post_save, sender=Section, dispatch_uid="campaign.section_head_changed")
def head_changed(sender, instance, created=False, raw=False, **kwargs):
    if raw or created or not hasattr(instance, _HEAD_BEFORE):
        return
    before = instance.__dict__.pop(_HEAD_BEFORE)
    if before == instance.head_id:
        return
    reassign_open_steps(
        sections=[instance],
        roles=[StepRole.SECTION_HEAD],
        removed={before} if before else (),
    )


@receiver(
    m2m_changed,
    sender=Section.supervising_leaders.through,
    dispatch_uid="campaign.supervising_leaders_changed",
)
def supervising_leaders_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Either side: ``section.supervising_leaders`` (``instance`` a section,
    ``pk_set`` people) or ``person.supervised_sections`` (the other way)."""
    if action == "pre_clear":
        # ``post_clear`` does not say what was cleared.
        if reverse:
            ids = set(instance.supervised_sections.values_list("pk", flat=True))
        else:
            ids = set(instance.supervising_leaders.values_list("pk", flat=True))
        setattr(instance, _LEADERS_BEFORE, ids)
        return
    if action == "post_clear":
        pk_set = instance.__dict__.pop(_LEADERS_BEFORE, set())
    elif action not in ("post_add", "post_remove"):
        return
    if not pk_set:
        return
    if reverse:  # a person's sections
        sections = Section.objects.filter(pk__in=pk_set)
        people = {instance.pk}
    else:
        sections = [instance]
        people = set(pk_set)
    reassign_open_steps(
        sections=sections,
        roles=[StepRole.SUPERVISING_LEADER],
        removed=people if action != "post_add" else (),
    )


# The party committee (a group) and people who leave ------------------------

_COMMITTEE_BEFORE = "_campaign_committee_before"
_ACTIVE_BEFORE = "_campaign_active_before"


def _open_campaigns(unit_ids):
    return Campaign.objects.filter(unit_id__in=unit_ids).exclude(status=Campaign.Status.CLOSED)


def _committee_members_changed(people, *, removed):
    """Re-resolve the party committee's open steps in the campaigns of these
    people's units."""
    User = get_user_model()
    units = set(User.objects.filter(pk__in=people).values_list("unit_id", flat=True))
    for campaign in _open_campaigns(units - {None}):
        reassign_open_steps(
            campaign, roles=[StepRole.PARTY_COMMITTEE], removed=people if removed else ()
        )


def _is_committee_group(group_id) -> bool:
    return Group.objects.filter(pk=group_id, name=GROUP_NAMES[Role.PARTY_COMMITTEE]).exists()


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="campaign.groups")
def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Either side: ``person.groups`` (``pk_set`` groups) or
    ``group.user_set`` (``pk_set`` people). Only the party committee's group
    holds a review role."""
    if action == "pre_clear":
        if reverse:
            before = set(instance.user_set.values_list("pk", flat=True))
            if not _is_committee_group(instance.pk):
                before = set()
        else:
            committee = instance.groups.filter(name=GROUP_NAMES[Role.PARTY_COMMITTEE])
            before = {instance.pk} if committee.exists() else set()
        setattr(instance, _COMMITTEE_BEFORE, before)
        return
    if action == "post_clear":
        people = instance.__dict__.pop(_COMMITTEE_BEFORE, set())
    elif action in ("post_add", "post_remove") and pk_set:
        if reverse:
            people = set(pk_set) if _is_committee_group(instance.pk) else set()
        else:
            committee = Group.objects.filter(
                pk__in=pk_set, name=GROUP_NAMES[Role.PARTY_COMMITTEE]
            ).exists()
            people = {instance.pk} if committee else set()
    else:
        return
    if people:
        _committee_members_changed(people, removed=action != "post_add")


@receiver(pre_save, sender=get_user_model(), dispatch_uid="campaign.person_active_before")
def remember_active(sender, instance, raw=False, update_fields=None, **kwargs):
    # Only a deactivation matters: nothing to read when the person stays active.
    if raw or instance.pk is None or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    setattr(
        instance,
        _ACTIVE_BEFORE,
        sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first(),
    )


@receiver(post_save, sender=get_user_model(), dispatch_uid="campaign.person_deactivated")
def person_deactivated(sender, instance, created=False, raw=False, **kwargs):
    """Someone who leaves (deactivated) holds no step any more: every open
    step they could act on, as reviewer or delegate, goes to the current
    holders of its role."""
    before = instance.__dict__.pop(_ACTIVE_BEFORE, None)
    if raw or created or not before or instance.is_active:
        return
    campaigns = ReviewStep.objects.filter(
        Q(assignees=instance) | Q(delegate=instance), status=ReviewStep.Status.OPEN
    ).values_list("review__campaign_id", flat=True)
    for campaign in Campaign.objects.filter(pk__in=set(campaigns)).exclude(
        status=Campaign.Status.CLOSED
    ):
        reassign_open_steps(campaign, removed={instance.pk})
