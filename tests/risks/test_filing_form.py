"""The filing form through its view: risk points and their measures inline,
added, removed and reordered; validation next to each field with nothing
lost; the stale-copy refusal; power steps; a fixed number of queries."""

import pytest
from django.urls import reverse

from risks import services
from risks.models import Filing, Measure, RiskPoint
from tests.factories import PowerFactory, PowerStepFactory
from tests.risks.filing_helpers import (
    add_measure,
    add_point,
    edit_url,
    form_values,
    make_point,
    prefix_of,
)


@pytest.fixture
def staff_client(client, risk_org):
    client.force_login(risk_org["staff"])
    return client


def test_the_form_nests_a_measures_formset_in_every_point(risk_org, staff_client):
    filing, levels = risk_org["filing"], risk_org["levels"]
    point = make_point(filing, risk_org["category"], levels[2], measures=3)
    response = staff_client.get(edit_url(filing))
    assert response.status_code == 200
    data = form_values(response)
    prefix = prefix_of(data, point)
    assert data[f"{prefix}-measures-TOTAL_FORMS"] == "3"
    assert data[f"{prefix}-measures-INITIAL_FORMS"] == "3"
    lines = {data[f"{prefix}-measures-{i}-line"] for i in range(3)}
    assert lines == set(Measure.Line.values)
    html = response.content.decode()
    # The templates the page clones: a point with its own (empty) measures
    # formset, and a measure with a placeholder of its own.
    assert 'name="points-__prefix__-measures-TOTAL_FORMS"' in html
    assert 'name="points-__prefix__-measures-__measure__-text"' in html
    for line in ("前期预防", "中期监控", "后期处置"):
        assert line in html
    # The factors, the suggestion and the self grade in the campaign's words.
    assert "发生可能性" in html and "追责严重程度" in html and "刑事责任" in html
    assert "建议等级" in html
    for level in levels.values():
        assert f">{level.label}</label>" in html


def test_creating_points_and_measures(risk_org, staff_client):
    filing, category, levels = risk_org["filing"], risk_org["category"], risk_org["levels"]
    data = form_values(staff_client.get(edit_url(filing)))
    first = add_point(
        data,
        category=category,
        title="项目准入审核中收受好处",
        content="在项目准入审核中可能接受申请人宴请、礼金。",
        self_grade=levels[1],
        found_by=["self", "leaders"],
        money="3",
        discretion="3",
        likelihood="3",
        measures=[
            {
                "line": "prevention",
                "text": "准入意见集体研究",
                "owner": risk_org["staff"],
                "due_on": "2026-06-30",
            },
            {"line": "monitoring", "text": "每季度抽查审核记录", "indicator": "抽查率不低于20%"},
            {"line": "handling", "text": "发现问题移交纪检组"},
        ],
    )
    add_point(data, category=category, title="泄露招商信息", content="向无关人员透露客商信息。")
    data["action"] = "save"
    response = staff_client.post(edit_url(filing), data)
    assert response.status_code == 302, form_problems(response)
    points = list(filing.risk_points.order_by("position"))
    assert [(p.position, p.title) for p in points] == [
        (1, "项目准入审核中收受好处"),
        (2, "泄露招商信息"),
    ]
    point = points[0]
    assert point.found_by == ["self", "leaders"]
    assert point.self_grade == levels[1]
    assert (point.money, point.discretion, point.likelihood, point.harm) == (3, 3, 3, None)
    # The suggestion is stored on save.
    assert point.suggested_grade == levels[1] and "资金流量高" in point.suggestion_reason
    measures = {m.line: m for m in point.measures.all()}
    assert measures["prevention"].owner == risk_org["staff"]
    assert measures["prevention"].due_on.isoformat() == "2026-06-30"
    assert measures["monitoring"].indicator == "抽查率不低于20%"
    assert all(m.position == 1 for m in measures.values())
    filing.refresh_from_db()
    assert filing.version == 1 and filing.started_at is not None
    assert first == "points-0"


def test_a_new_point_starts_with_the_filer_as_owner_of_its_measures(risk_org, staff_client):
    html = staff_client.get(edit_url(risk_org["filing"])).content.decode()
    template = html[html.index('<template id="measure-template">') :]
    template = template[: template.index("</template>")]
    assert f'<option value="{risk_org["staff"].pk}" selected>' in template


def test_blank_rows_added_on_the_page_are_left_out(risk_org, staff_client):
    filing = risk_org["filing"]
    data = form_values(staff_client.get(edit_url(filing)))
    prefix = add_point(data, category=None)
    add_measure(data, prefix, line="monitoring", text="")
    response = staff_client.post(edit_url(filing), data)
    assert response.status_code == 302
    assert not filing.risk_points.exists()


