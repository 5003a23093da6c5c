"""The new-campaign wizard: who may use it and what it lays out."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from campaign import access, defaults
from campaign.models import (
    Campaign,
    FilerRank,
    LeadingGroupMember,
    Stage,
    StepRole,
    Subject,
)
from campaign.services import save_leading_group_member, start_stage
from tests.factories import SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("campaign:create")
START = date(2026, 3, 2)


@pytest.fixture
def office_person(db):
    return UserFactory(rank=User.Rank.MIDDLE, roles=[Role.OFFICE])


def wizard_data(**changes):
    data = {
        "title": "2026年度廉政风险防控工作",
        "year": "2026",
        "basis_doc_no": "普纪[2012]6号",
        "basis_doc_title": "关于开展廉政风险防控工作的实施意见",
        "aims": "建立覆盖全部职权和岗位的防控体系。",
        "starts_on": START.isoformat(),
        "grading_scheme": "hml",
        "publicity_days": "7",
        "supervision_phone": "0571-88001234",
        "high_grade_ratio": "20",
        "previous": "",
    }
    data.update(changes)
    return data


def test_only_the_standing_office_may_open_the_wizard(client, office_person):
    client.force_login(office_person)
    response = client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["year"].value() == timezone.localdate().year
    assert form["supervision_phone"].value() == office_person.unit.supervision_phone

    staff = UserFactory(section=SectionFactory(unit=office_person.unit))
    client.force_login(staff)
    assert client.get(URL).status_code == 403
    assert client.post(URL, wizard_data()).status_code == 403
    assert not Campaign.objects.exists()


def test_the_list_offers_the_wizard_to_the_office_only(client, office_person):
    client.force_login(office_person)
    assert "新建活动" in client.get(reverse("campaign:list")).content.decode()
    client.force_login(UserFactory(section=SectionFactory(unit=office_person.unit)))
    assert "新建活动" not in client.get(reverse("campaign:list")).content.decode()


@pytest.mark.parametrize("scheme", ["hml", "numbered", "coloured"])
def test_wizard_lays_out_the_campaign_from_the_defaults(client, office_person, scheme):
    client.force_login(office_person)
    response = client.post(URL, wizard_data(grading_scheme=scheme, high_grade_ratio="25"))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign:plan", args=[campaign.pk])

    assert campaign.unit == office_person.unit
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.basis_doc_no == "普纪[2012]6号"
    assert campaign.high_grade_ratio == Decimal("0.25")
    assert campaign.grading_scheme == scheme

    # Seven stages in order, with the template's dates.
    stages = list(campaign.stages.order_by("position"))
    assert [s.kind for s in stages] == list(Stage.Kind.values)
    for stage in stages:
        first, last, _text, milestones = defaults.STAGES[stage.kind]
        assert stage.starts_on == START + timedelta(days=first)
        assert stage.due_on == START + timedelta(days=last)
        assert stage.status == Stage.Status.PENDING
        assert stage.milestones.count() == len(milestones)
        for milestone in stage.milestones.all():
            assert stage.starts_on <= milestone.due_on <= stage.due_on
    # Stages follow each other without overlapping.
    for earlier, later in zip(stages, stages[1:], strict=False):
        assert earlier.due_on < later.starts_on

    assert list(campaign.risk_categories.values_list("name", flat=True)) == [
        "思想道德",
        "岗位职责",
        "业务流程",
        "制度机制",
        "外部环境",
    ]
    levels = list(campaign.grade_levels.order_by("rank").values_list("rank", "label"))
    assert levels == [(r, label) for r, label, _c, _t in defaults.GRADE_SCHEMES[scheme]]
    assert len(levels) == 3


def test_wizard_sets_up_the_default_chains_of_brief_section_7(client, office_person):
    client.force_login(office_person)
    client.post(URL, wizard_data())
    campaign = Campaign.objects.get()
    chains = {
        (chain.subject, chain.filer_rank): [step.role for step in chain.steps.all()]
        for chain in campaign.chains.prefetch_related("steps")
    }
    S = StepRole
    assert chains == {
        (Subject.CATALOGUE, FilerRank.ANY): [S.SECTION_HEAD, S.OFFICE],
        (Subject.PERSONAL, FilerRank.GENERAL): [S.SECTION_HEAD, S.LEADING_GROUP],
        (Subject.PERSONAL, FilerRank.MIDDLE): [S.SUPERVISING_LEADER, S.LEADING_GROUP],
        (Subject.PERSONAL, FilerRank.LEADER): [S.PARTY_COMMITTEE],
        (Subject.SECTION, FilerRank.ANY): [S.SECTION_HEAD, S.SUPERVISING_LEADER, S.LEADING_GROUP],
        (Subject.UNIT, FilerRank.ANY): [S.PARTY_COMMITTEE],
    }


def test_the_creator_heads_the_office_and_administers_the_campaign(client, office_person):
    colleague = UserFactory(section=SectionFactory(unit=office_person.unit), roles=[Role.OFFICE])
    client.force_login(office_person)
    client.post(URL, wizard_data())
    campaign = Campaign.objects.get()
    seats = dict(campaign.leading_group.values_list("person_id", "role"))
    assert seats[office_person.pk] == LeadingGroupMember.Role.OFFICE_HEAD
    assert seats[colleague.pk] == LeadingGroupMember.Role.OFFICE_MEMBER
    assert office_person.has_perm("campaign.administer_campaign", campaign)
    assert access.may_administer(colleague, campaign)
    # The draft is theirs alone: the plan page opens for them.
    assert client.get(reverse("campaign:plan", args=[campaign.pk])).status_code == 200
    assert campaign.history.filter(action="campaign.created").exists()


def test_a_rejected_wizard_keeps_what_was_typed(client, office_person):
    client.force_login(office_person)
    client.post(URL, wizard_data())
    response = client.post(URL, wizard_data(year="1999", basis_doc_title="保留这段文字"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "本单位已有同名的活动，请换一个名称。" in form.errors["title"]
    assert "year" in form.errors
    assert "保留这段文字" in response.content.decode()
    assert Campaign.objects.count() == 1


def test_wizard_copies_the_setup_of_a_previous_campaign(client, office_person):
    client.force_login(office_person)
    client.post(URL, wizard_data(title="2025年度廉政风险防控工作", year="2025"))
    previous = Campaign.objects.get()
    start_stage(previous.stages.get(kind=Stage.Kind.MOBILISE).pk, office_person)
    previous.risk_categories.filter(name="外部环境").update(name="作风效能")
    leader = UserFactory(section=None, unit=office_person.unit, rank=User.Rank.LEADER)
    save_leading_group_member(previous, office_person, person=leader, role="leader")

    successor = UserFactory(section=SectionFactory(unit=office_person.unit), roles=[Role.OFFICE])
    client.force_login(successor)
    response = client.post(URL, wizard_data(previous=str(previous.pk), starts_on="2027-03-01"))
    assert response.status_code == 302
    campaign = Campaign.objects.exclude(pk=previous.pk).get()
    assert campaign.previous == previous
    assert "作风效能" in campaign.risk_categories.values_list("name", flat=True)
    assert campaign.chains.count() == previous.chains.count()
    seats = dict(campaign.leading_group.values_list("person_id", "role"))
    assert seats[leader.pk] == "leader"
    # The creator was not in last year's group: they still run the new draft.
    assert seats[successor.pk] in LeadingGroupMember.OFFICE_ROLES
    assert access.may_administer(successor, campaign)
    assert campaign.stages.get(kind=Stage.Kind.MOBILISE).starts_on == date(2027, 3, 1)


def test_previous_campaigns_are_those_of_the_unit(client, office_person, outsider):
    client.force_login(outsider)
    client.post(URL, wizard_data(title="外单位的活动"))
    foreign = Campaign.objects.get()
    client.force_login(office_person)
    response = client.post(URL, wizard_data(previous=str(foreign.pk)))
    assert response.status_code == 200
    assert "previous" in response.context["form"].errors
