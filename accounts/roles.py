"""The one place that answers "what may this person do here".

Two kinds of standing:

* unit-wide roles, held through Django groups that a data migration creates
  (the leading-group office, leading-group members, the party committee,
  discipline inspection, auditors);
* positions in the organisation: section head and supervising leader come
  from :class:`~accounts.models.Section`, never from groups, so they follow
  the organisation chart as it changes.

Campaign-specific rights (the office of *this* campaign, a delegated review
step) are django-guardian object permissions checked with
``user.has_perm(perm, obj)``; :func:`can` is the helper views use for them.

Views never test group names themselves: they call the functions here, so a
change to who may do what is made in one file.
"""

from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("领导小组办公室")
    OFFICE_HEAD = "office_head", _("领导小组办公室主任")
    LEADING_GROUP = "leading_group", _("领导小组成员")
    PARTY_COMMITTEE = "party_committee", _("党委（党组）")
    DISCIPLINE = "discipline", _("纪检组")
    AUDITOR = "auditor", _("审计人员")


# Group names as people see them in the admin; the data migration creates
# exactly these.
GROUP_NAMES = {role: str(role.label) for role in Role}


class Standing:
    """Everything about one person's standing, computed once per request.

    Obtain it with :func:`standing`; it is cached on the user object so a page
    that asks many questions runs the two queries behind it only once.
    """

    def __init__(self, user):
        self.user = user

    @cached_property
    def roles(self) -> frozenset:
        if not self.user.is_authenticated:
            return frozenset()
        names = set(self.user.groups.values_list("name", flat=True))
        held = {role for role, name in GROUP_NAMES.items() if name in names}
        # The office head is always a member of the office as well.
        if Role.OFFICE_HEAD in held:
            held.add(Role.OFFICE)
        return frozenset(held)

    @cached_property
    def _sections(self) -> tuple[frozenset, frozenset]:
        """(headed, supervised) section ids, in one query."""
        if not self.user.is_authenticated:
            return frozenset(), frozenset()
        from .models import Section

        rows = (
            Section.objects.filter(Q(head=self.user) | Q(supervising_leaders=self.user))
            .values_list("pk", "head_id", "supervising_leaders")
            .distinct()
        )
        headed, supervised = set(), set()
        for pk, head_id, leader_id in rows:
            if head_id == self.user.pk:
                headed.add(pk)
            if leader_id == self.user.pk:
                supervised.add(pk)
        return frozenset(headed), frozenset(supervised)

    @property
    def headed_section_ids(self) -> frozenset:
        return self._sections[0]

    @property
    def supervised_section_ids(self) -> frozenset:
        return self._sections[1]

    def has(self, *roles) -> bool:
        # Deliberately no superuser shortcut: the system administrator runs
        # the admin site, where filings can be inspected and repaired (every
        # change kept in their history), but none of the pages, and never a
        # confidential signal (hidden from the admin too), without a role.
        return any(role in self.roles for role in roles)

    # Unit-wide questions -------------------------------------------------

    @property
    def is_office(self) -> bool:
        return self.has(Role.OFFICE)

    @property
    def is_office_head(self) -> bool:
        return self.has(Role.OFFICE_HEAD)

    @property
    def is_leading_group(self) -> bool:
        return self.has(Role.LEADING_GROUP)

    @property
    def is_party_committee(self) -> bool:
        return self.has(Role.PARTY_COMMITTEE)

    @property
    def is_discipline(self) -> bool:
        return self.has(Role.DISCIPLINE)

    @property
    def is_auditor(self) -> bool:
        return self.has(Role.AUDITOR)

    @property
    def is_section_head(self) -> bool:
        return bool(self.headed_section_ids)

    @property
    def is_supervising_leader(self) -> bool:
        return bool(self.supervised_section_ids)

    @property
    def sees_whole_unit(self) -> bool:
        """May read unit-wide pages (dashboards, registers, catalogues)."""
        return self.has(
            Role.OFFICE, Role.LEADING_GROUP, Role.PARTY_COMMITTEE, Role.DISCIPLINE, Role.AUDITOR
        )

    @property
    def sees_confidential_signals(self) -> bool:
        """Petition and report signals (信访举报): discipline inspection and the office head only."""
        return self.has(Role.DISCIPLINE, Role.OFFICE_HEAD)

    @property
    def may_export(self) -> bool:
        return self.has(Role.OFFICE, Role.AUDITOR, Role.DISCIPLINE, Role.LEADING_GROUP)

    # Organisation questions -----------------------------------------------

    def heads(self, section) -> bool:
        return section is not None and self._section_id(section) in self.headed_section_ids

    def supervises(self, section) -> bool:
        return section is not None and self._section_id(section) in self.supervised_section_ids

    def oversees(self, section) -> bool:
        """Heads or supervises the section."""
        return self.heads(section) or self.supervises(section)

    @property
    def overseen_section_ids(self) -> frozenset:
        return self.headed_section_ids | self.supervised_section_ids

    @staticmethod
    def _section_id(section):
        return section if isinstance(section, int) else section.pk

    def labels(self) -> list[str]:
        """Human names of everything this person is, for the navigation bar."""
        names = [str(role.label) for role in Role if role in self.roles]
        if self.is_section_head:
            names.append(str(_("科室负责人")))
        if self.is_supervising_leader:
            names.append(str(_("分管领导")))
        if self.user.is_superuser:
            names.append(str(_("系统管理员")))
        return names


def standing(user) -> Standing:
    cached = getattr(user, "_lianfang_standing", None)
    if cached is None:
        cached = Standing(user)
        # AnonymousUser has no __dict__ quirks here; both accept attributes.
        user._lianfang_standing = cached
    return cached


def can(user, perm: str, obj=None) -> bool:
    """An object permission (django-guardian) or a model permission."""
    return bool(user.is_authenticated and user.has_perm(perm, obj))
