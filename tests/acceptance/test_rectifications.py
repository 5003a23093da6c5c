"""Rectifications: open → reported → closed, or back to open when the office
rejects the report; each step by the right person only; the defect
tracking and rectification table."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from acceptance import services
from acceptance.models import Rectification
from accounts.home import work_for
from accounts.models import Notification
from campaign.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(acc):
    checklist = services.ensure_checklist(acc.campaign)
    return services.create_rectification(
        acc.campaign,
        acc.office,
        item=checklist[2],
        description="计划财务科出纳岗位没有查找风险点",
        requirement="补充查找并经科室审核",
        owner=acc.cashier,
        due_on=timezone.localdate() + timedelta(days=10),
    )


def test_created_from_a_checklist_item(acc, item):
    assert item.status == Rectification.Status.OPEN
    assert item.source_label == "风险查找" and item.section == acc.other
    assert Notification.objects.filter(recipient=acc.cashier, url=item.get_absolute_url()).exists()
    assert any(w.title.startswith("整改并报告") for w in work_for(acc.cashier))


def test_every_transition(acc, item):
    item = services.report_rectification(item.pk, acc.cashier, report="已补充出纳岗位风险点 2 个")
    assert item.status == Rectification.Status.REPORTED and item.reported_at
    assert any(w.title.startswith("验证整改情况") for w in work_for(acc.office))
    item = services.reject_rectification(item.pk, acc.office, opinion="措施不具体")
    assert (item.status, item.rejections, item.verification) == (
        Rectification.Status.OPEN,
        1,
        "措施不具体",
    )
    item = services.report_rectification(item.pk, acc.cashier, report="已细化措施")
    item = services.verify_rectification(item.pk, acc.office, opinion="整改到位")
    assert item.status == Rectification.Status.CLOSED and item.verified_by == acc.office
    actions = list(
        AuditEntry.objects.filter(
            target_id=item.pk, action__startswith="rectification."
        ).values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(
        [
            "rectification.created",
            "rectification.reported",
            "rectification.rejected",
            "rectification.reported",
            "rectification.verified",
        ]
    )
    with pytest.raises(ValidationError, match="不能再报告"):
        services.report_rectification(item.pk, acc.cashier, report="再报一次")


def test_the_wrong_person_is_refused(acc, item):
    with pytest.raises(ValidationError, match="只有整改责任人本人"):
        services.report_rectification(item.pk, acc.office, report="代报")
    with pytest.raises(ValidationError, match="只有已报告"):
        services.verify_rectification(item.pk, acc.office)
    services.report_rectification(item.pk, acc.cashier, report="已整改")
    for person in (acc.cashier, acc.watcher, acc.head):
        with pytest.raises(ValidationError, match="领导小组办公室"):
            services.verify_rectification(item.pk, person)
    with pytest.raises(ValidationError, match="说明理由"):
        services.reject_rectification(item.pk, acc.office, opinion=" ")
    with pytest.raises(ValidationError, match="领导小组办公室"):
        services.create_rectification(
            acc.campaign, acc.staff, description="x", owner=acc.staff, due_on=timezone.localdate()
        )
    with pytest.raises(ValidationError, match="本单位在职人员"):
        services.create_rectification(
            acc.campaign,
            acc.office,
            description="x",
            owner=acc.outsider,
            due_on=timezone.localdate(),
        )
    item.refresh_from_db()
    assert item.status == Rectification.Status.REPORTED


def test_the_flow_through_the_pages(client, acc):
    client.force_login(acc.office)
    url = reverse("acceptance:rectification_create", args=[acc.campaign.pk])
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        url,
        {
            "description": "流程图缺少时限",
            "owner": acc.head.pk,
            "due_on": due,
            "source": "公示意见",
        },
    )
    item = Rectification.objects.get()
    assert response.status_code == 302 and response.url == item.get_absolute_url()
    assert item.source_label == "公示意见" and item.section == acc.section

    client.force_login(acc.staff)  # not the owner, not a watcher
    assert client.get(item.get_absolute_url()).status_code == 404
    client.force_login(acc.head)
    page = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="report-form"' in page and 'data-testid="verify-form"' not in page
    refused = client.post(item.get_absolute_url(), {"action": "verify"})
    assert "只有领导小组办公室可以验证整改情况" in refused.content.decode()
    item.refresh_from_db()
    assert item.status == Rectification.Status.OPEN  # the owner may not verify
    client.post(item.get_absolute_url(), {"action": "report", "report": "已补充时限"})
    item.refresh_from_db()
    assert item.status == Rectification.Status.REPORTED

    client.force_login(acc.office)
    refused = client.post(item.get_absolute_url(), {"action": "reject", "opinion": ""})
    assert "退回时请说明理由" in refused.content.decode()
    item.refresh_from_db()
    assert item.status == Rectification.Status.REPORTED  # a rejection needs a reason
    client.post(item.get_absolute_url(), {"action": "reject", "opinion": "时限仍不明确"})
    item.refresh_from_db()
    assert (item.status, item.rejections) == (Rectification.Status.OPEN, 1)

    # The owner sees their own item in the list; others' stay hidden.
    client.force_login(acc.head)
    listing = client.get(reverse("acceptance:rectifications", args=[acc.campaign.pk]))
    assert listing.status_code == 200 and "流程图缺少时限" in listing.content.decode()
    client.force_login(acc.staff)
    assert (
        client.get(reverse("acceptance:rectifications", args=[acc.campaign.pk])).status_code == 403
    )
    assert client.get(url).status_code == 403
    client.force_login(acc.outsider)
    for target in (
        url,
        item.get_absolute_url(),
        reverse("acceptance:rectifications", args=[acc.campaign.pk]),
    ):
        assert client.get(target).status_code == 404


def test_the_status_filter(client, acc, item):
    client.force_login(acc.watcher)
    base = reverse("acceptance:rectifications", args=[acc.campaign.pk])
    assert item.description in client.get(base + "?status=open").content.decode()
    assert item.description not in client.get(base + "?status=closed").content.decode()


def test_the_defect_tracking_table(client, acc, item):
    services.report_rectification(item.pk, acc.cashier, report="已补充出纳岗位风险点")
    services.verify_rectification(item.pk, acc.office, opinion="同意销号")
    client.force_login(acc.office)
    response = client.get(reverse("exports:download", args=[acc.campaign.pk, "rectifications"]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any("缺陷跟踪及整改表" in c for c in cells)
    for expected in (
        "风险查找",
        "计划财务科出纳岗位没有查找风险点",
        "计划财务科",
        "蒋出纳",
        "已补充出纳岗位风险点",
        "同意销号",
        "已验证销号",
    ):
        assert expected in cells, expected
    client.force_login(acc.staff)
    assert (
        client.get(
            reverse("exports:download", args=[acc.campaign.pk, "rectifications"])
        ).status_code
        == 403
    )


def test_the_owner_picker_lists_people_by_section_with_their_section(client, acc):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from acceptance.forms import RectificationForm
    from tests.factories import SectionFactory, UserFactory

    def rendered():
        with CaptureQueriesContext(connection) as queries:
            html = str(RectificationForm(campaign=acc.campaign)["owner"])
        return html, len(queries)

    html, few = rendered()
    assert "冯明哲（招商一科）" in html and "蒋出纳（计划财务科）" in html
    assert '<optgroup label="招商一科">' in html and "data-person-picker" in html
    assert acc.outsider.full_name not in html
    # Sections in their order, and no query per person.
    assert html.index("（招商一科）") < html.index("（计划财务科）")
    for n in range(30):
        UserFactory(section=SectionFactory(unit=acc.unit), full_name=f"新同事{n}")
    html, many = rendered()
    assert "新同事29" in html and many == few
    client.force_login(acc.office)
    page = client.get(reverse("acceptance:rectification_create", args=[acc.campaign.pk]))
    assert "earlywarnings/people.js" in page.content.decode()
