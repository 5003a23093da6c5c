"""The full review path of each kind of filing, through the pages: who
reviews at which step, grading (就高不就低), returning with a reason and
resubmitting, the party committee's meeting date."""

import pytest
from django.urls import reverse

from accounts.models import User
from campaign.models import ReviewStep
from risks import services
from risks.models import Filing, RiskPoint
from tests.risks.filing_helpers import add_point, edit_url, form_values, make_point


def review_url(filing):
    return reverse("risks:review", args=[filing.pk])


def submit(client, person, filing, **extra):
    client.force_login(person)
    response = client.post(
        reverse("risks:filing_submit", args=[filing.pk]),
        {"agree": "on", **extra},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    filing.refresh_from_db()
    return filing


def open_step(filing):
    return services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)


def review(client, person, filing, action="approve", *, grades=None, reasons=None, **fields):
    """Open the review page as ``person`` and send it as a browser would."""
    client.force_login(person)
    page = client.get(review_url(filing))
    assert page.status_code == 200, page.status_code
    data = form_values(page, "review-form")
    for point, level in (grades or {}).items():
        data[f"grade_{point.pk}"] = str(level.pk)
    for point, reason in (reasons or {}).items():
        data[f"reason_{point.pk}"] = reason
    data.update(fields)
    data["action"] = action
    return page, client.post(review_url(filing), data)


def test_general_staff_section_head_then_leading_group(risk_org, client):
    filing, levels = risk_org["filing"], risk_org["levels"]
    point = make_point(filing, risk_org["category"], levels[2], likelihood=1)
    submit(client, risk_org["staff"], filing)

    page, response = review(
        client, risk_org["head"], filing, grades={point: levels[1]}, opinion="同意，等级上调"
    )
    html = page.content.decode()
    assert "第 1 步（共 2 步）：科室负责人审核" in html
    assert "审核等级" in html and "本环节给出审核等级" in html
    assert response.status_code == 302 and response.url == reverse("risks:reviews")
    point.refresh_from_db()
    assert (point.reviewed_grade, point.reviewed_by) == (levels[1], risk_org["head"])
    filing.refresh_from_db()
    assert filing.status == Filing.Status.IN_REVIEW

    # The leading group decides; the head's grade is now the default.
    page, response = review(client, risk_org["office"], filing, opinion="领导小组研究同意")
    html = page.content.decode()
    assert "第 2 步（共 2 步）：领导小组审核" in html and "评定等级" in html
    assert response.status_code == 302
    point.refresh_from_db()
    filing.refresh_from_db()
    assert point.final_grade == levels[1] and point.final_by == risk_org["office"]
    assert filing.status == Filing.Status.APPROVED

    client.force_login(risk_org["staff"])
    page = client.get(filing.get_absolute_url()).content.decode()
    assert levels[1].get_tier_display() in page
    assert "领导小组研究同意" in page and "同意，等级上调" in page
    assert "第 1 轮 · 第 2 步：领导小组" in page


def test_middle_cadre_supervising_leader_then_leading_group(risk_org, client):
    head = risk_org["head"]
    filing = Filing.objects.get(campaign=risk_org["campaign"], owner=head)
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    submit(client, head, filing)
    assert open_step(filing).get_role_display() == "分管领导"
    client.force_login(head)  # not their own reviewer
    assert client.get(review_url(filing)).status_code == 403
    page, response = review(client, risk_org["supervisor"], filing)
    assert "第 1 步（共 2 步）：分管领导审核" in page.content.decode()
    assert response.status_code == 302
    _page, response = review(client, risk_org["secretary"], filing)  # leads the leading group
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == Filing.Status.APPROVED


