"""The leading-group page: everyone in the unit reads it, the office edits it."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import User
from campaign import access
from campaign.models import LeadingGroupMember
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

R = LeadingGroupMember.Role


def url(campaign):
    return reverse("campaign:leading_group", args=[campaign.pk])


def seat(person, role=R.MEMBER, duty="", order=1):
    return {"person": str(person.pk), "role": role, "duty": duty, "display_order": str(order)}


@pytest.fixture
def leader(campaign):
    return UserFactory(section=None, unit=campaign.unit, rank=User.Rank.LEADER, full_name="组长甲")


def test_staff_read_the_group_by_role(client, campaign, office, staff, leader):
    client.force_login(office)
    client.post(url(campaign), seat(leader, R.LEADER, "全面领导"))
    client.force_login(staff)
    response = client.get(url(campaign))
    assert response.status_code == 200
    labels = [label for label, _members in response.context["groups"]]
    assert labels == ["组长", "办公室主任"]
    html = response.content.decode()
    assert "组长甲" in html and "全面领导" in html
    assert response.context["form"] is None
    assert "添加成员" not in html
    assert client.post(url(campaign), seat(staff)).status_code == 403
    assert not campaign.leading_group.filter(person=staff).exists()


def test_the_office_adds_edits_and_removes_members(client, campaign, office, staff):
    client.force_login(office)
    response = client.post(url(campaign), seat(staff, R.MEMBER, "组织本科室查找风险"))
    assert response.status_code == 302
    member = campaign.leading_group.get(person=staff)
    assert (member.role, member.duty) == (R.MEMBER, "组织本科室查找风险")
    assert campaign.history.filter(action="leading_group.saved").exists()
    assert not access.may_administer(staff, campaign)

    # Appointed to the office: now administers the campaign.
    response = client.get(url(campaign), {"edit": member.pk})
    assert response.context["editing"] == member
    data = seat(staff, R.OFFICE_MEMBER, "会议组织")
    data["member"] = str(member.pk)
    client.post(url(campaign), data)
    member.refresh_from_db()
    assert member.role == R.OFFICE_MEMBER
    assert access.may_administer(staff, campaign)

    response = client.post(reverse("campaign:leading_group_remove", args=[campaign.pk, member.pk]))
    assert response.status_code == 302
    assert not campaign.leading_group.filter(person=staff).exists()
    assert not access.may_administer(staff, campaign)


def test_a_person_sits_once(client, campaign, office, staff):
    client.force_login(office)
    client.post(url(campaign), seat(staff))
    response = client.post(url(campaign), seat(staff, R.DEPUTY))
    assert response.status_code == 200
    assert response.context["form"].errors["person"] == [f"{staff} 已在领导小组中。"]
    assert campaign.leading_group.filter(person=staff).count() == 1


def test_people_of_another_unit_cannot_be_chosen(client, campaign, office, outsider):
    client.force_login(office)
    response = client.post(url(campaign), seat(outsider))
    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert not campaign.leading_group.filter(person=outsider).exists()


def test_the_office_cannot_remove_its_own_seat(client, campaign, office):
    client.force_login(office)
    own = campaign.leading_group.get(person=office)
    response = client.post(reverse("campaign:leading_group_remove", args=[campaign.pk, own.pk]))
    assert response.status_code == 302
    assert "不能移除自己在办公室的职务，请由其他办公室成员操作。" in [
        str(m) for m in get_messages(response.wsgi_request)
    ]
    assert campaign.leading_group.filter(pk=own.pk).exists()


def test_outsiders_and_staff_are_refused(client, campaign, office, staff, outsider):
    member = campaign.leading_group.get(person=office)
    remove = reverse("campaign:leading_group_remove", args=[campaign.pk, member.pk])
    client.force_login(outsider)
    assert client.get(url(campaign)).status_code == 404
    assert client.post(remove).status_code == 404
    client.force_login(staff)
    assert client.post(remove).status_code == 403
    assert campaign.leading_group.filter(pk=member.pk).exists()
