"""Nothing typed is lost: a refused disposal, answer or report comes back as
the page (400) with what was typed and a Chinese message — next to the field
while the form is still offered, at the top (with the typed text under it)
when the form is gone because the warning or disposal moved on meanwhile."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from campaign.approvals import ReviewError
from earlywarnings import services
from earlywarnings.models import Disposal, EarlyWarning, Level

TODAY = date(2026, 5, 4)
TYPED = "请于本周内当面说明采购经过并提交书面材料"


@pytest.fixture
def case(org, frozen):
    with frozen(TODAY):
        warning = services.raise_warning(
            org.office,
            level=Level.C,
            title="采购程序预警",
            message="请说明",
            respond_by=TODAY + timedelta(days=7),
            person=org.named,
        )
        disposal = services.add_disposal(
            warning.pk,
            org.office,
            kind=Disposal.Kind.REMINDER_TALK,
            responsible=org.head,
            reporter=org.named,
            due_on=TODAY + timedelta(days=5),
        )
    return {"warning": warning, "disposal": disposal}


def post(client, user, name, pk, frozen, **data):
    client.force_login(user)
    with frozen(TODAY):
        return client.post(reverse(name, args=[pk]), data)


def refuse(monkeypatch, name, message):
    def refused(*args, **kwargs):
        raise ReviewError(message)

    monkeypatch.setattr(services, name, refused)


# Adding a disposal -----------------------------------------------------------------------


def disposal_data(org, **changes):
    data = {
        "kind": "written_inquiry",
        "responsible": org.discipline.pk,
        "reporter": org.named.pk,
        "due_on": "2026-05-20",
        "instructions": TYPED,
    }
    return data | changes


def test_a_past_deadline_is_refused_next_to_the_field(client, org, case, frozen):
    warning = case["warning"]
    response = post(
        client,
        org.office,
        "earlywarnings:disposal_add",
        warning.pk,
        frozen,
        **disposal_data(org, due_on="2026-05-01"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "完成期限不能早于今天。" in html
    assert TYPED in html and 'value="2026-05-01"' in html
    assert f'<option value="{org.discipline.pk}" selected>' in html
    assert warning.disposals.count() == 1


def test_a_missing_reporter_keeps_the_rest(client, org, case, frozen):
    response = post(
        client,
        org.office,
        "earlywarnings:disposal_add",
        case["warning"].pk,
        frozen,
        **disposal_data(org, reporter=""),
    )
    assert response.status_code == 400
    assert TYPED in response.content.decode()


def test_a_refusal_of_the_service_is_shown_on_the_form(client, org, case, frozen, monkeypatch):
    refuse(monkeypatch, "add_disposal", "责任人和报告人须为本单位在职人员。")
    response = post(
        client,
        org.office,
        "earlywarnings:disposal_add",
        case["warning"].pk,
        frozen,
        **disposal_data(org),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="disposal-errors"' in html and "责任人和报告人须为本单位在职人员。" in html
    assert TYPED in html


def test_a_warning_closed_meanwhile_keeps_the_typed_instructions(client, org, frozen):
    with frozen(TODAY):
        warning = services.raise_warning(
            org.office,
            level=Level.D,
            title="节前提醒",
            message="注意",
            respond_by=TODAY + timedelta(days=7),
            person=org.named,
        )
        services.close_warning(warning.pk, org.discipline)
    response = post(
        client, org.office, "earlywarnings:disposal_add", warning.pk, frozen, **disposal_data(org)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "该预警已办结，不能再增加处置。" in html
    assert 'data-testid="unsaved"' in html and TYPED in html
    assert 'data-testid="add-disposal"' not in html


# Answering a warning ---------------------------------------------------------------------


def test_an_empty_answer_is_refused_next_to_the_field(client, org, case, frozen):
    warning = case["warning"]
    response = post(client, org.named, "earlywarnings:answer", warning.pk, frozen, response="  ")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="answer-form"' in html and "请填写答复内容。" in html
    warning.refresh_from_db()
    assert warning.status == EarlyWarning.Status.OPEN


def test_a_refused_answer_stays_in_the_form(client, org, case, frozen, monkeypatch):
    refuse(monkeypatch, "answer_warning", "只有预警对象本人可以答复。")
    response = post(
        client, org.named, "earlywarnings:answer", case["warning"].pk, frozen, response=TYPED
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "只有预警对象本人可以答复。" in html
    assert f"{TYPED}</textarea>" in html


def test_an_answer_to_a_warning_closed_meanwhile_is_kept_on_the_page(client, org, case, frozen):
    warning = case["warning"]
    Disposal.objects.filter(pk=case["disposal"].pk).update(status=Disposal.Status.CLOSED)
    with frozen(TODAY):
        services.close_warning(warning.pk, org.office)
    response = post(client, org.named, "earlywarnings:answer", warning.pk, frozen, response=TYPED)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="answer-form"' not in html
    assert 'data-testid="unsaved"' in html and TYPED in html
    warning.refresh_from_db()
    assert warning.response == ""


# Reporting on a disposal -------------------------------------------------------------------


def test_an_empty_report_is_refused_next_to_the_field(client, org, case, frozen):
    disposal = case["disposal"]
    response = post(client, org.named, "earlywarnings:report", disposal.pk, frozen, report=" ")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="report-error"' in html and "请填写落实情况报告。" in html
    disposal.refresh_from_db()
    assert disposal.status == Disposal.Status.PLANNED


def test_a_refused_report_stays_in_its_form(client, org, case, frozen, monkeypatch):
    disposal = case["disposal"]
    refuse(monkeypatch, "report_disposal", "只有报告人本人可以报告落实情况。")
    response = post(client, org.named, "earlywarnings:report", disposal.pk, frozen, report=TYPED)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-testid="report-form-{disposal.pk}"' in html
    assert "只有报告人本人可以报告落实情况。" in html and f"{TYPED}</textarea>" in html


def test_a_report_on_a_disposal_reported_meanwhile_is_kept_on_the_page(client, org, case, frozen):
    disposal = case["disposal"]
    with frozen(TODAY):
        services.report_disposal(disposal.pk, org.named, report="第一份报告")
    response = post(client, org.named, "earlywarnings:report", disposal.pk, frozen, report=TYPED)
    assert response.status_code == 400
    html = response.content.decode()
    assert "该处置当前为“已报告”，不能报告。" in html
    assert 'data-testid="unsaved"' in html and TYPED in html
    disposal.refresh_from_db()
    assert disposal.report == "第一份报告"
