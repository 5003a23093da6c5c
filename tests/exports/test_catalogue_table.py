"""The power catalogue (职权目录) as a filing table."""

from io import BytesIO

from openpyxl import load_workbook

from campaign import exports
from powers.models import Catalogue, Power
from tests.factories import CatalogueFactory, PostFactory, PowerFactory

from .conftest import UNIT_NAME, merged, rows_of

HEADER = [
    "序号",
    "科室",
    "编码",
    "职权名称",
    "职权类别",
    "权力性质",
    "职权内容",
    "行使依据",
    "行使岗位",
    "办理时限",
    "监督渠道",
    "公开范围",
]


def export(campaign, user, section=None):
    buffer = BytesIO()
    exports.get("catalogue").write(buffer, campaign, user, section)
    return load_workbook(BytesIO(buffer.getvalue())).worksheets[0]


def catalogue_of(org, section, status=Catalogue.Status.DRAFT):
    catalogue = CatalogueFactory(campaign=org.campaign, section=section)
    catalogue.status = status
    catalogue.save(update_fields=["status"])
    return catalogue


def test_catalogue_columns_and_a_known_row(org):
    catalogue = catalogue_of(org, org.zs1, Catalogue.Status.APPROVED)
    chief = PostFactory(section=org.zs1, name="科长")
    power = PowerFactory(
        catalogue=catalogue,
        code="ZS1-001",
        sequence=1,
        name="招商引资扶持资金初审",
        content="受理企业扶持资金申请，审核申报材料",
        legal_basis="《江川区招商引资扶持办法》第八条",
        time_limit="10个工作日",
        supervision_channel="监督电话 0571-88001234",
        direction=Power.Direction.EXTERNAL,
        publicity=Power.Publicity.UNPUBLISHED,
        unpublished_reason="涉及商业秘密",
    )
    power.posts.set([org.clerk, chief])
    ws = export(org.campaign, org.office)
    assert ws["A1"].value == f"{UNIT_NAME}职权目录"
    assert [cell.value for cell in ws[3]] == HEADER
    assert "A1:L1" in merged(ws)
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    row = rows_of(ws, 4)[0]
    assert row == [
        1,
        "招商一科",
        "ZS1-001",
        "招商引资扶持资金初审",
        power.category.name,
        "外部权力",
        "受理企业扶持资金申请，审核申报材料",
        "《江川区招商引资扶持办法》第八条",
        "政策兑现经办、科长",
        "10个工作日",
        "监督电话 0571-88001234",
        "不公开（涉及商业秘密）",
    ]
    assert rows_of(ws, 5)[0][0].startswith("注：权力性质分外部权力")


def test_an_auditor_gets_only_approved_catalogues(org):
    approved = catalogue_of(org, org.zs1, Catalogue.Status.APPROVED)
    draft = catalogue_of(org, org.office_section)
    PowerFactory(catalogue=approved, name="已审定的职权")
    PowerFactory(catalogue=draft, name="编制中的职权")
    names = [row[3] for row in rows_of(export(org.campaign, org.auditor), 4) if row[2]]
    assert names == ["已审定的职权"]
    names = [row[3] for row in rows_of(export(org.campaign, org.office), 4) if row[2]]
    assert set(names) == {"已审定的职权", "编制中的职权"}


def test_one_section(org):
    PowerFactory(catalogue=catalogue_of(org, org.zs1), name="甲")
    PowerFactory(catalogue=catalogue_of(org, org.office_section), name="乙")
    rows = [row for row in rows_of(export(org.campaign, org.office, org.zs1), 4) if row[2]]
    assert [row[3] for row in rows] == ["甲"]
