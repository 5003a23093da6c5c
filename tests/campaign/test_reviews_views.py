"""待我审核 and delegation through the pages."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Notification, User
from campaign import approvals
from campaign.models import FilerRank, ReviewStep, Subject
from tests.factories import SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("campaign:reviews")


@pytest.fixture
def org(campaign, office):
    section = SectionFactory(unit=campaign.unit)
    head = UserFactory(section=section, rank=User.Rank.MIDDLE, full_name="科长甲")
    section.head = head
    section.save()
    return {"campaign": campaign, "office": office, "section": section, "head": head}


def submit(org, n=1):
    """``n`` personal filings waiting for the head. Any model serves as the
    subject; a section's title (its name) costs no query of its own."""
    steps = []
    for _ in range(n):
        filer = UserFactory(section=org["section"])
        subject = SectionFactory(unit=org["campaign"].unit, name=f"{filer.full_name}的登记表")
        review = approvals.submit(
            subject,
            campaign=org["campaign"],
            subject_kind=Subject.PERSONAL,
            filer=filer,
            section=org["section"],
            by=filer,
            filer_rank=FilerRank.GENERAL,
        )
        steps.append(review.steps.get(status=ReviewStep.Status.OPEN))
    return steps


def test_a_reviewer_sees_what_waits_for_them(client, org, staff):
    (step,) = submit(org)
    client.force_login(org["head"])
    response = client.get(URL)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row["step"] for row in rows] == [step]
    html = response.content.decode()
    assert str(step.review.subject) in html
    assert "科室负责人" in html and "已等待" in html
    # Not the office: no delegation section.
    assert "office_page" not in response.context

    client.force_login(staff)
    response = client.get(URL)
    assert response.context["rows"] == []
    assert "没有等待您审核的事项" in response.content.decode()


def test_the_office_sees_every_open_step_and_delegates(client, org):
    (step,) = submit(org)
    deputy = UserFactory(section=org["section"], full_name="副科长乙")
    client.force_login(org["office"])
    response = client.get(URL)
    assert [row["step"] for row in response.context["office_rows"]] == [step]
    html = response.content.decode()
    assert reverse("campaign:delegate", args=[step.pk]) in html
    assert "副科长乙" in html

    response = client.post(
        reverse("campaign:delegate", args=[step.pk]), {"person": deputy.pk, "next": URL}
    )
    assert response.status_code == 302 and response["Location"] == URL
    step.refresh_from_db()
    assert step.delegate == deputy
    assert approvals.may_act(deputy, step)
    assert Notification.objects.filter(recipient=deputy, title__startswith="受委托审核").exists()

    client.force_login(deputy)
    response = client.get(URL)
    assert [row["step"] for row in response.context["rows"]] == [step]
    assert "受委托" in response.content.decode()


def test_delegation_refusals_are_messages(client, org):
    (step,) = submit(org)
    client.force_login(org["office"])
    response = client.post(
        reverse("campaign:delegate", args=[step.pk]), {"person": step.review.filer_id}
    )
    assert response.status_code == 302
    assert "不能委托提交人本人审核。" in [str(m) for m in get_messages(response.wsgi_request)]
    response = client.post(reverse("campaign:delegate", args=[step.pk]), {"person": ""})
    assert "请选择本单位在职的受托人。" in [str(m) for m in get_messages(response.wsgi_request)]
    step.refresh_from_db()
    assert step.delegate is None


def test_only_the_campaigns_office_delegates(client, org, staff, outsider):
    (step,) = submit(org)
    deputy = UserFactory(section=org["section"])
    url = reverse("campaign:delegate", args=[step.pk])
    client.force_login(org["head"])  # a reviewer, not the office
    assert client.post(url, {"person": deputy.pk}).status_code == 403
    client.force_login(outsider)  # another unit's office
    assert client.post(url, {"person": deputy.pk}).status_code == 404
    assert client.post(reverse("campaign:delegate", args=[999999]), {}).status_code == 404
    client.force_login(org["office"])
    assert client.get(url).status_code == 405
    step.refresh_from_db()
    assert step.delegate is None


@pytest.mark.parametrize("count", [3, 25])
def test_the_reviews_page_runs_a_fixed_number_of_queries(
    client, org, count, django_assert_max_num_queries
):
    submit(org, count)
    for person in (org["head"], org["office"]):
        client.force_login(person)
        with django_assert_max_num_queries(20):
            response = client.get(URL)
        assert response.status_code == 200
    assert len(response.context["office_rows"]) == min(count, 20)
