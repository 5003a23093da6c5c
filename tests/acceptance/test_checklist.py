"""The acceptance checklist: items from the defaults or last year's list,
edited by the office; scores 0..max (validated), totals and the result."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from acceptance import services
from acceptance.models import ChecklistItem
from campaign.services import create_campaign

pytestmark = pytest.mark.django_db


def test_the_defaults(acc):
    items = services.ensure_checklist(acc.campaign)
    assert [(i.area, i.max_score) for i in items] == [
        ("组织领导", 10),
        ("清权确权", 15),
        ("风险查找", 20),
        ("等级评定", 10),
        ("防控措施", 20),
        ("公示", 5),
        ("预警机制", 10),
        ("档案资料", 10),
    ]
    assert services.totals(items)["max"] == 100
    assert services.ensure_checklist(acc.campaign) == items  # made once


def test_next_year_copies_the_edited_list_without_scores(acc):
    items = services.ensure_checklist(acc.campaign)
    items[0].max_score = Decimal("12")
    items[0].score = Decimal("11")
    items[0].save()
    nxt = create_campaign(
        unit=acc.unit,
        by=acc.office,
        title="2027年度",
        year=2027,
        starts_on=acc.campaign.starts_on,
        previous=acc.campaign,
    )
    copied = services.ensure_checklist(nxt)
    assert (copied[0].area, copied[0].max_score, copied[0].score) == ("组织领导", 12, None)
    assert {i.pk for i in copied}.isdisjoint({i.pk for i in items})


def test_scores_totals_and_result(acc):
    items = services.ensure_checklist(acc.campaign)
    scores = {item.pk: (item.max_score - 1, "扣 1 分") for item in items}
    services.save_scores(acc.campaign, acc.office, scores)
    items = services.ensure_checklist(acc.campaign)
    totals = services.totals(items)
    assert totals["score"] == 92 and totals["complete"] and totals["grade"] == "优秀"
    assert services.result_grade(Decimal("85"), 100) == "良好"
    assert services.result_grade(Decimal("60"), 100) == "合格"
    assert services.result_grade(Decimal("59.5"), 100) == "不合格"
    services.save_scores(acc.campaign, acc.office, {items[0].pk: (None, "")})
    partial = services.totals(services.ensure_checklist(acc.campaign))
    assert not partial["complete"] and partial["grade"] is None and partial["scored"] == 7


@pytest.mark.parametrize("score", [Decimal("10.5"), Decimal("-1")])
def test_a_score_outside_zero_to_max_is_refused(acc, score):
    item = services.ensure_checklist(acc.campaign)[0]
    other = services.ensure_checklist(acc.campaign)[1]
    with pytest.raises(ValidationError, match="0 到 10"):
        services.save_scores(
            acc.campaign, acc.office, {item.pk: (score, ""), other.pk: (Decimal("3"), "")}
        )
    assert not ChecklistItem.objects.filter(campaign=acc.campaign, score__isnull=False).exists()


def test_the_database_refuses_a_score_over_the_maximum(acc):
    item = services.ensure_checklist(acc.campaign)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        ChecklistItem.objects.filter(pk=item.pk).update(score=Decimal("11"))


def test_scoring_through_the_page(client, acc):
    client.force_login(acc.office)
    url = reverse("acceptance:checklist", args=[acc.campaign.pk])
    items = list(client.get(url).context["items"])
    data = {f"score-{item.pk}": "" for item in items}
    data[f"score-{items[0].pk}"] = "9.5"
    data[f"remarks-{items[0].pk}"] = "会议记录不全"
    data[f"score-{items[1].pk}"] = "16"  # over 15
    data["inspectors"] = "区纪委检查组"
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "“清权确权”的得分须在 0 到 15.0 之间" in html
    assert 'value="16"' in html and "会议记录不全" in html  # what was typed is kept
    assert not ChecklistItem.objects.filter(campaign=acc.campaign, score__isnull=False).exists()
    data[f"score-{items[1].pk}"] = "abc"
    assert "不是有效的分数" in client.post(url, data).content.decode()
    data[f"score-{items[1].pk}"] = "15"
    assert client.post(url, data).status_code == 302
    saved = {i.area: i.score for i in ChecklistItem.objects.filter(campaign=acc.campaign)}
    assert (
        saved["组织领导"] == Decimal("9.5")
        and saved["清权确权"] == 15
        and saved["风险查找"] is None
    )
    page = client.get(url).content.decode()
    assert 'data-testid="checklist-total">24.5<' in page
    assert acc.campaign.acceptance_check.inspectors == "区纪委检查组"


def test_the_office_edits_the_items(client, acc):
    services.ensure_checklist(acc.campaign)
    client.force_login(acc.office)
    url = reverse("acceptance:checklist_items", args=[acc.campaign.pk])
    formset = client.get(url).context["formset"]
    data = {
        "form-TOTAL_FORMS": str(len(formset.forms)),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(formset.forms):
        instance = form.instance
        data[f"form-{i}-id"] = instance.pk or ""
        data[f"form-{i}-area"] = instance.area or ""
        data[f"form-{i}-criteria"] = instance.criteria or ""
        data[f"form-{i}-max_score"] = str(instance.max_score) if instance.pk else ""
    data["form-0-max_score"] = "15"
    data["form-7-DELETE"] = "on"
    last = len(formset.forms) - 1
    data[f"form-{last}-area"] = "廉政教育"
    data[f"form-{last}-criteria"] = "开展警示教育"
    data[f"form-{last}-max_score"] = "5"
    response = client.post(url, data)
    assert response.status_code == 302
    items = list(ChecklistItem.objects.filter(campaign=acc.campaign).order_by("position"))
    assert items[0].max_score == 15
    assert "档案资料" not in [i.area for i in items]
    assert items[-1].area == "廉政教育" and items[-1].position == len(items)


def test_lowering_a_maximum_below_its_score_is_refused(acc):
    from acceptance.forms import ChecklistItemFormSet

    items = services.ensure_checklist(acc.campaign)
    services.save_scores(acc.campaign, acc.office, {items[0].pk: (Decimal("9"), "")})
    queryset = ChecklistItem.objects.filter(campaign=acc.campaign).order_by("position")
    data = {
        "form-TOTAL_FORMS": str(len(items)),
        "form-INITIAL_FORMS": str(len(items)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, item in enumerate(items):
        data.update(
            {
                f"form-{i}-id": item.pk,
                f"form-{i}-area": item.area,
                f"form-{i}-criteria": "",
                f"form-{i}-max_score": str(item.max_score),
            }
        )
    data["form-0-max_score"] = "8"
    formset = ChecklistItemFormSet(data, queryset=queryset)
    assert formset.is_valid(), formset.errors
    with pytest.raises(ValidationError, match="分值不能低于得分"):
        services.save_items(acc.campaign, acc.office, formset)
    assert ChecklistItem.objects.get(pk=items[0].pk).max_score == 10


def _item_formset(items, **changes):
    from acceptance.forms import ChecklistItemFormSet

    data = {
        "form-TOTAL_FORMS": str(len(items)),
        "form-INITIAL_FORMS": str(len(items)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, item in enumerate(items):
        data.update(
            {
                f"form-{i}-id": item.pk,
                f"form-{i}-area": item.area,
                f"form-{i}-criteria": item.criteria,
                f"form-{i}-max_score": str(item.max_score),
            }
        )
    data.update(changes)
    queryset = ChecklistItem.objects.filter(campaign=items[0].campaign).order_by("position")
    formset = ChecklistItemFormSet(data, queryset=queryset)
    assert formset.is_valid(), formset.errors
    return formset


def test_editing_the_items_keeps_scores_saved_meanwhile(acc):
    """The item list was read (and validated) before another office member
    scored: saving it writes only the list's own fields onto fresh rows."""
    items = services.ensure_checklist(acc.campaign)
    formset = _item_formset(items, **{"form-1-area": "清权确权工作", "form-1-max_score": "16"})
    # Meanwhile, on the scoring page:
    services.save_scores(acc.campaign, acc.office, {items[1].pk: (Decimal("14"), "较好")})
    services.save_items(acc.campaign, acc.office, formset)
    item = ChecklistItem.objects.get(pk=items[1].pk)
    assert (item.area, item.max_score) == ("清权确权工作", 16)
    assert (item.score, item.remarks, item.scored_by) == (Decimal("14"), "较好", acc.office)
    assert item.scored_at is not None


