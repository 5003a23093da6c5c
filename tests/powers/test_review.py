"""The catalogue's review: submit, return, resubmit, approve, lock, revise."""

import pytest
from django.urls import reverse

from campaign.approvals import ReviewError, open_step_for
from campaign.models import Campaign, CampaignClosed, ReviewStep, StepRole
from powers import services
from powers.models import Catalogue, CatalogueRevision, Power
from tests.factories import CatalogueFactory, PowerFactory, PowerStepFactory

from .helpers import power_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(org):
    catalogue = CatalogueFactory(campaign=org.campaign, section=org.section)
    power = PowerFactory(
        catalogue=catalogue, code="ZS1-001", name="招商项目准入初审", time_limit="20个工作日"
    )
    PowerStepFactory(power=power, position=1, name="受理")
    PowerFactory(catalogue=catalogue, code="ZS1-002", name="奖励资金兑现初审")
    return catalogue


def url(name, org, *args):
    return reverse(f"powers:{name}", args=[org.campaign.pk, *(args or [org.section.pk])])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_the_review_chain_end_to_end(client, org, catalogue):
    # The head submits; the head's own step is skipped, the office's opens.
    client.force_login(org.head)
    response = client.post(url("catalogue_submit", org), follow=True)
    assert "职权目录已提交审核。" in messages_of(response)
    catalogue.refresh_from_db()
    assert catalogue.status == Catalogue.Status.IN_REVIEW
    assert catalogue.submitted_at is not None
    step = open_step_for(catalogue)
    assert step.role == StepRole.OFFICE
    assert org.office in step.assignees.all()
    assert step.review.steps.get(position=1).status == ReviewStep.Status.SKIPPED

    # In review: no edits.
    response = client.get(url("power_create", org), follow=True)
    assert any("不能修改" in m for m in messages_of(response))
    with pytest.raises(ReviewError):
        services.delete_power(catalogue.powers.first(), org.head)

    # The catalogue page offers the office the decision buttons, not the head.
    assert "catalogue_approve" not in response.content.decode()
    client.force_login(org.office)
    page = client.get(url("catalogue", org)).content.decode()
    assert 'data-testid="review-panel"' in page and url("catalogue_approve", org) in page

    # A return needs a reason.
    response = client.post(
        url("catalogue_return", org), {"step": step.pk, "reason": " "}, follow=True
    )
    assert "退回时必须填写退回理由。" in messages_of(response)
    response = client.post(
        url("catalogue_return", org), {"step": step.pk, "reason": "依据不完整"}, follow=True
    )
    catalogue.refresh_from_db()
    assert catalogue.status == Catalogue.Status.RETURNED
    assert "依据不完整" in response.content.decode()

    # Returned: the head edits and resubmits.
    client.force_login(org.head)
    power = catalogue.powers.get(code="ZS1-001")
    data = power_data(org, code="ZS1-001", name=power.name, legal_basis="准入管理办法第五条")
    assert client.post(url("power_edit", org, power.pk), data).status_code == 302
    client.post(url("catalogue_submit", org))
    catalogue.refresh_from_db()
    assert catalogue.status == Catalogue.Status.IN_REVIEW
    step = open_step_for(catalogue)
    assert step.round == 2

    # The office approves: approved, locked, snapshot kept.
    client.force_login(org.office)
    client.post(url("catalogue_approve", org), {"step": step.pk, "opinion": "同意"})
    catalogue.refresh_from_db()
    assert catalogue.status == Catalogue.Status.APPROVED
    assert catalogue.approved_at is not None
    revision = catalogue.revisions.get()
    assert revision.number == 1
    assert [p["code"] for p in revision.snapshot] == ["ZS1-001", "ZS1-002"]
    assert revision.snapshot[0]["steps"][0]["name"] == "受理"
    assert revision.snapshot[0]["legal_basis"] == "准入管理办法第五条"

    client.force_login(org.head)
    response = client.get(url("power_edit", org, power.pk), follow=True)
    assert any("不能修改" in m for m in messages_of(response))
    with pytest.raises(ReviewError, match="修订"):
        services.submit_catalogue(catalogue, org.head)

    # 修订: a new draft revision, changed, approved again.
    response = client.post(url("catalogue_revise", org), follow=True)
    catalogue.refresh_from_db()
    assert (catalogue.status, catalogue.revision) == (Catalogue.Status.DRAFT, 2)
    data = power_data(
        org,
        code="ZS1-001",
        name=power.name,
        legal_basis="准入管理办法第五条",
        time_limit="15个工作日",
    )
    client.post(url("power_edit", org, power.pk), data)
    client.post(url("power_create", org), power_data(org, name="新增的职权"))
    client.post(url("power_delete", org, catalogue.powers.get(code="ZS1-002").pk))

    # The history shows the draft against revision 1.
    page = client.get(url("catalogue_history", org)).content.decode()
    assert 'data-testid="draft-diff"' in page

    client.post(url("catalogue_submit", org))
    client.force_login(org.office)
    client.post(url("catalogue_approve", org), {"step": open_step_for(catalogue).pk})
    catalogue.refresh_from_db()
    assert catalogue.status == Catalogue.Status.APPROVED
    assert list(catalogue.revisions.values_list("number", flat=True)) == [1, 2]

    response = client.get(url("catalogue_history", org))
    changes = response.context["changes"]
    latest = changes[0]["diff"]
    assert [p["name"] for p in latest.added] == ["新增的职权"]
    assert [p["code"] for p in latest.removed] == ["ZS1-002"]
    (changed,) = latest.changed
    assert changed.code == "ZS1-001"
    assert [(f.label, f.old, f.new) for f in changed.fields if f.key == "time_limit"] == [
        ("办理时限", "30个工作日", "15个工作日")
    ]
    page = response.content.decode()
    assert "15个工作日" in page and "新增的职权" in page
    # The review timeline: both rounds of revision 1 and the round of revision 2.
    timeline = list(response.context["timeline"])
    assert [s.status for s in timeline if s.role == StepRole.OFFICE] == [
        "returned",
        "approved",
        "approved",
    ]


