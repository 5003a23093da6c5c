import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, LOGINS
from accounts.models import Post, Section, Unit, User
from accounts.roles import Role, standing

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "units": list(Unit.objects.values().order_by("pk")),
        "sections": list(Section.objects.values().order_by("pk")),
        "posts": list(Post.objects.values().order_by("pk")),
        "people": list(
            User.objects.values(
                "pk",
                "username",
                "full_name",
                "employee_no",
                "section",
                "post",
                "rank",
                "password",
                "email",
            ).order_by("pk")
        ),
        "groups": sorted(User.groups.through.objects.values_list("user_id", "group_id")),
        "supervision": sorted(
            Section.supervising_leaders.through.objects.values_list("section_id", "user_id")
        ),
    }


def test_demo_twice_changes_nothing():
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_demo_unit_has_the_shape_of_the_seed_office():
    call_command("load_demo", verbosity=0)
    assert Unit.objects.count() == 1
    assert Section.objects.count() == 6
    assert Section.objects.filter(kind=Section.Kind.SUBORDINATE).count() == 1
    people = User.objects.filter(is_superuser=False)
    assert 35 <= people.count() <= 45
    ranks = set(people.values_list("rank", flat=True))
    assert ranks == {User.Rank.LEADER, User.Rank.MIDDLE, User.Rank.GENERAL}
    assert Post.objects.exclude(key_type=Post.KeyType.NONE).count() >= 8
    assert all(section.head_id for section in Section.objects.all())


def test_every_listed_demo_login_works_and_has_a_fitting_role(client):
    call_command("load_demo", verbosity=0)
    for username, _description in LOGINS:
        person = User.objects.get(username=username)
        assert person.check_password(DEMO_PASSWORD)
    assert standing(User.objects.get(username="bangongshi")).is_office_head
    assert standing(User.objects.get(username="jijian")).is_discipline
    assert standing(User.objects.get(username="shenji")).is_auditor
    assert standing(User.objects.get(username="kezhang")).is_section_head
    assert standing(User.objects.get(username="fenguan")).is_supervising_leader
    assert Role.PARTY_COMMITTEE in standing(User.objects.get(username="zhuren")).roles
