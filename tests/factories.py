"""factory-boy factories shared by every app's tests."""

import datetime

import factory
from django.contrib.auth.models import Group

from accounts.models import Post, Section, Unit, User
from accounts.roles import GROUP_NAMES, Role


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


class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign made the way the wizard makes one (stages, chains, grades)."""

    class Meta:
        model = "campaign.Campaign"

    unit = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"2026年度廉政风险防控工作{n}")
    year = 2026
    starts_on = datetime.date(2026, 3, 2)
    by = None

    @classmethod
    def _create(cls, model_class, *args, by=None, **kwargs):
        from campaign.services import create_campaign

        unit = kwargs.pop("unit")
        if by is None:
            by = UserFactory(section=SectionFactory(unit=unit), roles=[Role.OFFICE])
        return create_campaign(unit=unit, by=by, **kwargs)


# powers ----------------------------------------------------------------------


class CatalogueFactory(factory.django.DjangoModelFactory):
    """A section's power catalogue (draft) in a campaign of the section's unit."""

    class Meta:
        model = "powers.Catalogue"
        django_get_or_create = ("campaign", "section")

    campaign = factory.SubFactory(CampaignFactory)
    section = factory.LazyAttribute(lambda o: SectionFactory(unit=o.campaign.unit))


def _power_category(power):
    from powers.services import ensure_categories

    return ensure_categories(power.catalogue.campaign).first()


class PowerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "powers.Power"
        skip_postgeneration_save = True

    catalogue = factory.SubFactory(CatalogueFactory)
    campaign = factory.LazyAttribute(lambda o: o.catalogue.campaign)
    section = factory.LazyAttribute(lambda o: o.catalogue.section)
    sequence = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: f"{o.section.code}-{o.sequence:03d}")
    name = factory.Sequence(lambda n: f"职权事项{n}")
    category = factory.LazyAttribute(_power_category)
    content = "职权内容说明"
    legal_basis = "某某管理办法第三条"
    time_limit = "5个工作日"

    @factory.post_generation
    def steps(self, create, extracted, **kwargs):
        """``PowerFactory(steps=3)`` adds three numbered steps."""
        if create and extracted:
            for position in range(1, int(extracted) + 1):
                PowerStepFactory(power=self, position=position)


class PowerStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "powers.PowerStep"

    power = factory.SubFactory(PowerFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"环节{n}")
    responsible = "经办人"
    time_limit = "1个工作日"


# risks -----------------------------------------------------------------------


class FilingFactory(factory.django.DjangoModelFactory):
    """A personal filing (draft) of a person in a campaign of their unit."""

    class Meta:
        model = "risks.Filing"

    campaign = factory.SubFactory(CampaignFactory)
    kind = "personal"
    owner = factory.LazyAttribute(
        lambda o: (
            UserFactory(section=SectionFactory(unit=o.campaign.unit))
            if o.kind == "personal"
            else None
        )
    )
    section = factory.LazyAttribute(lambda o: o.owner.section if o.owner else None)
    post = factory.LazyAttribute(lambda o: o.owner.post if o.owner else None)
    rank = factory.LazyAttribute(lambda o: o.owner.rank if o.owner else "")


class RiskPointFactory(factory.django.DjangoModelFactory):
    """A risk point in the campaign's first category, graded with its
    highest level unless told otherwise."""

    class Meta:
        model = "risks.RiskPoint"

    filing = factory.SubFactory(FilingFactory)
    position = factory.Sequence(lambda n: n)
    category = factory.LazyAttribute(lambda o: o.filing.campaign.risk_categories.first())
    title = factory.Sequence(lambda n: f"风险点{n}")
    content = "可能发生的违规情形及其表现"
    self_grade = factory.LazyAttribute(lambda o: o.filing.campaign.grade_levels.first())
    final_grade = factory.LazyAttribute(lambda o: o.self_grade)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "risks.Measure"

    risk_point = factory.SubFactory(RiskPointFactory)
    line = "prevention"
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"防控措施{n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    """A mobilisation meeting (no attendees, no minutes unless given)."""

    class Meta:
        model = "campaign.Meeting"

    campaign = factory.SubFactory(CampaignFactory)
    held_on = datetime.date(2026, 3, 10)
    topic = factory.Sequence(lambda n: f"动员会议{n}")
    place = "会议室"


class StudyMaterialFactory(factory.django.DjangoModelFactory):
    """A required study material without an attachment."""

    class Meta:
        model = "campaign.StudyMaterial"

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"学习材料{n}")
    description = "请认真学习。"
    required = True


# earlywarnings -----------------------------------------------------------------


class WarningSignalFactory(factory.django.DjangoModelFactory):
    """A signal about a person (an audit finding unless told otherwise);
    petition signals are made confidential by the model itself."""

    class Meta:
        model = "earlywarnings.WarningSignal"

    person = factory.SubFactory(UserFactory)
    unit = factory.LazyAttribute(lambda o: o.person.unit if o.person else UnitFactory())
    target_kind = "person"
    section = factory.LazyAttribute(lambda o: o.person.section if o.person else None)
    source = "audit"
    title = factory.Sequence(lambda n: f"线索{n}")
    description = "具体情况说明"
    received_on = datetime.date(2026, 5, 1)


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "earlywarnings.Holiday"

    unit = factory.SubFactory(UnitFactory)
    date = datetime.date(2026, 10, 1)
    name = "国庆节"


# publicity -------------------------------------------------------------------


class WindowFactory(factory.django.DjangoModelFactory):
    """An open notice window over the unit-wide register, started an hour ago."""

    class Meta:
        model = "publicity.Window"

    campaign = factory.SubFactory(CampaignFactory)
    scope = "register"
    title = factory.Sequence(lambda n: f"公示{n}")
    supervision_phone = "0571-12345678"
    starts_at = factory.LazyFunction(lambda: _now() - datetime.timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(days=7))
    token = factory.LazyAttribute(lambda o: _token() if o.public else None)
    public = False


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "publicity.Feedback"

    window = factory.SubFactory(WindowFactory)
    channel = "internal"
    content = factory.Sequence(lambda n: f"意见建议{n}")


def _now():
    from django.utils import timezone

    return timezone.now()


def _token():
    from publicity.models import new_token

    return new_token()


# acceptance ------------------------------------------------------------------


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "acceptance.ChecklistItem"

    campaign = factory.SubFactory(CampaignFactory)
    position = factory.Sequence(lambda n: n)
    area = factory.Sequence(lambda n: f"考核项目{n}")
    criteria = "考核内容及评分标准"
    max_score = 10


class RectificationFactory(factory.django.DjangoModelFactory):
    """An open rectification owned by a person of the campaign's unit."""

    class Meta:
        model = "acceptance.Rectification"

    campaign = factory.SubFactory(CampaignFactory)
    description = factory.Sequence(lambda n: f"存在问题{n}")
    owner = factory.LazyAttribute(
        lambda o: UserFactory(section=SectionFactory(unit=o.campaign.unit))
    )
    section = factory.LazyAttribute(lambda o: o.owner.section)
    due_on = factory.LazyFunction(lambda: _now().date() + datetime.timedelta(days=14))
