"""The summary page: the campaign's figures with charts, a fixed number of
queries, counts only from early warning, and its statistics in Excel."""

import json
import re
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from earlywarnings.models import EarlyWarning
from tests.factories import (
    FilingFactory,
    MeasureFactory,
    RiskPointFactory,
    SectionFactory,
    UserFactory,
    WarningSignalFactory,
)

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 36


def _url(acc):
    return reverse("acceptance:summary", args=[acc.campaign.pk])


def _testid(html, key):
    return re.search(rf'data-testid="{key}">([^<]*)<', html).group(1)


def test_the_figures_on_the_page(client, acc):
    client.force_login(acc.office)
    response = client.get(_url(acc))
    assert response.status_code == 200
    html = response.content.decode()
    assert _testid(html, "fig-people") == "6"
    assert _testid(html, "fig-approved") == "1"
    assert _testid(html, "fig-points") == "4"
    assert _testid(html, "fig-measures") == "4"
    assert _testid(html, "fig-rectifications") == "0/0"
    sections = html.split('data-testid="summary-sections"', 1)[1].split("</table>", 1)[0]
    assert "招商一科" in sections and "计划财务科" in sections
    # Charts: ECharts options written with json_script, drawn by the vendored library.
    grades = json.loads(
        re.search(
            r'<script id="summary-grades" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert [(d["name"], d["value"]) for d in grades["series"][0]["data"]] == [
        ("高", 1),
        ("中", 1),
        ("低", 1),
        ("未定级", 1),
    ]
    assert "vendor/echarts/echarts.min.js" in html and "js/panels.js" in html
    assert 'data-echarts="summary-sections"' in html


def test_warnings_are_counted_never_shown(client, acc):
    secret = WarningSignalFactory(
        person=acc.staff, source="petition", title="信访线索：某科长违规吃请", description="保密"
    )
    EarlyWarning.objects.create(
        unit=acc.unit,
        target_kind="person",
        person=acc.staff,
        level="B",
        year=2026,
        signal=secret,
        title="关于冯明哲的黄色预警",
        message="请说明",
        respond_by=date(2026, 6, 1),
    )
    client.force_login(acc.office)
    html = client.get(_url(acc)).content.decode()
    assert _testid(html, "fig-warnings") == "1"
    for hidden in (secret.title, "保密", "关于冯明哲的黄色预警", "信访"):
        assert hidden not in html


def _count(client, acc, django_assert_max_num_queries):
    client.force_login(acc.office)
    with django_assert_max_num_queries(QUERY_BUDGET) as captured:
        assert client.get(_url(acc)).status_code == 200
    return len(captured.captured_queries)


def test_a_fixed_number_of_queries(client, acc, django_assert_max_num_queries):
    client.force_login(acc.office)
    client.get(_url(acc))  # warm the per-process caches (content types)
    small = _count(client, acc, django_assert_max_num_queries)
    for n in range(4):
        section = SectionFactory(unit=acc.unit)
        for _person in range(3):
            filing = FilingFactory(
                campaign=acc.campaign, owner=UserFactory(section=section), status="approved"
            )
            for _point in range(3):
                point = RiskPointFactory(filing=filing, category=acc.categories[n % 3])
                MeasureFactory(risk_point=point, line="monitoring", status="done")
    large = _count(client, acc, django_assert_max_num_queries)
    assert large == small


def test_the_statistics_in_excel(client, acc):
    client.force_login(acc.office)
    response = client.get(reverse("acceptance:summary_xlsx", args=[acc.campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["工作情况", "按科室统计"]
    overview = [list(row) for row in book["工作情况"].iter_rows(values_only=True)]
    pairs = {(row[0], row[1]): row[2] for row in overview if row and row[1]}
    assert pairs[("人员和登记表", "应参与人员")] == 6
    assert pairs[("风险点", "合计")] == 4
    assert pairs[("风险点（按等级）", "高")] == 1
    assert pairs[("防控措施", "合计")] == 4
    sections = [
        str(c)
        for row in book["按科室统计"].iter_rows(values_only=True)
        for c in row
        if c is not None
    ]
    assert "招商一科" in sections and any("风险排查及风险评估汇总表" in c for c in sections)


def test_who_may_read_the_summary(client, acc):
    for person in (acc.watcher, acc.auditor):
        client.force_login(person)
        assert client.get(_url(acc)).status_code == 200
        assert (
            client.get(reverse("acceptance:summary_xlsx", args=[acc.campaign.pk])).status_code
            == 200
        )
    client.force_login(acc.staff)
    assert client.get(_url(acc)).status_code == 403
    assert client.get(reverse("acceptance:summary_xlsx", args=[acc.campaign.pk])).status_code == 403
    client.force_login(acc.outsider)
    assert client.get(_url(acc)).status_code == 404
    assert client.get(reverse("acceptance:summary_xlsx", args=[acc.campaign.pk])).status_code == 404
