"""The export registry: how an app adds a table, and who sees which."""

import ast
from datetime import datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from campaign import exports
from campaign.exports import Export, Part
from campaign.tables import Column, Table

WARNINGS = Table(
    key="warnings",
    title="{unit}预警处置记录",
    columns=[Column("who", "对象"), Column("what", "处置")],
    header_block=lambda context: [("级别", context.extra.get("level", ""))],
)


@pytest.fixture
def registered():
    """A table another app (say, early warnings) registers."""
    added = []

    def add(**changes):
        values = {
            "key": "test-warnings",
            "title": "预警处置记录",
            "table": WARNINGS,
            "rows": lambda campaign, user, section: [{"who": "张三", "what": "提醒谈话"}],
            "order": 70,
        }
        export = exports.register(Export(**(values | changes)))
        added.append(export.key)
        return export

    yield add
    for key in added:
        exports.unregister(key)


def test_the_built_in_tables_are_registered_in_order():
    keys = [export.key for export in exports.all_exports()]
    expected = ["catalogue", "personal", "section", "unit", "register", "statistics"]
    assert [key for key in keys if key in expected] == expected


def test_an_app_adds_a_table_by_registering_an_export(client, org, registered):
    registered()
    client.force_login(org.office)
    page = client.get(reverse("exports:centre", args=[org.campaign.pk])).content.decode()
    assert "预警处置记录" in page
    response = client.get(reverse("exports:download", args=[org.campaign.pk, "test-warnings"]))
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert ws.title == "预警处置记录"
    assert [cell.value for cell in ws[5]] == ["张三", "提醒谈话"]


def test_a_table_may_narrow_who_exports_it(client, org, registered):
    registered(allowed=lambda user, campaign: user.pk == org.discipline.pk)
    assert [e.key for e in exports.exports_for(org.discipline, org.campaign)].count(
        "test-warnings"
    ) == 1
    assert "test-warnings" not in [e.key for e in exports.exports_for(org.auditor, org.campaign)]
    client.force_login(org.auditor)
    url = reverse("exports:download", args=[org.campaign.pk, "test-warnings"])
    assert client.get(url).status_code == 403


def test_per_person_tables_yield_parts_each_with_its_own_facts(org, registered):
    export = registered(
        per_person=True,
        rows=lambda campaign, user, section: iter(
            [
                Part(rows=[{"who": "甲", "what": "函询"}], extra={"level": "B 黄"}, title="甲"),
                Part(rows=[], extra={"level": "D 绿"}, title="乙"),
            ]
        ),
    )
    buffer = BytesIO()
    export.write(buffer, org.campaign, org.office)
    workbook = load_workbook(BytesIO(buffer.getvalue()))
    assert workbook.sheetnames == ["甲", "乙"]
    assert workbook["甲"]["A3"].value == "级别：B 黄"
    assert workbook["乙"]["A3"].value == "级别：D 绿"


def test_a_table_can_be_built_per_campaign(org, registered):
    export = registered(table=lambda campaign: Table("t", campaign.title, [Column("who", "对象")]))
    assert export.table_for(org.campaign).title == org.campaign.title


def test_file_names(org):
    export = exports.get("register")
    at = datetime(2026, 11, 24, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert export.filename(org.campaign, exported_at=at) == (
        f"{org.campaign.title}-风险点和等级目录汇总表-20261124.xlsx"
    )
    assert export.filename(org.campaign, org.zs1, at) == (
        f"{org.campaign.title}-招商一科-风险点和等级目录汇总表-20261124.xlsx"
    )
    org.campaign.title = 'A/B:C*"D"'
    assert export.filename(org.campaign, exported_at=at).startswith("A_B_C__D_-")


def test_grade_colours_come_from_the_campaign(org):
    context = exports.export_context(org.campaign)
    assert context.grade_colours == {level.label: level.colour for level in org.levels.values()}
    assert context.unit_name == org.unit.name


def test_campaign_never_imports_the_apps_above_it():
    """campaign ← powers ← risks ← earlywarnings: the registry is how they reach it."""
    above = {"powers", "risks", "earlywarnings", "publicity", "acceptance"}
    root = Path(settings.BASE_DIR) / "campaign"
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                assert node.module.split(".")[0] not in above, f"{path}: from {node.module}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in above, f"{path}: import {alias.name}"
