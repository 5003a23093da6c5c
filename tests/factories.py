"""factory-boy factories shared by every app's tests."""

import factory
from django.contrib.auth.models import Group

from accounts.models import Post, Section, Unit, User
from accounts.roles import GROUP_NAMES


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试单位{n}")
    supervision_phone = "0571-12345678"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"第{n}科")
    code = factory.Sequence(lambda n: f"K{n:02d}")
    display_order = factory.Sequence(lambda n: n)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    section = factory.SubFactory(SectionFactory)
    name = factory.Sequence(lambda n: f"岗位{n}")
    key_type = Post.KeyType.NONE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"人员{n}")
    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    rank = User.Rank.GENERAL
    section = factory.SubFactory(SectionFactory)
    unit = factory.LazyAttribute(lambda o: o.section.unit if o.section else UnitFactory())
    post = None
    password = factory.django.Password("pass-word-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get(name=GROUP_NAMES[role]) for role in extracted])
