"""The set-up pages: campaign settings, grades and categories, approval chains."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from campaign import approvals
from campaign.models import ChainTemplate, FilerRank, StepRole, Subject
from tests.factories import SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Settings -------------------------------------------------------------------


def test_editing_the_settings(client, campaign, office):
    client.force_login(office)
    url = reverse("campaign:edit", args=[campaign.pk])
    form = client.get(url).context["form"]
    assert form["high_grade_ratio"].value() == 20
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(basis_doc_no="江纪[2026]3号", high_grade_ratio="15", starts_on="2026-03-02")
    response = client.post(url, data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.basis_doc_no == "江纪[2026]3号"
    assert campaign.high_grade_ratio == Decimal("0.15")
    entry = campaign.history.get(action="campaign.updated")
    assert "依据文件文号" in entry.summary


def test_a_rejected_edit_keeps_what_was_typed(client, campaign, office):
    client.force_login(office)
    url = reverse("campaign:edit", args=[campaign.pk])
    response = client.post(
        url, {"title": "", "year": "2026", "aims": "要保留的目标", "high_grade_ratio": "150"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "title" in errors and "high_grade_ratio" in errors
    assert "要保留的目标" in response.content.decode()


# Grading --------------------------------------------------------------------


def grading_data(client, campaign):
    response = client.get(reverse("campaign:grading", args=[campaign.pk]))
    data = {}
    for formset in (response.context["levels"], response.context["categories"]):
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for form in formset.forms:
            for field in form:
                if field.name != "DELETE":
                    data[field.html_name] = "" if field.value() is None else field.value()
    data["high_grade_ratio"] = "20"
    return data


def test_renaming_grades_and_reordering_categories(client, campaign, office):
    client.force_login(office)
    data = grading_data(client, campaign)
    # The second level takes the first one's label: no clash on the unique label.
    data["level-0-label"], data["level-1-label"] = "特高", "高"
    data["level-2-colour"] = "#123abc"
    data["category-0-name"] = "思想道德风险"
    data["category-4-display_order"] = "0"
    data["category-3-DELETE"] = "on"
    data["category-TOTAL_FORMS"] = "6"
    data.update(
        {
            "category-5-name": "作风效能",
            "category-5-description": "",
            "category-5-display_order": "9",
        }
    )
    data["high_grade_ratio"] = "25"
    response = client.post(reverse("campaign:grading", args=[campaign.pk]), data)
    assert response.status_code == 302, response.context and response.context["error"]
    assert list(campaign.grade_levels.order_by("rank").values_list("label", flat=True)) == [
        "特高",
        "高",
        "低",
    ]
    assert campaign.grade_levels.get(rank=3).colour == "#123abc"
    assert list(
        campaign.risk_categories.order_by("display_order", "pk").values_list("name", flat=True)
    ) == [
        "外部环境",
        "思想道德风险",
        "岗位职责",
        "业务流程",
        "作风效能",
    ]
    campaign.refresh_from_db()
    assert campaign.high_grade_ratio == Decimal("0.25")


def test_grading_is_validated(client, campaign, office):
    client.force_login(office)
    data = grading_data(client, campaign)
    data["level-0-colour"] = "red"
    data["level-1-label"] = data["level-2-label"]
    data["category-1-name"] = data["category-0-name"]
    response = client.post(reverse("campaign:grading", args=[campaign.pk]), data)
    assert response.status_code == 200
    assert response.context["levels"].forms[0].errors["colour"] == [
        "颜色请用 #RRGGBB 形式，如 #c62828。"
    ]
    assert "各风险等级的名称不能相同。" in response.context["levels"].non_form_errors()
    assert "风险类别的名称不能重复。" in response.context["categories"].non_form_errors()
    assert 'value="red"' in response.content.decode()
    assert campaign.grade_levels.get(rank=1).colour == "#c62828"


def test_the_last_category_cannot_go(client, campaign, office):
    client.force_login(office)
    data = grading_data(client, campaign)
    for i in range(5):
        data[f"category-{i}-DELETE"] = "on"
    response = client.post(reverse("campaign:grading", args=[campaign.pk]), data)
    assert "至少保留一个风险类别。" in response.context["categories"].non_form_errors()
    assert campaign.risk_categories.count() == 5


# Chains ---------------------------------------------------------------------


def test_everyone_in_the_unit_reads_the_chains(client, campaign, staff):
    client.force_login(staff)
    response = client.get(reverse("campaign:chains", args=[campaign.pk]))
    html = response.content.decode()
    assert "科室负责人" in html and "党委（党组）" in html
    assert "新增流程" not in html
    assert [str(c) for c in response.context["chains"]][0] == "职权目录"


def chain_form(subject=Subject.PERSONAL, rank=FilerRank.GENERAL, steps=(), note=""):
    data = {"subject": subject, "filer_rank": rank, "note": note}
    for i, role in enumerate(steps, start=1):
        data[f"step_{i}"] = role
    return data


def test_the_office_changes_a_chain(client, campaign, office):
    client.force_login(office)
    chain = campaign.chains.get(subject=Subject.PERSONAL, filer_rank=FilerRank.GENERAL)
    url = reverse("campaign:chain_edit", args=[campaign.pk, chain.pk])
    form = client.get(url).context["form"]
    assert form["step_1"].value() == StepRole.SECTION_HEAD
    steps = [StepRole.SECTION_HEAD, "", StepRole.SUPERVISING_LEADER, StepRole.LEADING_GROUP]
    response = client.post(url, chain_form(steps=steps, note="增加分管领导审核"))
    assert response.status_code == 302
    assert [s.role for s in chain.steps.all()] == [
        StepRole.SECTION_HEAD,
        StepRole.SUPERVISING_LEADER,
        StepRole.LEADING_GROUP,
    ]
    assert campaign.history.filter(action="chain.saved").exists()


def test_chain_rules(client, campaign, office):
    client.force_login(office)
    create = reverse("campaign:chain_create", args=[campaign.pk])
    response = client.post(create, chain_form(steps=[StepRole.OFFICE]))
    assert (
        "该审核对象和填报人职级的流程已经存在，请直接修改它。"
        in response.context["form"].non_field_errors()
    )
    response = client.post(create, chain_form(rank=FilerRank.ANY))
    assert "至少选择一个审核环节。" in response.context["form"].non_field_errors()
    response = client.post(
        create, chain_form(rank=FilerRank.ANY, steps=[StepRole.OFFICE, StepRole.OFFICE])
    )
    assert "同一审核角色在流程中只能出现一次。" in response.context["form"].non_field_errors()
    response = client.post(create, chain_form(rank=FilerRank.ANY, steps=[StepRole.OFFICE]))
    assert response.status_code == 302
    assert ChainTemplate.objects.filter(campaign=campaign, subject=Subject.PERSONAL).count() == 4


def test_a_chain_in_use_cannot_be_deleted(client, campaign, office):
    client.force_login(office)
    chain = campaign.chains.get(subject=Subject.SECTION)
    section = SectionFactory(unit=campaign.unit)
    filer = UserFactory(section=section)
    approvals.submit(
        section,
        campaign=campaign,
        subject_kind=Subject.SECTION,
        filer=filer,
        section=section,
        by=filer,
    )
    response = client.post(reverse("campaign:chain_delete", args=[campaign.pk, chain.pk]))
    assert "该流程已有审核记录，不能删除；可以修改它的步骤。" in messages_of(response)
    assert ChainTemplate.objects.filter(pk=chain.pk).exists()
    unused = campaign.chains.get(subject=Subject.UNIT)
    client.post(reverse("campaign:chain_delete", args=[campaign.pk, unused.pk]))
    assert not ChainTemplate.objects.filter(pk=unused.pk).exists()