def test_an_office_member_may_compile_and_submit_then_the_head_reviews(org, catalogue):
    services.submit_catalogue(catalogue, org.office)
    step = open_step_for(catalogue)
    assert step.role == StepRole.SECTION_HEAD
    assert list(step.assignees.all()) == [org.head]


def test_an_empty_catalogue_cannot_be_submitted(client, org):
    client.force_login(org.head)
    response = client.post(url("catalogue_submit", org), follow=True)
    assert "职权目录还没有任何职权事项，不能提交。" in messages_of(response)


def test_a_person_who_is_not_the_reviewer_is_told_so(client, org, catalogue):
    services.submit_catalogue(catalogue, org.head)
    step = open_step_for(catalogue)
    client.force_login(org.staff)
    response = client.post(url("catalogue_approve", org), {"step": step.pk}, follow=True)
    assert "您不是该环节的审核人。" in messages_of(response)
    catalogue.refresh_from_db()
    assert catalogue.status == Catalogue.Status.IN_REVIEW


def test_a_step_of_another_catalogue_is_not_found(client, org, catalogue):
    theirs = CatalogueFactory(campaign=org.campaign, section=org.other)
    PowerFactory(catalogue=theirs)
    services.submit_catalogue(theirs, org.other_head)
    client.force_login(org.office)
    response = client.post(url("catalogue_approve", org), {"step": open_step_for(theirs).pk})
    assert response.status_code == 404


def test_open_revision_only_from_approved(org, catalogue):
    with pytest.raises(ReviewError, match="只有已审定"):
        services.open_revision(catalogue, org.head)


def test_a_closed_campaign_refuses_every_change(client, org, catalogue):
    Campaign.objects.filter(pk=org.campaign.pk).update(status=Campaign.Status.CLOSED)
    catalogue.refresh_from_db()
    with pytest.raises(CampaignClosed):
        services.submit_catalogue(catalogue, org.head)
    client.force_login(org.head)
    response = client.get(url("power_create", org), follow=True)
    assert "本次活动已结束并锁定，不能再修改。" in messages_of(response)
    response = client.post(url("power_create", org), power_data(org, name="结束后新增"))
    assert not Power.objects.filter(name="结束后新增").exists()
    assert CatalogueRevision.objects.count() == 0
