"""The filing page: header, risk points with grades and the supervision
tier, measures in three lines, the pledge, the timeline of submissions and
decisions, the field history, buttons by permission, revisions."""

import pytest
from django.urls import reverse

from campaign import approvals
from campaign.models import ReviewStep
from risks import services
from risks.models import Filing, Measure
from tests.factories import PowerFactory
from tests.risks.filing_helpers import edit_url, form_values, make_point, prefix_of


def page(client, filing, **query):
    response = client.get(filing.get_absolute_url(), query)
    assert response.status_code == 200
    return response.content.decode()


def approve_all(filing):
    while True:
        step = services.review_for(filing).steps.filter(status=ReviewStep.Status.OPEN).first()
        if step is None:
            return
        approvals.approve(step.pk, step.assignees.first())


def test_the_page_shows_points_grades_and_measures(risk_org, client):
    filing, levels = risk_org["filing"], risk_org["levels"]
    power = PowerFactory(
        catalogue__campaign=risk_org["campaign"], catalogue__section=risk_org["section"], steps=2
    )
    point = make_point(
        filing,
        risk_org["category"],
        levels[2],
        measures=3,
        power=power,
        power_step=power.steps.first(),
        found_by=["self", "colleagues"],
        money=3,
        discretion=3,
        likelihood=3,
        accountability=2,
    )
    Measure.objects.filter(risk_point=point, line="monitoring").update(
        indicator="每月核对台账", status="in_progress"
    )
    services.refresh_suggestions(filing)
    client.force_login(risk_org["staff"])
    html = page(client, filing)
    assert (
        filing.review_title() in html
        and "个人岗位" in html
        and "填写中" in html
        and "第 1 版" in html
    )
    assert point.title in html and point.category.name in html
    assert power.name in html and power.steps.first().name in html
    assert "自己找、群众帮" in html
    assert (
        "资金流量 <b>高</b>" in html
        and "追责严重程度 <b>党纪政务处分</b>" in html
        and "危害程度 <b>未评</b>" in html
    )
    point.refresh_from_db()
    assert point.suggestion_reason in html
    for line in ("前期预防", "中期监控", "后期处置"):
        assert line in html
    assert "每月核对台账" in html and "落实中" in html
    assert levels[2].get_tier_display() in html and "按当前等级，待评定" in html
    assert f'id="point-{point.pk}"' in html


def test_buttons_follow_the_persons_rights(risk_org, client):
    filing = risk_org["filing"]
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    client.force_login(risk_org["staff"])
    html = page(client, filing)
    assert 'data-testid="edit"' in html and 'data-testid="submit"' in html
    assert 'data-testid="review"' not in html and 'data-testid="revise"' not in html
    assert 'data-testid="print"' in html and "print-button.js" in html

    client.force_login(risk_org["head"])
    html = page(client, filing)
    assert 'data-testid="edit"' not in html and 'data-testid="review"' not in html

    services.submit_filing(filing.pk, risk_org["staff"])
    html = page(client, filing)
    assert 'data-testid="review"' in html and "正在第 1 步：科室负责人审核" in html
    client.force_login(risk_org["staff"])
    html = page(client, filing)
    assert 'data-testid="edit"' not in html and 'data-testid="review"' not in html

    approve_all(filing)
    html = page(client, filing)
    assert 'data-testid="revise"' in html and 'data-testid="edit"' not in html
    client.force_login(risk_org["auditor"])
    html = page(client, filing)
    assert 'data-testid="revise"' not in html and "evidence-form" not in html


