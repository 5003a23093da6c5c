"""Starting and completing stages, ticking milestones, closing the campaign."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from campaign import progress
from campaign.models import Campaign, LeadingGroupMember, Milestone, Stage
from tests.factories import StudyMaterialFactory

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def stage(campaign, kind):
    return campaign.stages.get(kind=kind)


@pytest.fixture
def open_powers_work():
    """A fake app reporting two unreviewed catalogues while the powers stage runs."""

    def reporter(campaign):
        return [progress.OpenWork("职权目录未审定的科室", 2, "/powers/")]

    progress.register(Stage.Kind.POWERS, reporter)
    yield reporter
    progress._reporters[Stage.Kind.POWERS].remove(reporter)


def test_starting_the_first_stage_runs_the_campaign(client, draft):
    client.force_login(draft.created_by)
    mobilise = stage(draft, Stage.Kind.MOBILISE)
    response = client.post(reverse("campaign:stage_start", args=[draft.pk, mobilise.pk]))
    assert response.status_code == 302
    mobilise.refresh_from_db()
    draft.refresh_from_db()
    assert mobilise.status == Stage.Status.ACTIVE
    assert draft.status == Campaign.Status.RUNNING
    assert "“宣传动员”阶段已开始。" in messages_of(response)


def test_a_stage_cannot_start_before_the_earlier_ones_are_done(client, office, campaign):
    client.force_login(office)
    risks = stage(campaign, Stage.Kind.RISKS)
    response = client.post(
        reverse("campaign:stage_start", args=[campaign.pk, risks.pk]), follow=True
    )
    assert response.status_code == 200
    assert any("请先完成之前的阶段" in m for m in messages_of(response))
    risks.refresh_from_db()
    assert risks.status == Stage.Status.PENDING


def test_completing_a_stage_without_open_work(client, office, campaign):
    client.force_login(office)
    mobilise = stage(campaign, Stage.Kind.MOBILISE)
    page = reverse("campaign:stage_complete", args=[campaign.pk, mobilise.pk])
    response = client.get(page)
    assert response.status_code == 200
    assert response.context["open_work"] == []
    assert "本阶段的工作都已完成" in response.content.decode()
    response = client.post(page, {"reason": ""})
    assert response.status_code == 302
    mobilise.refresh_from_db()
    assert mobilise.status == Stage.Status.DONE


def test_open_work_needs_a_reason(client, office, campaign, open_powers_work):
    from campaign import services

    client.force_login(office)
    services.complete_stage(stage(campaign, Stage.Kind.MOBILISE).pk, office, reason="测试")
    powers = stage(campaign, Stage.Kind.POWERS)
    response = client.post(reverse("campaign:stage_start", args=[campaign.pk, powers.pk]))
    assert "“清权确权”阶段已开始。" in messages_of(response)
    page = reverse("campaign:stage_complete", args=[campaign.pk, powers.pk])

    response = client.get(page)
    assert "职权目录未审定的科室" in response.content.decode()

    response = client.post(page, {"reason": "   "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "职权目录未审定的科室" in html
    assert response.context["form"].errors["reason"] == ["本阶段还有未完成的工作，请填写原因。"]
    powers.refresh_from_db()
    assert powers.status == Stage.Status.ACTIVE

    response = client.post(page, {"reason": "两个科室的目录在下一阶段补审。"})
    assert response.status_code == 302
    powers.refresh_from_db()
    assert powers.status == Stage.Status.DONE
    assert powers.completion_reason == "两个科室的目录在下一阶段补审。"
    entry = campaign.history.get(action="stage.completed", target_id=powers.pk)
    assert "职权目录未审定的科室：2" in entry.detail


def test_only_an_active_stage_can_be_completed(client, office, campaign):
    client.force_login(office)
    grade = stage(campaign, Stage.Kind.GRADE)
    response = client.get(reverse("campaign:stage_complete", args=[campaign.pk, grade.pk]))
    assert response.status_code == 302
    assert "只能完成进行中的阶段。" in messages_of(response)


def test_a_stage_of_another_campaign_is_not_found(client, office, campaign, outsider):
    from tests.factories import CampaignFactory

    other = CampaignFactory(unit=campaign.unit, by=office)
    client.force_login(office)
    foreign = stage(other, Stage.Kind.MOBILISE)
    response = client.post(reverse("campaign:stage_start", args=[campaign.pk, foreign.pk]))
    assert response.status_code == 404


def test_ticking_a_milestone(client, office, campaign, staff):
    milestone = Milestone.objects.filter(stage__campaign=campaign).first()
    url = reverse("campaign:milestone_toggle", args=[campaign.pk, milestone.pk])
    client.force_login(staff)
    assert client.post(url, {"done": "1"}).status_code == 403
    client.force_login(office)
    detail = reverse("campaign:detail", args=[campaign.pk])
    response = client.post(url, {"done": "1", "next": detail})
    assert response["Location"] == detail
    milestone.refresh_from_db()
    assert milestone.done and milestone.done_by == office
    client.post(url, {"done": "0"})
    milestone.refresh_from_db()
    assert not milestone.done and milestone.done_at is None
    # An outside "next" is ignored.
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == detail
    assert client.get(url).status_code == 405


def _finish_all(campaign, office):
    from campaign import services

    for each in campaign.stages.order_by("position"):
        if each.status == Stage.Status.PENDING:
            services.start_stage(each.pk, office)
        services.complete_stage(each.pk, office, reason="测试")


def test_closing_needs_every_stage_done(client, office, campaign):
    client.force_login(office)
    close = reverse("campaign:close", args=[campaign.pk])
    response = client.post(close)
    assert any("还有未完成的阶段" in m for m in messages_of(response))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING

    _finish_all(campaign, office)
    detail = client.get(reverse("campaign:detail", args=[campaign.pk])).content.decode()
    assert "结束并锁定活动" in detail
    response = client.post(close)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert campaign.closed_at is not None


@pytest.fixture
def closed(campaign, office):
    _finish_all(campaign, office)
    from campaign import services

    services.close_campaign(campaign.pk, office)
    campaign.refresh_from_db()
    return campaign


def test_a_closed_campaign_shows_the_banner_and_hides_edit_buttons(client, closed, office):
    client.force_login(office)
    for name in ("detail", "leading_group", "mobilisation", "chains", "dashboard", "history"):
        html = client.get(reverse(f"campaign:{name}", args=[closed.pk])).content.decode()
        assert "本次活动已结束并锁定，所有内容只读" in html, name
    html = client.get(reverse("campaign:detail", args=[closed.pk])).content.decode()
    assert reverse("campaign:edit", args=[closed.pk]) not in html
    assert "milestone_toggle" not in html and "/toggle/" not in html
    assert (
        "添加成员"
        not in client.get(reverse("campaign:leading_group", args=[closed.pk])).content.decode()
    )


def test_a_closed_campaign_refuses_every_change_with_a_message(client, closed, office, staff):
    client.force_login(office)
    milestone = Milestone.objects.filter(stage__campaign=closed).first()
    before = milestone.done
    pages = [
        reverse("campaign:edit", args=[closed.pk]),
        reverse("campaign:plan", args=[closed.pk]),
        reverse("campaign:grading", args=[closed.pk]),
        reverse("campaign:chain_create", args=[closed.pk]),
        reverse("campaign:meeting_create", args=[closed.pk]),
        reverse("campaign:material_create", args=[closed.pk]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302, page
        assert "本次活动已结束并锁定，所有内容只读。" in messages_of(response)
        assert client.post(page, {"title": "改名"}).status_code == 302
    actions = [
        reverse("campaign:milestone_toggle", args=[closed.pk, milestone.pk]),
        reverse("campaign:close", args=[closed.pk]),
        reverse(
            "campaign:stage_start", args=[closed.pk, closed.stages.get(kind=Stage.Kind.REVIEW).pk]
        ),
        reverse("campaign:leading_group_remove", args=[closed.pk, closed.leading_group.first().pk]),
    ]
    for action in actions:
        response = client.post(action)
        assert response.status_code == 302, action
        assert any("已结束并锁定" in m for m in messages_of(response)), action
    response = client.post(reverse("campaign:leading_group", args=[closed.pk]), {"role": "member"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done == before
    assert closed.leading_group.filter(role=LeadingGroupMember.Role.OFFICE_HEAD).exists()

    material = StudyMaterialFactory(campaign=closed)
    client.force_login(staff)
    response = client.post(reverse("campaign:confirm_study", args=[closed.pk, material.pk]))
    assert response.status_code == 302
    assert any("已结束并锁定" in m for m in messages_of(response))
    assert not material.confirmations.exists()


def test_a_closed_campaign_has_no_edit_tabs(client, closed, office):
    client.force_login(office)
    tabs = client.get(reverse("campaign:detail", args=[closed.pk])).context["tabs"]
    assert [str(t["label"]) for t in tabs] == [
        "概况",
        "工作台",
        "领导小组",
        "宣传动员",
        "审核流程",
        # Read-only records of the last two stages stay reachable.
        "公示",
        "检查验收",
        "活动记录",
    ]
