import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role, standing
from tests.factories import SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.OFFICE, {"is_office", "sees_whole_unit", "may_export"}),
        (
            Role.OFFICE_HEAD,
            {
                "is_office",
                "is_office_head",
                "sees_whole_unit",
                "may_export",
                "sees_confidential_signals",
            },
        ),
        (Role.LEADING_GROUP, {"is_leading_group", "sees_whole_unit", "may_export"}),
        (Role.PARTY_COMMITTEE, {"is_party_committee", "sees_whole_unit"}),
        (
            Role.DISCIPLINE,
            {"is_discipline", "sees_whole_unit", "may_export", "sees_confidential_signals"},
        ),
        (Role.AUDITOR, {"is_auditor", "sees_whole_unit", "may_export"}),
    ],
)
def test_each_group_role(role, expected):
    person = UserFactory(roles=[role])
    who = standing(person)
    questions = {
        "is_office",
        "is_office_head",
        "is_leading_group",
        "is_party_committee",
        "is_discipline",
        "is_auditor",
        "is_section_head",
        "is_supervising_leader",
        "sees_whole_unit",
        "sees_confidential_signals",
        "may_export",
    }
    assert {q for q in questions if getattr(who, q)} == expected


def test_general_staff_has_no_role():
    who = standing(UserFactory())
    assert who.roles == frozenset()
    assert not who.sees_whole_unit
    assert not who.sees_confidential_signals
    assert who.labels() == []


def test_section_head_and_supervising_leader_come_from_the_organisation():
    head = UserFactory()
    leader = UserFactory()
    section = SectionFactory(head=head)
    section.supervising_leaders.add(leader)
    other = SectionFactory()

    assert standing(head).heads(section) and not standing(head).heads(other)
    assert standing(head).is_section_head and not standing(head).is_supervising_leader
    assert standing(leader).supervises(section) and not standing(leader).supervises(other)
    assert standing(leader).oversees(section.pk)
    assert "科室负责人" in standing(head).labels()
    assert "分管领导" in standing(leader).labels()


def test_superuser_holds_no_role_by_being_superuser():
    admin = UserFactory(is_superuser=True, is_staff=True)
    who = standing(admin)
    assert not who.sees_confidential_signals
    assert not who.sees_whole_unit
    assert "系统管理员" in who.labels()


def test_anonymous_has_nothing():
    who = standing(AnonymousUser())
    assert who.roles == frozenset()
    assert not who.is_section_head


def test_standing_is_computed_once(django_assert_num_queries):
    person = UserFactory(roles=[Role.OFFICE])
    with django_assert_num_queries(1):
        who = standing(person)
        assert who.is_office
        assert who.sees_whole_unit
        assert standing(person).may_export
