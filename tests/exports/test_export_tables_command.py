"""``manage.py export_tables <campaign-id> <out-dir>`` writes every table."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from .conftest import CAMPAIGN_TITLE


def test_writes_every_table_and_each_sections_personal_workbook(org, tmp_path):
    out = StringIO()
    call_command("export_tables", str(org.campaign.pk), str(tmp_path), stdout=out)
    today = timezone.localdate().strftime("%Y%m%d")
    names = {path.name for path in tmp_path.iterdir()}
    for title in (
        "职权目录",
        "个人岗位廉政风险点识别及防控措施表",
        "科室（部门）廉政风险点识别及防控措施表",
        "单位（领导班子）廉政风险点识别及防控措施表",
        "风险点和等级目录汇总表",
        "风险排查及风险评估汇总表",
    ):
        assert f"{CAMPAIGN_TITLE}-{title}-{today}.xlsx" in names
    personal = f"{CAMPAIGN_TITLE}-招商一科-个人岗位廉政风险点识别及防控措施表-{today}.xlsx"
    assert personal in names
    assert load_workbook(tmp_path / personal).sheetnames == ["石向东", "贺文涛", "邵一帆"]
    # Every file opens.
    for path in tmp_path.iterdir():
        assert load_workbook(path).worksheets
    assert "已导出" in out.getvalue()


def test_as_an_auditor_only_approved_filings_are_written(org, tmp_path):
    call_command(
        "export_tables",
        str(org.campaign.pk),
        str(tmp_path),
        "--as",
        org.auditor.username,
        stdout=StringIO(),
    )
    today = timezone.localdate().strftime("%Y%m%d")
    personal = (
        tmp_path / f"{CAMPAIGN_TITLE}-招商一科-个人岗位廉政风险点识别及防控措施表-{today}.xlsx"
    )
    assert load_workbook(personal).sheetnames == ["贺文涛"]
    # A section without an approved personal filing gets no file.
    assert not list(tmp_path.glob("*-办公室-个人*"))


def test_refuses_unknown_campaigns_and_people_without_the_right(org, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_tables", "999999", str(tmp_path))
    with pytest.raises(CommandError):
        call_command(
            "export_tables", str(org.campaign.pk), str(tmp_path), "--as", org.staff.username
        )
