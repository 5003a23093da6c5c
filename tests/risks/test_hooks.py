"""What the risks app adds to the shared frame: open work per stage, home
work items, navigation entries."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from accounts import home, navigation
from campaign import progress
from campaign.models import Campaign, Stage
from risks.models import Filing, Measure
from tests.factories import UserFactory

from .oversight_helpers import add_point, bring_to


def lines_of(campaign, kind):
    stage = campaign.stages.get(kind=kind)
    return {item.label: item for item in progress.open_work(stage)}


# Open work ----------------------------------------------------------------------


def test_open_work_of_the_find_risks_stage(risk_org):
    campaign = risk_org["campaign"]
    bring_to(risk_org["filing"], "submitted", risk_org)
    work = lines_of(campaign, Stage.Kind.RISKS)
    personal = Filing.objects.filter(campaign=campaign, kind=Filing.Kind.PERSONAL).count()
    assert work["未提交的个人登记表"].count == personal - 1
    assert work["未提交的科室登记表"].count == 3
    assert work["未提交的单位（领导班子）登记表"].count == 1
    url = work["未提交的个人登记表"].url
    assert url.startswith(reverse("risks:filings", args=[campaign.pk]))
    assert "state=behind" in url and "kind=personal" in url


def test_open_work_of_the_grading_stage(risk_org):
    campaign = risk_org["campaign"]
    bring_to(risk_org["filing"], "approved", risk_org)
    colleague = Filing.objects.get(campaign=campaign, owner=risk_org["colleague"])
    bring_to(colleague, "submitted", risk_org)
    work = lines_of(campaign, Stage.Kind.GRADE)
    assert work["尚未审定的登记表"].count == Filing.objects.filter(campaign=campaign).count() - 1
    assert work["尚未评定等级的风险点"].count == 1
    assert "unfinal=on" in work["尚未评定等级的风险点"].url


def test_open_work_of_the_measures_stage(risk_org):
    campaign = risk_org["campaign"]
    add_point(risk_org["filing"], lines=3)
    add_point(risk_org["filing"], lines=2)
    point = add_point(risk_org["filing"], lines=0)
    Measure.objects.create(risk_point=point, line=Measure.Line.HANDLING, text="x", owner=None)
    work = lines_of(campaign, Stage.Kind.MEASURES)
    assert work["三道防线措施不全的风险点"].count == 2
    assert work["未确定责任人的防控措施"].count == 1
    # Nothing open: the lines are left out.
    Measure.objects.filter(owner=None).update(owner=risk_org["staff"])
    assert "未确定责任人的防控措施" not in lines_of(campaign, Stage.Kind.MEASURES)


# Home work items -----------------------------------------------------------------


def risk_items(user):
    return [item for item in home.work_for(user) if item.kind == "风险登记"]


def test_own_filing_is_a_work_item_until_submitted(risk_org):
    due = risk_org["campaign"].stages.get(kind=Stage.Kind.RISKS).due_on
    before = datetime.combine(due - timedelta(days=3), time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(before, tick=False):
        (item,) = risk_items(risk_org["staff"])
    assert item.url == risk_org["filing"].get_absolute_url()
    assert item.due == risk_org["campaign"].stages.get(kind=Stage.Kind.RISKS).due_on
    assert not item.urgent
    bring_to(risk_org["filing"], "submitted", risk_org)
    assert risk_items(risk_org["staff"]) == []


def test_a_returned_filing_is_urgent(risk_org):
    bring_to(risk_org["filing"], "returned", risk_org)
    (item,) = risk_items(risk_org["staff"])
    assert item.urgent and "退回" in item.title


def test_overdue_filing_is_urgent(risk_org):
    due = risk_org["campaign"].stages.get(kind=Stage.Kind.RISKS).due_on
    later = datetime.combine(due + timedelta(days=2), time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(later, tick=False):
        (item,) = risk_items(risk_org["staff"])
    assert item.urgent


def test_section_head_and_office_see_their_collective_filings(risk_org):
    head_items = risk_items(risk_org["head"])
    section_filing = Filing.objects.get(
        campaign=risk_org["campaign"], kind=Filing.Kind.SECTION, section=risk_org["section"]
    )
    assert {item.url for item in head_items} == {
        Filing.objects.get(
            campaign=risk_org["campaign"], owner=risk_org["head"]
        ).get_absolute_url(),
        section_filing.get_absolute_url(),
    }
    unit_filing = Filing.objects.get(campaign=risk_org["campaign"], kind=Filing.Kind.UNIT)
    office_urls = {item.url for item in risk_items(risk_org["office"])}
    assert unit_filing.get_absolute_url() in office_urls
    assert unit_filing.get_absolute_url() not in {i.url for i in risk_items(risk_org["discipline"])}


def test_no_work_items_outside_a_running_campaign(risk_org):
    Campaign.objects.filter(pk=risk_org["campaign"].pk).update(status=Campaign.Status.CLOSED)
    assert risk_items(risk_org["staff"]) == []
    assert risk_items(risk_org["outsider"]) == []


def test_home_page_lists_the_filing(client, risk_org):
    client.force_login(risk_org["staff"])
    html = client.get(reverse("home")).content.decode()
    assert "填报个人岗位风险点登记表" in html
    assert risk_org["filing"].get_absolute_url() in html


# Navigation --------------------------------------------------------------------------


def nav_keys(user):
    request = RequestFactory().get("/")
    request.user = user
    entries = navigation.items_for(request)
    # Grouped entries sit in a drop-down's children.
    return {e["key"] for item in entries for e in item.get("children", [item])}


@pytest.mark.parametrize(
    "who, expected",
    [
        ("staff", {"risks_mine"}),
        ("head", {"risks_mine", "risks_section"}),
        ("supervisor", {"risks_mine"}),  # a leader files their own form
        ("office", {"risks_mine", "risks_register"}),
        ("auditor", {"risks_register"}),
        ("discipline", {"risks_register"}),
        ("committee", {"risks_mine", "risks_register"}),
    ],
)
def test_navigation_per_role(risk_org, who, expected):
    keys = nav_keys(risk_org[who]) & {"risks_mine", "risks_section", "risks_register"}
    assert keys == expected


def test_navigation_links_work(client, risk_org):
    client.force_login(risk_org["head"])
    html = client.get(reverse("home")).content.decode()
    assert reverse("risks:mine") in html and reverse("risks:section_current") in html
    client.force_login(UserFactory(section=None, unit=risk_org["campaign"].unit))
    html = client.get(reverse("home")).content.decode()
    assert reverse("risks:mine") not in html
