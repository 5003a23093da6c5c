"""Helpers every early-warning service shares: today's date, the manager
check, who the unit's managers are, the link a person can open for a warning
and how a signal's or a warning's target is checked and filled in.
"""

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import GROUP_NAMES, Role
from accounts.services import notify
from campaign.approvals import ReviewError

from .. import access
from ..models import (
    TargetKind,
)


def _today():
    return timezone.localdate()


def _require_manager(by):
    if not access.may_manage(by):
        raise ReviewError(_("只有领导小组办公室和纪检组可以进行此操作。"))


def _people_with_roles(unit_id, roles):
    names = [GROUP_NAMES[role] for role in roles]
    group_ids = Group.objects.filter(name__in=names).values("pk")
    return User.objects.filter(unit_id=unit_id, is_active=True, groups__in=group_ids).distinct()


def managers_of(unit_id):
    """The office and discipline inspection of a unit: who handles warnings."""
    return _people_with_roles(unit_id, [Role.OFFICE, Role.OFFICE_HEAD, Role.DISCIPLINE])


def warning_url_for(person, warning) -> str:
    """The page of ``warning`` this person can open."""
    if access.may_read_warnings(person):
        return reverse("earlywarnings:detail", args=[warning.pk])
    return reverse("earlywarnings:my_warning", args=[warning.pk])


def _notify_each(people, kind, title, body, warning):
    """One message to several people, each with the link they can open."""
    by_url = {}
    for person in people:
        by_url.setdefault(warning_url_for(person, warning), []).append(person)
    for url, group in by_url.items():
        notify(group, kind, title, body, url)


def _check_target(unit_id, target_kind, person, post, section):
    if person is not None and person.unit_id != unit_id:
        raise ReviewError(_("涉及人员须为本单位人员。"))
    if post is not None and post.section.unit_id != unit_id:
        raise ReviewError(_("涉及岗位须为本单位岗位。"))
    if section is not None and section.unit_id != unit_id:
        raise ReviewError(_("涉及科室须为本单位科室。"))
    needed = {TargetKind.PERSON: person, TargetKind.POST: post, TargetKind.SECTION: section}
    if target_kind in needed and needed[target_kind] is None:
        raise ReviewError(_("请选择预警对象。"))


def _fill_target(obj, target_kind, person, post, section):
    """Set the target; a person's post and section (and a post's section)
    are copied so that lists filter by section without joins."""
    obj.target_kind = target_kind
    obj.person = obj.post = obj.section = None
    if target_kind == TargetKind.PERSON:
        obj.person = person
        obj.post = post or person.post
        obj.section = section or person.section
    elif target_kind == TargetKind.POST:
        obj.post = post
        obj.section = post.section
    elif target_kind == TargetKind.SECTION:
        obj.section = section