def test_leadership_team_member_party_committee_with_meeting_date(risk_org, client):
    leader = risk_org["supervisor"]
    filing = Filing.objects.get(campaign=risk_org["campaign"], owner=leader)
    point = make_point(filing, risk_org["category"], risk_org["levels"][1])
    submit(client, leader, filing)
    assert open_step(filing).get_role_display() == "党委（党组）"

    page, response = review(client, risk_org["committee"], filing, opinion="党组会议研究同意")
    html = page.content.decode()
    assert "第 1 步（共 1 步）：党委（党组）审核" in html and "党委（党组）会议日期" in html
    assert response.status_code == 200
    answer = response.content.decode()
    assert "党委（党组）审核须填写会议日期" in answer
    assert "党组会议研究同意" in answer  # what was typed is kept

    _page, response = review(
        client, risk_org["committee"], filing, opinion="党组会议研究同意", meeting_date="2026-06-02"
    )
    assert response.status_code == 302
    step = services.review_for(filing).steps.get(round=1, position=1)
    assert (
        step.meeting_date.isoformat() == "2026-06-02" and step.decided_by == risk_org["committee"]
    )
    point.refresh_from_db()
    assert point.final_grade == risk_org["levels"][1]


def test_section_filing_head_skipped_then_supervisor_then_leading_group(risk_org, client):
    filing = Filing.objects.get(
        campaign=risk_org["campaign"], kind=Filing.Kind.SECTION, section=risk_org["section"]
    )
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    submit(client, risk_org["head"], filing, section_meeting_on="2026-05-18")
    steps = services.review_for(filing).steps.order_by("position")
    assert [s.status for s in steps] == ["skipped", "open", "waiting"]
    page, response = review(client, risk_org["supervisor"], filing)
    html = page.content.decode()
    assert "第 2 步（共 3 步）：分管领导审核" in html and "跳过" in html
    assert response.status_code == 302
    _page, response = review(client, risk_org["office"], filing)
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == Filing.Status.APPROVED
    client.force_login(risk_org["head"])
    page = client.get(filing.get_absolute_url()).content.decode()
    assert "提交人本人即为该环节审核人，自动跳过" in page


def test_unit_filing_compiled_by_the_office_then_party_committee(risk_org, client):
    filing = Filing.objects.get(campaign=risk_org["campaign"], kind=Filing.Kind.UNIT)
    office = risk_org["office"]
    client.force_login(office)
    data = form_values(client.get(edit_url(filing)))
    add_point(
        data,
        category=risk_org["category"],
        title="重大事项决策不民主",
        content="“三重一大”事项未经集体研究。",
        self_grade=risk_org["levels"][1],
        found_by="collective",
        measures=[{"text": "严格执行集体决策制度", "owner": risk_org["secretary"]}],
    )
    assert client.post(edit_url(filing), data).status_code == 302
    submit(client, office, filing)
    assert open_step(filing).get_role_display() == "党委（党组）"
    # Both party committee members may decide; one does.
    _page, response = review(client, risk_org["secretary"], filing, meeting_date="2026-06-10")
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == Filing.Status.APPROVED
    point = filing.risk_points.get()
    assert point.found_by == ["collective"] and point.final_grade == risk_org["levels"][1]


def test_return_with_a_reason_and_resubmit(risk_org, client):
    filing = risk_org["filing"]
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    submit(client, risk_org["staff"], filing)

    _page, response = review(client, risk_org["head"], filing, action="return", opinion="")
    assert response.status_code == 200
    assert "退回时必须填写退回理由" in response.content.decode()
    assert Filing.objects.get(pk=filing.pk).status == Filing.Status.SUBMITTED

    _page, response = review(
        client, risk_org["head"], filing, action="return", opinion="措施太笼统，请细化"
    )
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == Filing.Status.RETURNED

    client.force_login(risk_org["staff"])
    page = client.get(filing.get_absolute_url()).content.decode()
    assert "措施太笼统，请细化" in page and "退回理由" in page
    form = client.get(edit_url(filing))
    assert form.status_code == 200 and "登记表已被退回" in form.content.decode()
    data = form_values(form)
    assert client.post(edit_url(filing), data).status_code == 302
    submit(client, risk_org["staff"], filing)
    step = open_step(filing)
    assert (step.round, step.get_role_display()) == (2, "科室负责人")
    page, response = review(client, risk_org["head"], filing)
    assert "第 1 步（共 2 步）：科室负责人审核" in page.content.decode()
    assert response.status_code == 302


