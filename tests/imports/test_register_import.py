"""A legacy unit-wide register into a campaign, as approved filings."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.imports import ImportFileError
from accounts.models import User
from risks.imports import RegisterImporter
from risks.models import Filing, Measure, RiskPoint
from tests.factories import PostFactory, SectionFactory, UserFactory

from .conftest import upload, xlsx

HEAD = [
    "序号",
    "科室",
    "岗位",
    "姓名",
    "风险类别",
    "风险点",
    "风险内容及表现形式",
    "风险等级",
    "前期预防",
    "中期监控",
    "后期处置",
]


@pytest.fixture
def people(unit):
    section = SectionFactory(unit=unit, name="招商一科", code="ZS1", display_order=20)
    clerk = PostFactory(section=section, name="政策兑现经办")
    PostFactory(section=section, name="科长")
    return {
        "section": section,
        "clerk": clerk,
        "he": UserFactory(section=section, post=clerk, full_name="贺文涛", employee_no="JC203"),
        "shao": UserFactory(section=section, full_name="邵一帆", employee_no="JC204"),
        "wei": UserFactory(
            section=None, unit=unit, rank=User.Rank.LEADER, full_name="卫明远", employee_no="JC001"
        ),
    }


def rows():
    return [
        HEAD,
        [
            1,
            "单位（领导班子）",
            "",
            "",
            "制度机制",
            "决策程序不到位",
            "三重一大未集体研究",
            "高",
            "严格执行议事规则",
            "",
            "",
        ],
        [
            2,
            "单位（领导班子）",
            "",
            "卫明远",
            "思想道德",
            "干预具体业务",
            "打招呼、递条子",
            "中",
            "",
            "",
            "主动报告",
        ],
        [
            3,
            "招商一科",
            "",
            "",
            "业务流程",
            "集体研究流于形式",
            "科务会走过场",
            "高",
            "",
            "科务会记录存档",
            "",
        ],
        [
            4,
            "招商一科",
            "政策兑现经办",
            "贺文涛",
            "岗位职责",
            "扶持资金审核不严",
            "多报多拨",
            "高",
            "双人审核\n材料清单",
            "拨付前公示",
            "追回并追责",
        ],
        [
            5,
            "招商一科",
            "政策兑现经办",
            "贺文涛",
            "业务流程",
            "第二个风险点",
            "表现",
            "低",
            "",
            "",
            "",
        ],
    ]


def run(campaign, office, data, dry_run=False, **options):
    importer = RegisterImporter(user=office, unit=campaign.unit, campaign=campaign, options=options)
    return importer.run(data, dry_run=dry_run)


def test_rows_become_approved_filings_at_every_level(campaign, office, people):
    outcome = run(campaign, office, xlsx(rows()))
    assert outcome.committed, outcome.errors
    assert outcome.new == 5
    assert "涉及登记表 4 份（个人 2、科室 1、单位 1），导入后均为“已审定”。" in outcome.notes
    personal = Filing.objects.get(campaign=campaign, owner=people["he"])
    assert personal.status == Filing.Status.APPROVED and personal.approved_at
    assert personal.section == people["section"] and personal.post == people["clerk"]
    assert personal.rank == User.Rank.GENERAL
    first, second = personal.risk_points.all()
    assert (first.position, first.title, first.final_grade.label) == (1, "扶持资金审核不严", "高")
    assert first.category.name == "岗位职责" and first.campaign == campaign
    assert second.position == 2 and second.final_grade.label == "低"
    assert [(m.line, m.text, m.position) for m in first.measures.all()] == [
        (Measure.Line.HANDLING, "追回并追责", 1),
        (Measure.Line.MONITORING, "拨付前公示", 1),
        (Measure.Line.PREVENTION, "双人审核", 1),
        (Measure.Line.PREVENTION, "材料清单", 2),
    ]
    section_filing = Filing.objects.get(
        campaign=campaign, kind=Filing.Kind.SECTION, section=people["section"]
    )
    assert section_filing.risk_points.get().title == "集体研究流于形式"
    unit_filing = Filing.objects.get(campaign=campaign, kind=Filing.Kind.UNIT)
    assert unit_filing.risk_points.get().title == "决策程序不到位"
    leader = Filing.objects.get(campaign=campaign, owner=people["wei"])
    assert leader.section is None and leader.risk_points.get().title == "干预具体业务"


def test_dry_run_changes_nothing(campaign, office, people):
    before = (Filing.objects.count(), RiskPoint.objects.count(), Measure.objects.count())
    outcome = run(campaign, office, xlsx(rows()), dry_run=True)
    assert outcome.ok and outcome.new == 5
    assert (Filing.objects.count(), RiskPoint.objects.count(), Measure.objects.count()) == before
    assert outcome.rows[3].what == "贺文涛（招商一科·政策兑现经办） · 扶持资金审核不严 · 高"
    assert outcome.rows[3].changes == "措施：前期预防 2、中期监控 1、后期处置 1"


@pytest.mark.parametrize(
    "row, column, value, message",
    [
        (4, 7, "特高", "第 5 行「风险等级」：无法识别“特高”，可选值：高、中、低"),
        (
            4,
            4,
            "廉洁自律",
            "第 5 行「风险类别」：无法识别“廉洁自律”，可选值：思想道德、岗位职责、业务流程、制度机制、外部环境",
        ),
        (4, 3, "查无此人", "第 5 行「姓名」：本单位没有名为“查无此人”的人员，请先导入人员名册"),
        (4, 1, "不存在科", "第 5 行「科室」：本单位没有名称或编码为“不存在科”的科室"),
        (4, 2, "门卫", "第 5 行「岗位」：“招商一科”没有岗位“门卫”（已有：政策兑现经办、科长）"),
        (4, 5, "", "第 5 行「风险点」：不能为空"),
        (5, 2, "科长", "第 6 行「岗位」：与第 5 行填写的科室或岗位不一致（同一人只有一份登记表）"),
    ],
    ids=["grade label", "category", "person", "section", "post", "title", "two posts"],
)
def test_a_bad_row_names_row_and_column_and_nothing_is_imported(
    campaign, office, people, row, column, value, message
):
    data = rows()
    data[row][column] = value
    outcome = run(campaign, office, xlsx(data))
    assert message in outcome.errors, outcome.errors
    assert not RiskPoint.objects.filter(campaign=campaign).exists()
    assert not Filing.objects.filter(campaign=campaign, status=Filing.Status.APPROVED).exists()


def test_two_people_of_one_name_need_an_employee_number(campaign, office, people):
    UserFactory(section=office.section, full_name="贺文涛", employee_no="JC999")
    data = rows()
    data[4][1] = data[5][1] = ""  # no section to tell them apart
    data[4][2] = data[5][2] = ""
    outcome = run(campaign, office, xlsx(data))
    assert "第 5 行「姓名」：本单位有 2 人名为“贺文涛”，请增加「工号」列区分" in outcome.errors
    data = [
        row + [number]
        for row, number in zip(rows(), ["工号", "", "", "", "JC203", "JC203"], strict=True)
    ]
    data[4][1] = data[5][1] = ""
    outcome = run(campaign, office, xlsx(data))
    assert outcome.committed, outcome.errors
    assert Filing.objects.get(campaign=campaign, owner=people["he"]).risk_points.count() == 2


def test_a_section_names_the_right_one_of_two_namesakes(campaign, office, people):
    UserFactory(section=office.section, full_name="贺文涛")
    assert run(campaign, office, xlsx(rows())).committed


def test_filings_with_points_are_replaced_only_when_asked(campaign, office, people):
    assert run(campaign, office, xlsx(rows())).committed
    outcome = run(campaign, office, xlsx(rows()))
    assert outcome.errors[0] == (
        "第 2 行「科室」：“单位（领导班子）”的登记表已有 1 个风险点；如需用文件中的内容替换，请勾选“替换已有的风险点”"
    )
    assert RiskPoint.objects.filter(campaign=campaign).count() == 5
    outcome = run(campaign, office, xlsx(rows()), replace=True)
    assert outcome.committed
    assert "将替换这些登记表中原有的 5 个风险点。" in outcome.notes
    assert RiskPoint.objects.filter(campaign=campaign).count() == 5


def test_a_filing_under_review_is_never_replaced(campaign, office, people):
    Filing.objects.create(
        campaign=campaign,
        kind=Filing.Kind.PERSONAL,
        owner=people["he"],
        status=Filing.Status.IN_REVIEW,
    )
    outcome = run(campaign, office, xlsx(rows()), replace=True)
    assert "第 5 行「姓名」：“贺文涛”的登记表正在审核中，不能导入" in outcome.errors


def test_an_old_register_with_one_measures_column(campaign, office, people):
    data = [
        ["部门", "填报人", "类别", "风险点名称", "风险描述", "等级", "防控措施"],
        [
            "招商一科",
            "邵一帆",
            "岗位职责",
            "泄露客商信息",
            "对外透露项目底价",
            "中",
            "签订保密承诺\n洽谈两人以上",
        ],
    ]
    outcome = run(campaign, office, xlsx(data))
    assert outcome.committed, outcome.errors
    point = RiskPoint.objects.get(campaign=campaign)
    assert point.filing.owner == people["shao"]
    assert list(point.measures.values_list("line", "text")) == [
        (Measure.Line.PREVENTION, "签订保密承诺"),
        (Measure.Line.PREVENTION, "洽谈两人以上"),
    ]


def test_the_page_keeps_the_replace_choice_and_confirms(client, campaign, office, people):
    client.force_login(office)
    url = reverse("risks_import:register", args=[campaign.pk])
    response = client.post(url, {"file": upload(xlsx(rows())), "replace": "on"})
    assert response.context["form"]["replace"].value() is True
    token = response.context["token"]
    assert token and not RiskPoint.objects.exists()
    response = client.post(url, {"token": token})
    assert response.context["outcome"].committed
    assert RiskPoint.objects.filter(campaign=campaign).count() == 5


def test_the_template_offers_the_campaigns_grades_and_categories(client, campaign, office):
    client.force_login(office)
    response = client.get(reverse("risks_import:register_template", args=[campaign.pk]))
    ws = load_workbook(BytesIO(response.content)).worksheets[0]
    assert ws["F1"].value == "风险类别" and ws["I1"].value == "风险等级"
    lists = [rule.formula1 for rule in ws.data_validations.dataValidation]
    assert '"高,中,低"' in lists


def test_a_closed_campaign_takes_no_import(client, campaign, office, people):
    campaign.status = campaign.Status.CLOSED
    campaign.save(update_fields=["status"])
    client.force_login(office)
    url = reverse("risks_import:register", args=[campaign.pk])
    response = client.post(url, {"file": upload(xlsx(rows()))})
    assert "本次活动已结束并锁定" in response.content.decode()
    assert not RiskPoint.objects.exists()


def test_only_the_campaigns_office(client, campaign, office, people):
    url = reverse("risks_import:register", args=[campaign.pk])
    client.force_login(people["he"])
    assert client.get(url).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_a_replaced_filing_refuses_a_form_opened_before(campaign, office, people):
    """The import bumps the version of the filings it rewrites, so a form
    opened before it cannot save its stale copy over the imported points."""
    assert run(campaign, office, xlsx(rows())).committed
    filing = Filing.objects.get(campaign=campaign, owner=people["he"])
    before = filing.version
    assert run(campaign, office, xlsx(rows()), replace=True).committed
    filing.refresh_from_db()
    assert filing.version == before + 1


def test_a_campaign_closed_after_the_check_takes_no_import(campaign, office, people):
    """The check reads the campaign before the file; the lock inside the
    transaction reads it again (it may have closed while the file was read)."""
    importer = RegisterImporter(user=office, unit=campaign.unit, campaign=campaign, options={})
    # Closed by someone else: this request's copy still says running.
    type(campaign).objects.filter(pk=campaign.pk).update(status=campaign.Status.CLOSED)
    with pytest.raises(ImportFileError, match="本次活动已结束并锁定"):
        importer.run(xlsx(rows()), dry_run=False)
    assert not RiskPoint.objects.exists()
