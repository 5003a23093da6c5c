"""The flowchart SVG: valid XML, one box per step, risk steps marked, text escaped."""

import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.urls import reverse

from powers import flowchart
from tests.factories import CatalogueFactory, PowerFactory, PowerStepFactory

pytestmark = pytest.mark.django_db

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg):
    return ET.fromstring(str(svg))


def groups(root, cls):
    return [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == cls]


def texts(root):
    return "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}tspan"))


@pytest.fixture
def catalogue(org):
    return CatalogueFactory(campaign=org.campaign, section=org.section)


def test_one_step(catalogue):
    power = PowerFactory(catalogue=catalogue, name="公务用车管理", steps=1)
    root = parse(flowchart.render(power))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(groups(root, "step")) == 1
    assert len(groups(root, "terminal start")) == len(groups(root, "terminal end")) == 1
    # start → step → end
    assert len(root.findall(".//svg:line[@class='arrow']", NS)) == 2
    assert "公务用车管理" in texts(root)


def test_fifteen_steps_with_risks(catalogue, org):
    power = PowerFactory(catalogue=catalogue)
    for position in range(1, 16):
        PowerStepFactory(
            power=power,
            position=position,
            name=f"第{position}个环节",
            post=org.chief if position % 2 else None,
            is_risk=position in (3, 7, 11),
        )
    root = parse(flowchart.render(power))
    assert len(groups(root, "step")) == 12
    risky = groups(root, "step risk")
    assert [g.get("data-position") for g in risky] == ["3", "7", "11"]
    assert all("风险点" in "".join(t.text or "" for t in g.iter()) for g in risky)
    assert len(root.findall(".//svg:line[@class='arrow']", NS)) == 16
    # The boxes run down the page without overlapping.
    tops = [float(g.find("svg:rect", NS).get("y")) for g in groups(root, "step") + risky]
    tops.sort()
    assert all(b - a > 40 for a, b in zip(tops, tops[1:], strict=False))
    assert float(root.get("height")) > tops[-1]
    assert "招商一科·科长" not in texts(root)  # own section's post shown by its name only
    assert "科长" in texts(root)


def test_text_is_escaped(catalogue):
    power = PowerFactory(catalogue=catalogue, name='名称<b>"粗"</b>', legal_basis="A & B")
    PowerStepFactory(
        power=power, position=1, name='<script>&"', responsible="<img src=x>", checks="a<b"
    )
    svg = str(flowchart.render(power))
    assert "<script" not in svg and "<img" not in svg
    assert "&lt;script&gt;&amp;" in svg
    root = parse(svg)
    assert '<script>&"' in texts(root)
    assert not list(root.iter("script")) and not list(
        root.iter("{http://www.w3.org/2000/svg}script")
    )
    assert '名称<b>"粗"</b>' in texts(root)


def test_control_characters_do_not_break_the_xml(catalogue):
    power = PowerFactory(catalogue=catalogue, name="名称\x08含控制字符\x0b")
    PowerStepFactory(power=power, position=1, name="环节\x1b")
    parse(flowchart.render(power))
    assert flowchart.esc("a\x00b\x1fc<") == "abc&lt;"


def test_long_chinese_text_wraps_within_the_box():
    long_name = "对拟落户本区的内资招商项目审查投资主体资信产业方向投资强度和环保能耗等条件并提出准入初审意见"
    lines = flowchart.wrap(long_name, flowchart.TEXT_WIDTH, flowchart.NAME_SIZE)
    assert len(lines) > 1
    assert "".join(lines) == long_name
    assert all(
        flowchart.text_width(line, flowchart.NAME_SIZE) <= flowchart.TEXT_WIDTH for line in lines
    )
    # Closing punctuation never starts a line.
    lines = flowchart.wrap("甲" * 29 + "，乙", flowchart.TEXT_WIDTH, flowchart.NAME_SIZE)
    assert not any(line.startswith("，") for line in lines)
    # Latin words are not cut when a space allows a break.
    lines = flowchart.wrap("Review of the SUPPLIER contract " * 4, 200, 14)
    assert all(not line.endswith("SUPPL") for line in lines)


def test_the_power_page_shows_and_downloads_the_flowchart(client, org, catalogue):
    power = PowerFactory(catalogue=catalogue, code="ZS1-003", name="招商奖励资金兑现初审", steps=4)
    client.force_login(org.staff)
    page = client.get(reverse("powers:power", args=[org.campaign.pk, power.pk])).content.decode()
    assert 'data-testid="flowchart"' in page and "<svg" in page
    assert "data-print" in page and "css/powers.css" in page
    svg_url = reverse("powers:flowchart_svg", args=[org.campaign.pk, power.pk])
    assert svg_url in page

    response = client.get(svg_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    name = "ZS1-003 招商奖励资金兑现初审 权力运行内部流程图.svg"
    assert f"filename*=UTF-8''{quote(name)}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert len(groups(parse(body.split("\n", 1)[1]), "step")) == 4


def test_a_power_without_steps_has_no_flowchart_yet(client, org, catalogue):
    power = PowerFactory(catalogue=catalogue)
    client.force_login(org.head)
    page = client.get(reverse("powers:power", args=[org.campaign.pk, power.pk])).content.decode()
    assert "尚未绘制流程图" in page
    assert (
        client.get(reverse("powers:flowchart_svg", args=[org.campaign.pk, power.pk])).status_code
        == 404
    )


def test_external_powers_are_titled_as_external_flowcharts(catalogue):
    power = PowerFactory(catalogue=catalogue, direction="external", steps=1)
    assert "权力运行外部流程图" in texts(parse(flowchart.render(power)))
