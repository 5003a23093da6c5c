"""The export centre: who may use it, what it sends, and how."""

from io import BytesIO
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaign.models import AuditEntry

from .conftest import CAMPAIGN_TITLE, rows_of


def centre(org):
    return reverse("exports:centre", args=[org.campaign.pk])


def workbook_of(response):
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def test_the_office_sees_every_table_and_the_import_links(client, org):
    client.force_login(org.office)
    response = client.get(centre(org))
    assert response.status_code == 200
    page = response.content.decode()
    for title in (
        "职权目录",
        "个人岗位廉政风险点识别及防控措施表",
        "科室（部门）廉政风险点识别及防控措施表",
        "单位（领导班子）廉政风险点识别及防控措施表",
        "风险点和等级目录汇总表",
        "风险排查及风险评估汇总表",
    ):
        assert title in page
    assert reverse("risks_import:register", args=[org.campaign.pk]) in page
    assert reverse("powers_import:catalogue", args=[org.campaign.pk]) in page


def test_an_auditor_may_export_but_sees_no_import_links(client, org):
    client.force_login(org.auditor)
    response = client.get(centre(org))
    assert response.status_code == 200
    assert 'data-testid="import-links"' not in response.content.decode()


def test_staff_may_not_export(client, org):
    client.force_login(org.staff)
    assert client.get(centre(org)).status_code == 403
    assert client.get(centre(org), {"table": "register"}).status_code == 403
    url = reverse("exports:download", args=[org.campaign.pk, "register"])
    assert client.get(url).status_code == 403


def test_outsiders_get_404(client, org):
    client.force_login(org.outsider)
    assert client.get(centre(org)).status_code == 404
    url = reverse("exports:download", args=[org.campaign.pk, "register"])
    assert client.get(url).status_code == 404


def test_the_register_downloads_with_a_chinese_file_name(client, org):
    client.force_login(org.auditor)
    response = client.get(centre(org), {"table": "register", "section": ""})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    today = timezone.localdate().strftime("%Y%m%d")
    name = f"{CAMPAIGN_TITLE}-风险点和等级目录汇总表-{today}.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    ws = workbook_of(response).worksheets[0]
    titles = [row[5] for row in rows_of(ws, 5)]
    assert "扶持资金审核把关不严" in titles
    # Auditors read approved filings only.
    assert "草稿中的风险点" not in titles
    assert AuditEntry.objects.filter(campaign=org.campaign, action="export.downloaded").exists()


def test_a_section_as_one_workbook_with_one_sheet_per_person(client, org):
    client.force_login(org.office)
    response = client.get(centre(org), {"table": "personal", "section": org.zs1.pk})
    assert response.status_code == 200
    assert "%E6%8B%9B%E5%95%86%E4%B8%80%E7%A7%91" in response["Content-Disposition"]  # 招商一科
    assert workbook_of(response).sheetnames == ["石向东", "贺文涛", "邵一帆"]


def test_the_section_is_ignored_for_unit_wide_tables(client, org):
    client.force_login(org.office)
    response = client.get(centre(org), {"table": "statistics", "section": org.zs1.pk})
    assert response.status_code == 200
    assert "%E6%8B%9B%E5%95%86" not in response["Content-Disposition"]


def test_nothing_to_export_is_said_on_the_page_with_the_choice_kept(client, org):
    client.force_login(org.auditor)
    response = client.get(centre(org), {"table": "personal", "section": org.office_section.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“办公室”没有可导出的个人岗位廉政风险点识别及防控措施表。" in page
    assert 'value="personal" checked' in page
    assert f'value="{org.office_section.pk}" selected' in page


def test_an_unknown_table_is_a_form_error(client, org):
    client.force_login(org.office)
    response = client.get(centre(org), {"table": "nonsense"})
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()


def test_direct_download_links(client, org):
    client.force_login(org.office)
    url = reverse("exports:download", args=[org.campaign.pk, "register"])
    response = client.get(url, {"section": org.zs1.pk})
    assert response.status_code == 200
    assert {row[1] for row in rows_of(workbook_of(response).worksheets[0], 5)} == {"招商一科"}
    assert (
        client.get(reverse("exports:download", args=[org.campaign.pk, "nope"])).status_code == 404
    )
    other = reverse("exports:download", args=[org.campaign.pk, "register"])
    assert client.get(other, {"section": 999999}).status_code == 404
    assert client.get(other, {"section": "abc"}).status_code == 404
    assert client.get(centre(org), {"table": "register", "section": "abc"}).status_code == 200


def test_the_navigation_entry_opens_the_current_campaign(client, org):
    client.force_login(org.auditor)
    response = client.get(reverse("exports:index"))
    assert response.status_code == 302
    assert response["Location"] == centre(org)
    client.force_login(org.staff)
    assert client.get(reverse("exports:index")).status_code == 403


@pytest.mark.parametrize("key", ["register", "personal"])
def test_text_that_looks_like_a_formula_is_written_as_text(client, org, key):
    client.force_login(org.office)
    response = client.get(centre(org), {"table": key, "section": org.zs1.pk})
    workbook = workbook_of(response)
    cells = [
        cell
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value == '=HYPERLINK("http://x")'
    ]
    assert cells, "the risk point is in the table"
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.quotePrefix
    # Nothing in the workbook is a formula.
    assert not any(
        cell.data_type == "f"
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
    )
