"""The plan page: every stage's dates and milestones in one form."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from campaign.models import AuditEntry, Milestone, Stage

pytestmark = pytest.mark.django_db


def url(campaign):
    return reverse("campaign:plan", args=[campaign.pk])


def _text(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def form_data(response):
    """The POST a browser would send for the page as it stands."""
    data = {}
    for block in response.context["blocks"]:
        for field in block.form:
            data[field.html_name] = _text(field.value())
        for field in block.milestones.management_form:
            data[field.html_name] = _text(field.value())
        for form in block.milestones.forms:
            for field in form:
                if field.name == "DELETE":
                    continue
                data[field.html_name] = _text(field.value())
    return data


def prefix_of(milestone):
    """The form prefix of ``milestone`` on the page (ordered by date)."""
    ordered = list(
        Milestone.objects.filter(stage=milestone.stage).order_by("due_on", "display_order", "pk")
    )
    return f"ms-{milestone.stage_id}-{ordered.index(milestone)}"


@pytest.fixture
def page(client, office, campaign):
    client.force_login(office)
    response = client.get(url(campaign))
    assert response.status_code == 200
    return response


def test_the_page_lists_every_stage_and_milestone(page, campaign):
    blocks = page.context["blocks"]
    assert [b.stage.kind for b in blocks] == list(Stage.Kind.values)
    assert (
        sum(len(b.milestones.forms) for b in blocks)
        == Milestone.objects.filter(stage__campaign=campaign).count()
    )
    html = page.content.decode()
    assert 'type="date"' in html
    assert "添加时间节点" in html


def test_saving_changed_dates(client, page, campaign):
    stage = campaign.stages.get(kind=Stage.Kind.POWERS)
    milestone = stage.milestones.order_by("due_on").first()
    data = form_data(page)
    new_due = stage.due_on + timedelta(days=5)
    data[f"stage-{stage.pk}-due_on"] = new_due.isoformat()
    data[f"{prefix_of(milestone)}-due_on"] = new_due.isoformat()
    data[f"{prefix_of(milestone)}-title"] = "各科室编制并报送职权目录"
    response = client.post(url(campaign), data)
    assert response.status_code == 302, response.context and response.context["error"]
    stage.refresh_from_db()
    milestone.refresh_from_db()
    assert stage.due_on == new_due
    assert (milestone.due_on, milestone.title) == (new_due, "各科室编制并报送职权目录")
    assert AuditEntry.objects.filter(campaign=campaign, action="plan.updated").exists()


def test_a_stage_cannot_end_before_it_starts(client, page, campaign):
    stage = campaign.stages.get(kind=Stage.Kind.GRADE)
    before = (stage.starts_on, stage.due_on)
    data = form_data(page)
    typed = (stage.starts_on - timedelta(days=3)).isoformat()
    data[f"stage-{stage.pk}-due_on"] = typed
    data[f"stage-{stage.pk}-description"] = "这段说明不能丢"
    response = client.post(url(campaign), data)
    assert response.status_code == 200
    block = next(b for b in response.context["blocks"] if b.stage.pk == stage.pk)
    assert block.form.errors["due_on"] == ["截止日期不能早于开始日期。"]
    html = response.content.decode()
    assert f'value="{typed}"' in html
    assert "这段说明不能丢" in html
    # The milestones were checked against the dates that stand, not the rejected ones.
    assert not any(form.errors for form in block.milestones.forms)
    stage.refresh_from_db()
    assert (stage.starts_on, stage.due_on) == before


def test_a_milestone_must_lie_within_its_stage(client, page, campaign):
    stage = campaign.stages.get(kind=Stage.Kind.RISKS)
    milestone = stage.milestones.order_by("due_on").first()
    data = form_data(page)
    typed = (stage.due_on + timedelta(days=10)).isoformat()
    data[f"{prefix_of(milestone)}-due_on"] = typed
    response = client.post(url(campaign), data)
    assert response.status_code == 200
    assert "请查看下面标红的地方" in response.content.decode()
    block = next(b for b in response.context["blocks"] if b.stage.pk == stage.pk)
    errors = [form.errors.get("due_on") for form in block.milestones.forms if form.errors]
    assert errors == [
        [
            f"时间节点须在所属阶段的起止日期（{stage.starts_on.isoformat()} 至 "
            f"{stage.due_on.isoformat()}）之内。"
        ]
    ]
    assert f'value="{typed}"' in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.due_on < stage.due_on


def test_shrinking_a_stage_checks_the_milestones_left_untouched(client, page, campaign):
    stage = campaign.stages.get(kind=Stage.Kind.MOBILISE)
    data = form_data(page)
    data[f"stage-{stage.pk}-due_on"] = (stage.starts_on + timedelta(days=6)).isoformat()
    response = client.post(url(campaign), data)
    assert response.status_code == 200
    block = next(b for b in response.context["blocks"] if b.stage.pk == stage.pk)
    assert sum(bool(form.errors) for form in block.milestones.forms) >= 2
    stage.refresh_from_db()
    assert stage.due_on == stage.starts_on + timedelta(days=30)


def test_adding_and_removing_milestones(client, page, campaign):
    stage = campaign.stages.get(kind=Stage.Kind.PUBLICITY)
    removed = stage.milestones.order_by("due_on").last()
    count = stage.milestones.count()
    data = form_data(page)
    prefix = f"ms-{stage.pk}"
    data[f"{prefix_of(removed)}-DELETE"] = "on"
    data[f"{prefix}-TOTAL_FORMS"] = str(count + 1)
    data[f"{prefix}-{count}-title"] = "在门户网站公开权力运行流程图"
    data[f"{prefix}-{count}-due_on"] = stage.starts_on.isoformat()
    data[f"{prefix}-{count}-responsible"] = Milestone.Responsible.OFFICE
    data[f"{prefix}-{count}-section"] = ""
    data[f"{prefix}-{count}-id"] = ""
    data[f"{prefix}-{count}-stage"] = str(stage.pk)
    response = client.post(url(campaign), data)
    assert response.status_code == 302
    titles = set(stage.milestones.values_list("title", flat=True))
    assert "在门户网站公开权力运行流程图" in titles
    assert removed.title not in titles
    assert stage.milestones.count() == count


def test_a_section_milestone_needs_its_section(client, page, campaign, section):
    stage = campaign.stages.get(kind=Stage.Kind.MEASURES)
    milestone = stage.milestones.order_by("due_on").first()
    data = form_data(page)
    data[f"{prefix_of(milestone)}-responsible"] = Milestone.Responsible.SECTION
    response = client.post(url(campaign), data)
    assert response.status_code == 200
    data[f"{prefix_of(milestone)}-section"] = str(section.pk)
    assert client.post(url(campaign), data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.section == section
    assert milestone.responsible_label() == section.name


def test_a_section_of_another_unit_is_refused(client, page, campaign, outsider):
    stage = campaign.stages.get(kind=Stage.Kind.MEASURES)
    milestone = stage.milestones.order_by("due_on").first()
    data = form_data(page)
    data[f"{prefix_of(milestone)}-responsible"] = Milestone.Responsible.SECTION
    data[f"{prefix_of(milestone)}-section"] = str(outsider.section_id)
    assert client.post(url(campaign), data).status_code == 200
    milestone.refresh_from_db()
    assert milestone.section is None


def test_only_the_office_opens_the_plan(client, campaign, staff, watcher, outsider):
    for person, status in ((staff, 403), (watcher, 403), (outsider, 404)):
        client.force_login(person)
        assert client.get(url(campaign)).status_code == status
        assert client.post(url(campaign), {}).status_code == status