def test_reordering_removing_and_editing(risk_org, staff_client):
    filing, category, level = risk_org["filing"], risk_org["category"], risk_org["levels"][2]
    a = make_point(filing, category, level, title="甲", measures=3, position=1)
    b = make_point(filing, category, level, title="乙", measures=1, position=2)
    c = make_point(filing, category, level, title="丙", measures=1, position=3)
    data = form_values(staff_client.get(edit_url(filing)))
    pa, pb, pc = (prefix_of(data, p) for p in (a, b, c))
    # 丙 first, then 甲; 乙 removed; one of 甲's measures removed, another edited.
    data[f"{pc}-position"], data[f"{pa}-position"], data[f"{pb}-position"] = "1", "2", ""
    data[f"{pb}-DELETE"] = "on"
    measure_rows = {data[f"{pa}-measures-{i}-line"]: f"{pa}-measures-{i}" for i in range(3)}
    data[f"{measure_rows['handling']}-DELETE"] = "on"
    data[f"{measure_rows['prevention']}-text"] = "改后的措施"
    data[f"{pa}-title"] = "甲（修改）"
    response = staff_client.post(edit_url(filing), data)
    assert response.status_code == 302, form_problems(response)
    assert [(p.position, p.title) for p in filing.risk_points.order_by("position")] == [
        (1, "丙"),
        (2, "甲（修改）"),
    ]
    assert not RiskPoint.objects.filter(pk=b.pk).exists()
    assert not Measure.objects.filter(risk_point_id=b.pk).exists()
    a.refresh_from_db()
    assert sorted(m.line for m in a.measures.all()) == ["monitoring", "prevention"]
    assert a.measures.get(line="prevention").text == "改后的措施"
    # Every change is in the field history, with who made it.
    history = a.history.first()
    assert history.title == "甲（修改）" and history.history_user == risk_org["staff"]


def test_measures_are_renumbered_within_their_line(risk_org, staff_client):
    filing = risk_org["filing"]
    point = make_point(filing, risk_org["category"], risk_org["levels"][2], measures=0)
    data = form_values(staff_client.get(edit_url(filing)))
    prefix = prefix_of(data, point)
    add_measure(data, prefix, line="prevention", text="第二条", position="2")
    add_measure(data, prefix, line="prevention", text="第一条", position="1")
    add_measure(data, prefix, line="handling", text="处置", position="7")
    assert staff_client.post(edit_url(filing), data).status_code == 302
    rows = list(point.measures.order_by("line", "position").values_list("line", "position", "text"))
    assert rows == [
        ("handling", 1, "处置"),
        ("prevention", 1, "第一条"),
        ("prevention", 2, "第二条"),
    ]


def form_problems(response):
    if response.status_code != 200:
        return response.status_code
    html = response.content.decode()
    return [
        line.strip()
        for line in html.splitlines()
        if "field-error-text" in line or "alert-danger" in line
    ]