def test_a_maximum_below_a_score_saved_meanwhile_is_refused(acc):
    items = services.ensure_checklist(acc.campaign)
    formset = _item_formset(items, **{"form-0-max_score": "8"})  # no score yet when read
    services.save_scores(acc.campaign, acc.office, {items[0].pk: (Decimal("9"), "")})
    with pytest.raises(ValidationError, match="已得 9.0 分，分值不能低于得分"):
        services.save_items(acc.campaign, acc.office, formset)
    item = ChecklistItem.objects.get(pk=items[0].pk)
    assert (item.max_score, item.score) == (10, Decimal("9"))


def test_staff_and_outsiders_are_refused(client, acc):
    url = reverse("acceptance:checklist", args=[acc.campaign.pk])
    items_url = reverse("acceptance:checklist_items", args=[acc.campaign.pk])
    client.force_login(acc.staff)
    assert client.get(url).status_code == 403
    assert client.get(items_url).status_code == 403
    client.force_login(acc.outsider)
    assert client.get(url).status_code == 404
    assert client.get(items_url).status_code == 404
    client.force_login(acc.auditor)
    assert client.get(url).status_code == 200
    item = ChecklistItem.objects.filter(campaign=acc.campaign).first()
    assert client.post(url, {f"score-{item.pk}": "1"}).status_code == 403
    assert client.get(items_url).status_code == 403