def test_the_timeline_and_the_final_grade(risk_org, client):
    filing, levels = risk_org["filing"], risk_org["levels"]
    point = make_point(filing, risk_org["category"], levels[2])
    services.submit_filing(filing.pk, risk_org["staff"], ip="10.0.0.1")
    step = services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)
    approvals.return_for_changes(step.pk, risk_org["head"], reason="请补充中期监控措施")
    services.submit_filing(filing.pk, risk_org["staff"])
    step = services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)
    approvals.approve(
        step.pk, risk_org["head"], opinion="同意", data={"grades": {point.pk: (levels[1], "")}}
    )
    step = services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)
    approvals.delegate(step.pk, risk_org["secretary"], risk_org["office"])
    approvals.approve(
        step.pk,
        risk_org["secretary"],
        opinion="领导小组评定",
        data={"grades": {point.pk: (levels[2], "已有AB角")}},
    )
    client.force_login(risk_org["staff"])
    html = page(client, filing)
    timeline = html[html.index('data-testid="timeline"') :]
    assert timeline.count('data-testid="timeline-step"') == 4
    assert (
        "第 1 轮 · 第 1 步：科室负责人" in timeline and "退回理由：请补充中期监控措施" in timeline
    )
    assert "第 2 轮 · 第 2 步：领导小组" in timeline and "审核意见：领导小组评定" in timeline
    assert "已退回，本轮未到达" in timeline  # the rest of the returned round, skipped
    assert f"已委托 {risk_org['secretary']} 审核" in timeline
    assert f"由 {risk_org['head']} 处理" in timeline
    assert timeline.count("提交了") == 2  # both submissions
    grades = html[html.index('data-testid="grades"') :][:3000]
    assert "已有AB角" in grades
    assert levels[2].get_tier_display() in html
    assert "待评定" not in html


def test_the_field_history_says_who_changed_what(risk_org, client):
    filing = risk_org["filing"]
    point = make_point(filing, risk_org["category"], risk_org["levels"][2], title="旧标题")
    client.force_login(risk_org["staff"])
    data = form_values(client.get(edit_url(filing)))
    prefix = prefix_of(data, point)
    data[f"{prefix}-title"] = "新标题"
    data[f"{prefix}-measures-0-text"] = "改过的措施"
    assert client.post(edit_url(filing), data).status_code == 302
    html = page(client, filing)
    changes = html[html.index('data-testid="changes"') :]
    assert "字段修改记录" in changes
    row = changes[changes.index("旧标题</td>") - 400 :][:800]
    assert str(risk_org["staff"]) in row and "新标题" in row and "风险点" in row
    assert "改过的措施" in changes


def test_a_long_field_history_is_paged(risk_org, client):
    filing = risk_org["filing"]
    point = make_point(filing, risk_org["category"], risk_org["levels"][2], title="版本0")
    for number in range(1, 26):
        point.title = f"版本{number}"
        point.save()
    client.force_login(risk_org["staff"])
    html = page(client, filing)
    assert "第 1–20 条" in html and "?changes=2#changes" in html
    html = page(client, filing, changes=2)
    assert "<details" in html and 'id="changes" open' in html


def test_opening_a_revision(risk_org, client):
    filing = risk_org["filing"]
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    client.force_login(risk_org["staff"])
    url = reverse("risks:filing_revise", args=[filing.pk])
    response = client.post(url, follow=True)
    assert "只有已审定的登记表需要修订" in response.content.decode()
    services.submit_filing(filing.pk, risk_org["staff"])
    approve_all(filing)
    client.force_login(risk_org["head"])
    assert client.post(url).status_code == 403
    client.force_login(risk_org["staff"])
    response = client.post(url)
    assert response.status_code == 302 and response.url == edit_url(filing)
    filing.refresh_from_db()
    assert (filing.status, filing.revision) == (Filing.Status.DRAFT, 2)
    html = page(client, filing)
    assert "第 2 版" in html and "开始第 2 次修订" in html


@pytest.mark.parametrize("count", [1, 30])
def test_the_page_runs_the_same_queries_for_1_and_30_points(
    risk_org, client, count, django_assert_max_num_queries
):
    filing = risk_org["filing"]
    power = PowerFactory(
        catalogue__campaign=risk_org["campaign"], catalogue__section=risk_org["section"], steps=1
    )
    for number in range(count):
        make_point(
            filing,
            risk_org["category"],
            risk_org["levels"][2],
            title=f"点{number}",
            measures=3,
            power=power,
        )
    services.submit_filing(filing.pk, risk_org["staff"])
    client.force_login(risk_org["head"])
    client.get(filing.get_absolute_url())
    with django_assert_max_num_queries(30):
        response = client.get(filing.get_absolute_url())
    assert response.content.decode().count('data-testid="risk-point"') == count