def test_lowering_a_grade_needs_a_reason_shown_in_the_page(risk_org, client):
    filing, levels = risk_org["filing"], risk_org["levels"]
    # Self grade 中, but the factors suggest 高: the baseline is 高.
    point = make_point(filing, risk_org["category"], levels[2], money=3, discretion=3, likelihood=3)
    other = make_point(filing, risk_org["category"], levels[3], title="另一个风险点")
    services.refresh_suggestions(filing)
    submit(client, risk_org["staff"], filing)

    page, response = review(
        client, risk_org["head"], filing, grades={point: levels[2]}, opinion="我的审核意见"
    )
    html = page.content.decode()
    assert f'data-baseline-rank="1" id="point-{point.pk}"' in html
    baseline = html[html.index(f'id="point-{point.pk}"') :][:6000]
    assert "须说明理由" in baseline
    assert response.status_code == 200
    answer = response.content.decode()
    assert "就高不就低" in answer and point.title in answer
    # Nothing typed is lost: the grade chosen and the opinion are still there.
    data = form_values(response, "review-form")
    assert data[f"grade_{point.pk}"] == str(levels[2].pk)
    assert data["opinion"] == "我的审核意见"
    assert data[f"grade_{other.pk}"] == str(levels[3].pk)
    reason_block = answer[answer.index(f'id="id_reason_{point.pk}"') :][:400]
    assert "须说明理由" in reason_block
    assert open_step(filing).get_role_display() == "科室负责人"
    assert RiskPoint.objects.get(pk=point.pk).reviewed_grade is None

    _page, response = review(
        client,
        risk_org["head"],
        filing,
        grades={point: levels[2]},
        reasons={point: "已实行AB角，风险可控"},
        opinion="我的审核意见",
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.reviewed_grade, point.reviewed_reason) == (levels[2], "已实行AB角，风险可控")


@pytest.mark.parametrize("who", ["staff", "colleague", "supervisor", "committee", "outsider"])
def test_only_the_steps_reviewers_act(risk_org, client, who):
    filing = risk_org["filing"]
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    services.submit_filing(filing.pk, risk_org["staff"])
    client.force_login(risk_org[who])
    expected = 403 if who in ("staff", "supervisor") else 404
    assert client.get(review_url(filing)).status_code == expected
    assert client.post(review_url(filing), {"action": "approve"}).status_code == expected
    assert open_step(filing).status == ReviewStep.Status.OPEN


def test_a_delegate_reviews(risk_org, client):
    from campaign import approvals

    filing = risk_org["filing"]
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    services.submit_filing(filing.pk, risk_org["staff"])
    deputy = User.objects.create(
        username="deputy",
        full_name="副科长",
        unit=risk_org["campaign"].unit,
        section=risk_org["section"],
    )
    approvals.delegate(open_step(filing).pk, deputy, risk_org["office"])
    client.force_login(deputy)
    assert (
        client.get(reverse("risks:reviews")).content.decode().count('data-testid="review-link"')
        == 1
    )
    _page, response = review(client, deputy, filing)
    assert response.status_code == 302


def test_a_second_approve_click_is_told_the_step_was_decided(risk_org, client):
    """A double-click on 同意 whose second POST arrives after the first went
    through: no 403, one decision, and the person is told it was done."""
    filing = risk_org["filing"]
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    services.submit_filing(filing.pk, risk_org["staff"])
    page, response = review(client, risk_org["head"], filing, opinion="同意")
    assert response.status_code == 302 and response.url == reverse("risks:reviews")
    data = {**form_values(page, "review-form"), "opinion": "同意", "action": "approve"}

    again = client.post(review_url(filing), data)
    assert again.status_code == 302 and again.url == filing.get_absolute_url()
    page = client.get(again.url).content.decode()
    assert "已由您于" in page and "无需重复操作" in page
    steps = services.review_for(filing).steps.filter(round=1)
    assert steps.filter(status=ReviewStep.Status.APPROVED).count() == 1
    assert open_step(filing).get_role_display() == "领导小组"
    # Someone who never decided a step is still refused.
    client.force_login(risk_org["colleague"])
    assert client.post(review_url(filing), data).status_code == 404
