"""The personal iCalendar feed."""

import pytest
from django.core import signing
from django.urls import reverse
from icalendar import Calendar

from accounts.models import User
from accounts.roles import Role
from campaign import ical, services
from campaign.models import Milestone, Stage
from tests.factories import CampaignFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

R = Milestone.Responsible


def feed(client, user):
    response = client.get(reverse("campaign:ical", args=[ical.token_for(user)]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def summaries(calendar):
    return [str(event["summary"]) for event in calendar.walk("VEVENT")]


@pytest.fixture
def milestones(campaign, section):
    """One milestone per kind of responsible, in the powers stage."""
    stage = campaign.stages.get(kind=Stage.Kind.POWERS)
    Milestone.objects.filter(stage__campaign=campaign).delete()
    made = {}
    for responsible in R.values:
        made[responsible] = Milestone.objects.create(
            stage=stage,
            title=f"节点-{responsible}",
            due_on=stage.due_on,
            responsible=responsible,
            section=section if responsible == R.SECTION else None,
        )
    made["other_section"] = Milestone.objects.create(
        stage=stage,
        title="节点-其他科室",
        due_on=stage.due_on,
        responsible=R.SECTION,
        section=SectionFactory(unit=campaign.unit),
    )
    return made


def test_the_feed_needs_no_session_and_lists_every_stage(client, campaign, staff, milestones):
    calendar = feed(client, staff)  # not logged in
    events = summaries(calendar)
    stages = [e for e in events if e.endswith("阶段")]
    assert len(stages) == 7
    assert f"【{campaign.title}】宣传动员阶段" in stages
    event = next(e for e in calendar.walk("VEVENT") if str(e["summary"]).endswith("宣传动员阶段"))
    mobilise = campaign.stages.get(kind=Stage.Kind.MOBILISE)
    assert event.decoded("dtstart") == mobilise.starts_on
    assert (event.decoded("dtend") - mobilise.due_on).days == 1
    assert str(event["uid"]).startswith(f"stage-{mobilise.pk}@")
    assert str(calendar["x-wr-calname"]) == "廉政风险防控工作日程"


def test_general_staff_get_milestones_for_all_staff_and_their_section(client, staff, milestones):
    titles = {t.split("截止：")[-1] for t in summaries(feed(client, staff)) if "截止：" in t}
    assert titles == {"节点-all_staff", "节点-section"}


def test_roles_add_their_milestones(client, campaign, staff, section, milestones):
    section.head = staff
    section.save()
    committee = UserFactory(
        section=None, unit=campaign.unit, rank=User.Rank.LEADER, roles=[Role.PARTY_COMMITTEE]
    )
    titles = {t.split("截止：")[-1] for t in summaries(feed(client, staff)) if "截止：" in t}
    assert titles == {"节点-all_staff", "节点-section", "节点-section_heads"}
    titles = {t.split("截止：")[-1] for t in summaries(feed(client, committee)) if "截止：" in t}
    assert titles == {"节点-all_staff", "节点-party_committee"}


def test_the_office_and_the_leading_group(client, campaign, office, milestones):
    titles = {t.split("截止：")[-1] for t in summaries(feed(client, office)) if "截止：" in t}
    assert "节点-office" in titles and "节点-leading_group" in titles  # an office seat is a seat
    member = UserFactory(section=None, unit=campaign.unit, rank=User.Rank.LEADER)
    services.save_leading_group_member(campaign, office, person=member, role="deputy")
    titles = {t.split("截止：")[-1] for t in summaries(feed(client, member)) if "截止：" in t}
    assert titles == {"节点-all_staff", "节点-leading_group"}


def test_only_running_campaigns_of_the_unit(client, campaign, staff, outsider, milestones):
    CampaignFactory(unit=campaign.unit, by=campaign.created_by, title="草稿活动")  # a draft
    other = CampaignFactory(unit=outsider.unit, by=outsider, title="外单位活动")
    services.start_stage(other.stages.get(kind=Stage.Kind.MOBILISE).pk, outsider)
    events = summaries(feed(client, staff))
    assert not any("草稿活动" in e or "外单位活动" in e for e in events)
    assert any("外单位活动" in e for e in summaries(feed(client, outsider)))


@pytest.mark.parametrize("kind", ["garbage", "other salt", "not an id", "unsigned id"])
def test_a_bad_token_is_not_found(client, staff, kind):
    token = {
        "garbage": "not-a-token",
        "other salt": signing.Signer(salt="something.else").sign(str(staff.pk)),
        "not an id": signing.Signer(salt=ical.SALT).sign("abc"),
        "unsigned id": str(staff.pk),
    }[kind]
    assert client.get(reverse("campaign:ical", args=[token])).status_code == 404


def test_the_token_is_stable(staff):
    assert ical.token_for(staff) == ical.token_for(staff)
    assert ical.user_for(ical.token_for(staff)) == staff


def test_a_tampered_or_inactive_token_is_not_found(client, staff):
    token = ical.token_for(staff)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("campaign:ical", args=[tampered])).status_code == 404
    staff.is_active = False
    staff.save()
    assert client.get(reverse("campaign:ical", args=[token])).status_code == 404


def test_the_overview_offers_the_subscription(client, campaign, staff):
    client.force_login(staff)
    html = client.get(reverse("campaign:detail", args=[campaign.pk])).content.decode()
    assert "订阅到日历" in html
    assert reverse("campaign:ical", args=[ical.token_for(staff)]) in html
