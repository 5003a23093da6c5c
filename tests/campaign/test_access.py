"""Who may open and act on each campaign page.

Outsiders (another unit) get 404 everywhere; staff of the unit get 403 on the
office's pages; watchers read the dashboard and history but act on nothing.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from campaign.models import Stage
from tests.factories import MeetingFactory, StudyMaterialFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(campaign, office):
    stage = campaign.stages.get(kind=Stage.Kind.MOBILISE)
    material = StudyMaterialFactory(
        campaign=campaign, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4"), file_name="a.pdf"
    )
    return {
        "pk": campaign.pk,
        "stage": stage.pk,
        "milestone": stage.milestones.first().pk,
        "member": campaign.leading_group.get(person=office).pk,
        "chain": campaign.chains.first().pk,
        "meeting": MeetingFactory(campaign=campaign).pk,
        "material": material.pk,
    }


def pages(o):
    """(url name, args, method, office only?) for every page of a campaign."""
    pk = o["pk"]
    return [
        ("detail", [pk], "get", False),
        ("leading_group", [pk], "get", False),
        ("mobilisation", [pk], "get", False),
        ("chains", [pk], "get", False),
        ("file", [pk, "material", o["material"]], "get", False),
        ("confirm_study", [pk, o["material"]], "post", False),
        ("edit", [pk], "get", True),
        ("plan", [pk], "get", True),
        ("grading", [pk], "get", True),
        ("chain_create", [pk], "get", True),
        ("chain_edit", [pk, o["chain"]], "get", True),
        ("chain_delete", [pk, o["chain"]], "post", True),
        ("meeting_create", [pk], "get", True),
        ("meeting_edit", [pk, o["meeting"]], "get", True),
        ("meeting_delete", [pk, o["meeting"]], "post", True),
        ("material_create", [pk], "get", True),
        ("material_edit", [pk, o["material"]], "get", True),
        ("material_delete", [pk, o["material"]], "post", True),
        ("stage_start", [pk, o["stage"]], "post", True),
        ("stage_complete", [pk, o["stage"]], "get", True),
        ("milestone_toggle", [pk, o["milestone"]], "post", True),
        ("leading_group_remove", [pk, o["member"]], "post", True),
        ("close", [pk], "post", True),
    ]


WATCH_PAGES = [("dashboard", "get"), ("history", "get")]


def call(client, name, args, method):
    return getattr(client, method)(reverse(f"campaign:{name}", args=args))


def test_an_outsider_gets_404_on_every_campaign_page(client, objects, outsider):
    client.force_login(outsider)
    for name, args, method, _office in pages(objects):
        assert call(client, name, args, method).status_code == 404, name
    for name, method in WATCH_PAGES:
        assert call(client, name, [objects["pk"]], method).status_code == 404, name


def test_staff_read_the_unit_pages_and_are_refused_the_office_pages(client, objects, staff):
    client.force_login(staff)
    for name, args, method, office_only in pages(objects):
        status = call(client, name, args, method).status_code
        if office_only:
            assert status == 403, name
        else:
            assert status in (200, 302), (name, status)
    for name, method in WATCH_PAGES:
        assert call(client, name, [objects["pk"]], method).status_code == 403, name


@pytest.mark.parametrize(
    "roles", [[Role.DISCIPLINE], [Role.PARTY_COMMITTEE], [Role.AUDITOR], [Role.LEADING_GROUP]]
)
def test_watchers_read_but_do_not_act(client, campaign, objects, roles):
    watcher = UserFactory(section=None, unit=campaign.unit, rank=User.Rank.LEADER, roles=roles)
    client.force_login(watcher)
    for name, method in WATCH_PAGES:
        assert call(client, name, [objects["pk"]], method).status_code == 200, name
    for name, args, method, office_only in pages(objects):
        if office_only:
            assert call(client, name, args, method).status_code == 403, name


def test_the_office_opens_everything(client, objects, office):
    client.force_login(office)
    for name, args, method, _office in pages(objects):
        if method == "get":
            assert call(client, name, args, method).status_code == 200, name
    for name, method in WATCH_PAGES:
        assert call(client, name, [objects["pk"]], method).status_code == 200, name


def test_a_draft_is_seen_by_its_office_only(client, draft):
    client.force_login(draft.created_by)
    assert client.get(reverse("campaign:detail", args=[draft.pk])).status_code == 200
    colleague = UserFactory(section=draft.created_by.section, roles=[Role.DISCIPLINE])
    client.force_login(colleague)
    assert client.get(reverse("campaign:detail", args=[draft.pk])).status_code == 404
    assert draft.title not in client.get(reverse("campaign:list")).content.decode()


def test_the_tabs_show_what_the_person_may_open(client, campaign, office, staff, watcher):
    detail = reverse("campaign:detail", args=[campaign.pk])
    expected = {
        office: [
            "概况",
            "工作台",
            "计划与阶段",
            "领导小组",
            "宣传动员",
            "等级与类别",
            "审核流程",
            "公示",
            "检查验收",
            "活动记录",
        ],
        # 公示 and 检查验收 are added by the publicity and acceptance apps.
        watcher: ["概况", "工作台", "领导小组", "宣传动员", "审核流程", "检查验收", "活动记录"],
        staff: ["概况", "领导小组", "宣传动员", "审核流程"],
    }
    for person, labels in expected.items():
        client.force_login(person)
        tabs = client.get(detail).context["tabs"]
        assert [str(tab["label"]) for tab in tabs] == labels


def test_the_list_shows_the_units_running_campaigns(client, campaign, staff, outsider):
    client.force_login(staff)
    assert campaign.title in client.get(reverse("campaign:list")).content.decode()
    client.force_login(outsider)
    assert campaign.title not in client.get(reverse("campaign:list")).content.decode()


def test_pages_need_a_sign_in(client, campaign):
    response = client.get(reverse("campaign:detail", args=[campaign.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("campaigns", [1, 6])
def test_the_list_pages_run_a_fixed_number_of_queries(
    client, campaign, office, campaigns, django_assert_max_num_queries
):
    from campaign.services import start_stage
    from tests.factories import CampaignFactory

    for _ in range(campaigns - 1):
        other = CampaignFactory(unit=campaign.unit, by=office)
        start_stage(other.stages.get(kind=Stage.Kind.MOBILISE).pk, office)
    client.force_login(office)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("campaign:list"))
    assert len(response.context["page"].object_list) == campaigns
    with django_assert_max_num_queries(15):
        response = client.get(reverse("campaign:history", args=[campaign.pk]))
    assert response.context["page"].paginator.count >= 2
