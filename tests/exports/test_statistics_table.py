"""The statistics table (风险排查及风险评估汇总表): one row per section, with
grade and category columns built from the campaign's own scheme."""

from io import BytesIO

from openpyxl import load_workbook

from campaign import exports
from campaign.models import Campaign, RiskCategory
from risks.models import Filing, Measure
from risks.services import ensure_filings
from tests.factories import CampaignFactory, SectionFactory, UserFactory

from .conftest import add_point, merged, rows_of

FIRST_DATA_ROW = 5


def export(campaign, user):
    buffer = BytesIO()
    exports.get("statistics").write(buffer, campaign, user)
    return load_workbook(BytesIO(buffer.getvalue())).worksheets[0]


def table(ws):
    """Header texts (lower row under groups) and data rows by section name."""
    upper = [cell.value for cell in ws[3]]
    lower = [cell.value for cell in ws[4]]
    headers = [low or up for up, low in zip(upper, lower, strict=True)]
    rows = {}
    for row in rows_of(ws, FIRST_DATA_ROW):
        if row[1] and not str(row[0] or "").startswith("注"):
            rows[row[1]] = dict(zip(headers, row, strict=True))
    return upper, headers, rows


def test_grade_and_category_columns_follow_the_campaign(db):
    campaign = CampaignFactory(grading_scheme=Campaign.Scheme.NUMBERED)
    RiskCategory.objects.create(campaign=campaign, name="作风效能", display_order=9)
    ws = export(campaign, campaign.created_by)
    upper, headers, _rows = table(ws)
    assert headers[:3] == ["序号", "科室（部门）", "人数"]
    assert headers[3:9] == ["合计", "填写中", "已提交", "审核中", "已退回", "已审定"]
    assert headers[9:13] == ["一级", "二级", "三级", "未定级"]
    assert headers[13:19] == [
        "思想道德",
        "岗位职责",
        "业务流程",
        "制度机制",
        "外部环境",
        "作风效能",
    ]
    assert headers[19:] == ["风险点合计", "防控措施（条）"]
    assert upper[3] == "登记表（份）"
    assert upper[9] == "风险点（按等级，个）"
    assert upper[13] == "风险点（按类别，个）"
    assert {"D3:I3", "J3:M3", "N3:S3", "T3:T4", "U3:U4"} <= merged(ws)


def test_counts_per_section_and_total(org):
    ws = export(org.campaign, org.office)
    _upper, _headers, rows = table(ws)
    high, medium = org.levels[1].label, org.levels[2].label
    zs1 = rows["招商一科"]
    assert zs1["人数"] == 3
    # Three personal filings and the section's own.
    assert zs1["合计"] == 4
    assert zs1["已审定"] == 2 and zs1["填写中"] == 2
    assert (zs1[high], zs1[medium]) == (2, 2)
    assert (zs1["思想道德"], zs1["岗位职责"], zs1["业务流程"]) == (1, 1, 2)
    assert zs1["风险点合计"] == 4
    assert zs1["防控措施（条）"] == 6
    leadership = rows["单位（领导班子）"]
    assert leadership["风险点合计"] == 2 and leadership["人数"] == 2
    total = rows["合计"]
    assert total["序号"] is None
    assert total["风险点合计"] == 6
    assert total["人数"] == sum(row["人数"] for name, row in rows.items() if name != "合计")


def test_an_auditor_counts_only_approved_filings(org):
    _upper, _headers, rows = table(export(org.campaign, org.auditor))
    zs1 = rows["招商一科"]
    assert zs1["填写中"] == 0
    assert zs1["合计"] == zs1["已审定"] == 2
    assert zs1["风险点合计"] == 3


def test_ungraded_points_are_counted_apart(db):
    campaign = CampaignFactory()
    section = SectionFactory(unit=campaign.unit, name="项目服务科")
    person = UserFactory(section=section)
    ensure_filings(campaign)
    filing = Filing.objects.get(campaign=campaign, owner=person)
    add_point(
        filing,
        category=campaign.risk_categories.first(),
        grade=None,
        title="未自评",
        measures=[(Measure.Line.PREVENTION, "措施")],
    )
    _upper, _headers, rows = table(export(campaign, campaign.created_by))
    assert rows["项目服务科"]["未定级"] == 1
    assert rows["项目服务科"]["防控措施（条）"] == 1