def test_errors_show_in_chinese_next_to_the_field_and_nothing_typed_is_lost(risk_org, staff_client):
    filing, level = risk_org["filing"], risk_org["levels"][2]
    existing = make_point(filing, risk_org["category"], level, measures=1)
    data = form_values(staff_client.get(edit_url(filing)))
    prefix = prefix_of(data, existing)
    data[f"{prefix}-title"] = "已改标题，尚未保存"
    new = add_point(data, category=None, title="只写了标题的新风险点", measures=[{"text": ""}])
    add_measure(data, new, line="handling", text="一条写好的处置措施")
    data[f"{new}-money"] = "3"
    data["action"] = "save"
    response = staff_client.post(edit_url(filing), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有保存" in html
    # The errors sit next to their fields, in Chinese.
    category_block = html[html.index(f'id="id_{new}-category"') :][:600]
    assert "这个字段是必填项。" in category_block
    content_block = html[html.index(f'id="id_{new}-content"') :][:600]
    assert "这个字段是必填项。" in content_block
    # Everything typed is still there, the reordering and the new rows too.
    again = form_values(response)
    assert again[f"{prefix}-title"] == "已改标题，尚未保存"
    assert again[f"{new}-title"] == "只写了标题的新风险点"
    assert again[f"{new}-money"] == "3"
    assert "一条写好的处置措施" in again.values()
    assert again["points-TOTAL_FORMS"] == "2"
    # Nothing was saved.
    existing.refresh_from_db()
    assert existing.title == "审批时收受好处"
    assert filing.risk_points.count() == 1
    assert Filing.objects.get(pk=filing.pk).version == 0


def test_a_stale_copy_is_refused_and_the_typed_text_kept(risk_org, staff_client):
    filing = risk_org["filing"]
    point = make_point(filing, risk_org["category"], risk_org["levels"][2])
    data = form_values(staff_client.get(edit_url(filing)))
    # Meanwhile the same person saves from another browser tab.
    services.save_draft(filing.pk, risk_org["staff"], expected_version=0, write=lambda f: None)
    prefix = prefix_of(data, point)
    data[f"{prefix}-content"] = "在另一个窗口里写的长段内容"
    add_point(data, category=risk_org["category"], title="新加的风险点", content="内容")
    response = staff_client.post(edit_url(filing), data)
    assert response.status_code == 200
    html = response.content.decode()
    problems = html[html.index('data-testid="form-problems"') :][:600]
    assert "修改过这份登记表" in problems and "仍保留在下方" in problems
    again = form_values(response)
    assert again[f"{prefix}-content"] == "在另一个窗口里写的长段内容"
    assert "新加的风险点" in again.values()
    point.refresh_from_db()
    assert point.content != "在另一个窗口里写的长段内容"
    assert filing.risk_points.count() == 1


def test_the_power_step_must_belong_to_the_power(risk_org, staff_client):
    filing, section = risk_org["filing"], risk_org["section"]
    power = PowerFactory(
        catalogue__campaign=risk_org["campaign"], catalogue__section=section, steps=2
    )
    other = PowerFactory(
        catalogue__campaign=risk_org["campaign"], catalogue__section=section, steps=2
    )
    foreign = PowerFactory(
        catalogue__campaign=risk_org["campaign"], catalogue__section=risk_org["other_section"]
    )
    response = staff_client.get(edit_url(filing))
    html = response.content.decode()
    # Only the powers of the filer's section are offered; their steps travel
    # as data for the page to filter.
    assert power.name in html and other.name in html and foreign.name not in html
    assert 'id="power-steps"' in html
    data = form_values(response)
    prefix = add_point(
        data,
        category=risk_org["category"],
        title="审批环节",
        content="内容",
        power=str(power.pk),
        power_step=str(other.steps.first().pk),
    )
    response = staff_client.post(edit_url(filing), data)
    assert response.status_code == 200
    html = response.content.decode()
    step_block = html[html.index(f'id="id_{prefix}-power_step"') :][:1500]
    assert "所选流程环节不属于所选职权" in step_block
    assert not filing.risk_points.exists()

    data[f"{prefix}-power_step"] = str(power.steps.last().pk)
    assert staff_client.post(edit_url(filing), data).status_code == 302
    point = filing.risk_points.get()
    assert (point.power, point.power_step) == (power, power.steps.last())

    data = form_values(staff_client.get(edit_url(filing)))
    data[f"{prefix_of(data, point)}-power"] = str(foreign.pk)
    data[f"{prefix_of(data, point)}-power_step"] = ""
    response = staff_client.post(edit_url(filing), data)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()


def test_the_submit_button_saves_then_asks_for_the_pledge(risk_org, staff_client):
    filing = risk_org["filing"]
    data = form_values(staff_client.get(edit_url(filing)))
    add_point(
        data,
        category=risk_org["category"],
        title="风险点",
        content="内容",
        self_grade=risk_org["levels"][2],
        measures=[{"text": "措施"}],
    )
    data["action"] = "submit"
    response = staff_client.post(edit_url(filing), data)
    assert response.status_code == 302
    assert response.url == reverse("risks:filing_submit", args=[filing.pk])
    assert filing.risk_points.count() == 1
    filing.refresh_from_db()
    assert filing.status == Filing.Status.DRAFT  # not sent until the pledge is signed


def test_rows_of_another_filing_cannot_be_smuggled_in(risk_org, staff_client):
    filing = risk_org["filing"]
    mine = make_point(filing, risk_org["category"], risk_org["levels"][2])
    colleague_filing = Filing.objects.get(
        campaign=risk_org["campaign"], owner=risk_org["colleague"]
    )
    theirs = make_point(
        colleague_filing, risk_org["category"], risk_org["levels"][2], title="别人的"
    )
    data = form_values(staff_client.get(edit_url(filing)))
    prefix = prefix_of(data, mine)
    data[f"{prefix}-id"] = str(theirs.pk)
    data[f"{prefix}-title"] = "篡改"
    response = staff_client.post(edit_url(filing), data)
    assert response.status_code == 200
    assert "不属于本登记表" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.title == "别人的"


def test_only_an_editable_filing_opens_in_the_form(risk_org, staff_client):
    filing = risk_org["filing"]
    Filing.objects.filter(pk=filing.pk).update(status=Filing.Status.IN_REVIEW)
    response = staff_client.get(edit_url(filing))
    assert response.status_code == 403
    assert "审核结束前不能修改" in response.content.decode()
    assert staff_client.post(edit_url(filing), {}).status_code == 403


@pytest.mark.parametrize("count", [1, 30])
def test_the_form_runs_the_same_queries_for_1_and_30_points(
    risk_org, staff_client, count, django_assert_max_num_queries
):
    filing = risk_org["filing"]
    section = risk_org["section"]
    power = PowerFactory(
        catalogue__campaign=risk_org["campaign"], catalogue__section=section, steps=3
    )
    for number in range(count):
        make_point(
            filing,
            risk_org["category"],
            risk_org["levels"][number % 3 + 1],
            title=f"风险点{number}",
            measures=3,
            power=power,
            power_step=power.steps.first(),
            likelihood=2,
            money=3,
        )
    PowerStepFactory(power=power, position=9)
    staff_client.get(edit_url(filing))  # warm the caches (content types, permissions)
    with django_assert_max_num_queries(24):
        response = staff_client.get(edit_url(filing))
    assert response.status_code == 200
    assert response.content.decode().count("data-point ") == count + 1  # + the template
