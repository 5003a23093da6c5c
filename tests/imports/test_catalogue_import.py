"""A power catalogue from Excel into a campaign: one row per power, steps on
an optional second sheet, matched by code."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from campaign import exports
from campaign.models import AuditEntry
from powers.imports import CatalogueImporter
from powers.models import Catalogue, Power
from tests.factories import CatalogueFactory, PostFactory, PowerFactory, SectionFactory, UserFactory

from .conftest import upload, xlsx

HEAD = [
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
STEPS = ["职权编码", "环节", "责任岗位", "责任主体", "时限", "审查要点", "风险环节"]


@pytest.fixture
def zs1(unit):
    section = SectionFactory(unit=unit, name="招商一科", code="ZS1", display_order=20)
    PostFactory(section=section, name="科长")
    PostFactory(section=section, name="政策兑现经办")
    return section


def rows():
    return [
        HEAD,
        [
            "招商一科",
            "ZS1-001",
            "扶持资金初审",
            "行政给付",
            "外部权力",
            "受理申请，审核材料",
            "扶持办法第八条",
            "政策兑现经办、科长",
            "10个工作日",
            "监督电话",
            "向社会公开",
        ],
        [
            "ZS1",
            "",
            "项目准入审核",
            "行政确认",
            "内部权力",
            "审核项目准入",
            "",
            "科长",
            "",
            "",
            "不公开（涉及商业秘密）",
        ],
    ]


def run(campaign, office, data, dry_run=False):
    return CatalogueImporter(user=office, unit=campaign.unit, campaign=campaign).run(
        data, dry_run=dry_run
    )


def test_powers_are_created_in_their_sections_catalogue(campaign, office, zs1):
    outcome = run(campaign, office, xlsx(rows()))
    assert outcome.committed, outcome.errors
    assert outcome.new == 2
    first = Power.objects.get(campaign=campaign, code="ZS1-001")
    assert first.section == zs1 and first.catalogue.section == zs1
    assert first.catalogue.status == Catalogue.Status.DRAFT
    assert first.direction == Power.Direction.EXTERNAL
    assert first.publicity == Power.Publicity.PUBLIC
    assert sorted(first.posts.values_list("name", flat=True)) == ["政策兑现经办", "科长"]
    assert first.created_by == office
    second = Power.objects.get(campaign=campaign, name="项目准入审核")
    assert second.code == "ZS1-002" and second.sequence == 2  # the next free code
    assert second.publicity == Power.Publicity.UNPUBLISHED
    assert second.unpublished_reason == "涉及商业秘密"
    assert AuditEntry.objects.filter(campaign=campaign, action="powers.imported").exists()


def test_reimporting_updates_by_code(campaign, office, zs1):
    run(campaign, office, xlsx(rows()))
    changed = rows()
    changed[1][8] = "5个工作日"
    changed[2][1] = "ZS1-002"
    outcome = run(campaign, office, xlsx(changed))
    assert (outcome.new, outcome.updated, outcome.unchanged) == (0, 1, 1)
    assert Power.objects.get(code="ZS1-001").time_limit == "5个工作日"
    assert Power.objects.filter(campaign=campaign).count() == 2
    assert outcome.rows[0].changes == "修改：办理时限"


def test_steps_come_from_the_second_sheet(campaign, office, zs1):
    steps = [
        STEPS,
        ["ZS1-001", "受理", "政策兑现经办", "", "1个工作日", "材料是否齐全", "否"],
        ["ZS1-001", "审核", "科长", "", "3个工作日", "", "是"],
        ["ZS1-001", "审批", "", "分管领导", "2个工作日", "", ""],
    ]
    outcome = run(campaign, office, xlsx(rows(), sheets={"流程环节": steps}))
    assert outcome.committed, outcome.errors
    power = Power.objects.get(code="ZS1-001")
    assert [
        (s.position, s.name, s.post.name if s.post else s.responsible, s.is_risk)
        for s in power.steps.all()
    ] == [
        (1, "受理", "政策兑现经办", False),
        (2, "审核", "科长", True),
        (3, "审批", "分管领导", False),
    ]
    assert "流程环节：1 项职权，共 3 个环节（原有环节被替换）" in outcome.notes


def test_a_bad_step_stops_the_whole_import(campaign, office, zs1):
    steps = [
        STEPS,
        ["ZS1-001", "受理", "门卫", "", "", "", ""],
        ["ZS9-001", "受理", "", "", "", "", ""],
    ]
    outcome = run(campaign, office, xlsx(rows(), sheets={"流程环节": steps}))
    assert outcome.errors == [
        "“流程环节”第 2 行「责任岗位」：“招商一科”没有岗位“门卫”",
        "“流程环节”第 3 行「职权编码」：没有编码为“ZS9-001”的职权",
    ]
    assert not Power.objects.filter(campaign=campaign).exists()


@pytest.mark.parametrize(
    "column, value, message",
    [
        (3, "行政许可审批", "第 2 行「职权类别」：无法识别“行政许可审批”，可选值：行政许可、"),
        (0, "不存在科", "第 2 行「科室」：本单位没有名称或编码为“不存在科”的科室"),
        (
            7,
            "科长、门卫",
            "第 2 行「行使岗位」：“招商一科”没有岗位“门卫”（已有：科长、政策兑现经办）",
        ),
        (10, "不公开", "第 2 行「公开范围」：选择“不公开”时须填写不公开理由"),
        (1, "ZS1-002", "第 3 行「编码」：与第 2 行的编码“ZS1-002”重复"),
        (2, "", "第 2 行「职权名称」：不能为空"),
    ],
    ids=["category", "section", "post", "unpublished", "duplicate code", "name"],
)
def test_bad_rows(campaign, office, zs1, column, value, message):
    data = rows()
    data[1][column] = value
    if column == 1:
        data[2][1] = value
    outcome = run(campaign, office, xlsx(data))
    assert any(error.startswith(message) for error in outcome.errors), outcome.errors
    assert not Power.objects.filter(campaign=campaign).exists()


def test_an_approved_catalogue_is_not_changed(campaign, office, zs1):
    catalogue = CatalogueFactory(campaign=campaign, section=zs1)
    catalogue.status = Catalogue.Status.APPROVED
    catalogue.save(update_fields=["status"])
    outcome = run(campaign, office, xlsx(rows()))
    assert outcome.errors[0] == (
        "第 2 行「科室」：“招商一科”的职权目录已审定，不能导入；请先在职权目录页面开启修订"
    )


def test_an_exported_catalogue_imports_back(campaign, office, zs1):
    catalogue = CatalogueFactory(campaign=campaign, section=zs1)
    power = PowerFactory(catalogue=catalogue, code="ZS1-007", sequence=7, name="原名")
    power.posts.set(zs1.posts.filter(name="科长"))
    buffer = BytesIO()
    exports.get("catalogue").write(buffer, campaign, office)
    ws = load_workbook(BytesIO(buffer.getvalue())).worksheets[0]
    ws["D4"] = "新名"
    edited = BytesIO()
    ws.parent.save(edited)
    outcome = run(campaign, office, edited.getvalue())
    assert outcome.committed, outcome.errors
    assert (outcome.new, outcome.updated) == (0, 1)
    power.refresh_from_db()
    assert power.name == "新名"


def test_the_page_previews_and_confirms(client, campaign, office, zs1):
    client.force_login(office)
    url = reverse("powers_import:catalogue", args=[campaign.pk])
    response = client.post(url, {"file": upload(xlsx(rows()))})
    assert response.context["outcome"].new == 2
    assert not Power.objects.exists()
    response = client.post(url, {"token": response.context["token"]})
    assert response.context["outcome"].committed
    assert Power.objects.filter(campaign=campaign).count() == 2


def test_the_template_offers_the_campaigns_categories(client, campaign, office):
    client.force_login(office)
    response = client.get(reverse("powers_import:catalogue_template", args=[campaign.pk]))
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["职权目录", "流程环节", "填写说明"]
    ws = workbook["职权目录"]
    assert ws["B1"].value == "科室" and ws.max_row == 2
    assert any("行政许可" in rule.formula1 for rule in ws.data_validations.dataValidation)


def test_only_the_campaigns_office(client, campaign, office):
    url = reverse("powers_import:catalogue", args=[campaign.pk])
    staff = UserFactory(section=office.section)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    outsider = UserFactory(roles=[Role.OFFICE])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
