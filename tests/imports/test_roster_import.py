"""The roster (人员名册): sections, posts and people, matched by employee
number, previewed before anything is saved."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.imports import RosterImporter
from accounts.models import Post, Section, User
from accounts.roles import Role
from tests.factories import SectionFactory, UnitFactory, UserFactory

from .conftest import upload, xlsx

HEAD = [
    "工号",
    "姓名",
    "科室",
    "科室编码",
    "岗位",
    "重点岗位类型",
    "职级",
    "职务",
    "电话",
    "邮箱",
    "用户名",
    "在职",
]
ROWS = [
    [
        "JC101",
        "骆嘉禾",
        "办公室",
        "BGS",
        "办公室主任",
        "管人",
        "中层干部",
        "主任",
        "0571-1",
        "luo@example.cn",
        "",
        "是",
    ],
    [
        "JC201",
        "石向东",
        "招商一科",
        "ZS1",
        "科长",
        "管审批",
        "中层干部",
        "科长",
        "",
        "",
        "shixd",
        "",
    ],
    [
        "JC202",
        "苏晓雨",
        "招商一科",
        "ZS1",
        "项目招引专员",
        "",
        "一般干部",
        "科员",
        "",
        "",
        "",
        "是",
    ],
    ["JC001", "卫明远", "", "", "", "", "领导班子成员", "党组书记", "", "", "", "是"],
]
URL = reverse("roster_import")


def run(unit, office, rows, dry_run):
    return RosterImporter(user=office, unit=unit).run(xlsx([HEAD, *rows]), dry_run=dry_run)


def preview(client, rows, **files):
    return client.post(URL, {"file": upload(xlsx([HEAD, *rows]))})


def test_only_the_office_imports_the_roster(client, unit, office):
    staff = UserFactory(section=office.section)
    client.force_login(staff)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("roster_import_template")).status_code == 403
    client.force_login(office)
    assert client.get(URL).status_code == 200


def test_the_template_has_the_header_an_example_and_drop_downs(client, office):
    client.force_login(office)
    response = client.get(reverse("roster_import_template"))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    ws = workbook.worksheets[0]
    assert [cell.value for cell in ws[1]] == HEAD
    assert ws["A2"].value == "JC101" and ws["G2"].value == "中层干部"
    assert ws.max_row == 2
    lists = [rule.formula1 for rule in ws.data_validations.dataValidation]
    assert '"领导班子成员,中层干部,一般干部"' in lists
    assert '"管人,管财,管物,管审批,管执法,一般"' in lists
    assert workbook.sheetnames == ["人员名册", "填写说明"]


def test_preview_shows_what_would_change_and_saves_nothing(client, unit, office):
    client.force_login(office)
    before = (User.objects.count(), Section.objects.count(), Post.objects.count())
    response = preview(client, ROWS)
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert (outcome.new, outcome.updated, outcome.unchanged, outcome.invalid) == (3, 1, 0, 0)
    assert outcome.errors == []
    assert "新建科室：招商一科（ZS1）" in outcome.notes
    assert response.context["token"]
    page = response.content.decode()
    assert "确认导入" in page and "JC201 · 石向东 · 招商一科 · 科长 · 中层干部" in page
    assert (User.objects.count(), Section.objects.count(), Post.objects.count()) == before
    office.refresh_from_db()
    assert office.rank == User.Rank.GENERAL


def test_confirming_imports_sections_posts_and_people(client, unit, office):
    client.force_login(office)
    token = preview(client, ROWS).context["token"]
    response = client.post(URL, {"token": token})
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert outcome.committed
    assert [p["employee_no"] for p in outcome.extra["new_people"]] == ["JC201", "JC202", "JC001"]
    assert "新增人员" in response.content.decode()
    head = User.objects.get(employee_no="JC201")
    assert head.username == "shixd"
    assert head.section.code == "ZS1" and head.section.name == "招商一科"
    assert head.post.name == "科长" and head.post.key_type == Post.KeyType.APPROVAL
    assert head.rank == User.Rank.MIDDLE and head.title == "科长"
    assert head.unit == unit
    # New people cannot sign in until an administrator sets a password.
    assert not head.has_usable_password()
    assert User.objects.get(employee_no="JC202").username == "jc202"
    leader = User.objects.get(employee_no="JC001")
    assert leader.section is None and leader.rank == User.Rank.LEADER
    office.refresh_from_db()
    assert office.rank == User.Rank.MIDDLE and office.post.name == "办公室主任"
    assert office.has_usable_password()  # existing people keep theirs
    # The token is used up.
    again = client.post(URL, {"token": token})
    assert "待导入的文件已失效" in again.content.decode()


def test_reimporting_updates_by_employee_number(unit, office):
    assert run(unit, office, ROWS, dry_run=False).committed
    changed = [row[:] for row in ROWS]
    changed[2][6] = "中层干部"  # 苏晓雨 promoted
    changed[2][2], changed[2][3] = "办公室", "BGS"  # and moved
    changed[2][4] = "文秘"
    changed[3][11] = "否"  # 卫明远 retired
    outcome = run(unit, office, changed, dry_run=False)
    assert (outcome.new, outcome.updated, outcome.unchanged) == (0, 2, 2)
    su = User.objects.get(employee_no="JC202")
    assert su.rank == User.Rank.MIDDLE and su.section.code == "BGS" and su.post.name == "文秘"
    assert not User.objects.get(employee_no="JC001").is_active
    assert User.objects.filter(employee_no="JC202").count() == 1
    changes = {row.number: row.changes for row in outcome.rows}
    assert "职级：一般干部 → 中层干部" in changes[4]
    assert "科室：招商一科 → 办公室" in changes[4]


def test_a_second_run_of_the_same_file_changes_nothing(unit, office):
    run(unit, office, ROWS, dry_run=False)
    outcome = run(unit, office, ROWS, dry_run=True)
    assert (outcome.new, outcome.updated, outcome.unchanged) == (0, 0, 4)


def test_a_section_renamed_in_the_file_is_renamed(unit, office):
    rows = [["JC101", "骆嘉禾", "综合办公室", "BGS", "", "", "中层干部", "", "", "", "", "是"]]
    outcome = run(unit, office, rows, dry_run=False)
    assert "科室更名：办公室 → 综合办公室" in outcome.notes
    assert Section.objects.get(unit=unit, code="BGS").name == "综合办公室"


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {6: "科长"},
            "第 3 行「职级」：无法识别“科长”，可选值：领导班子成员、中层干部、一般干部",
        ),
        (
            {2: "", 3: "XX9"},
            "第 3 行「科室编码」：本单位没有编码为“XX9”的科室；新建科室时请同时填写「科室」",
        ),
        ({0: "JC101"}, "第 3 行「工号」：与第 2 行的工号“JC101”重复"),
        (
            {5: "管钱"},
            "第 3 行「重点岗位类型」：无法识别“管钱”，可选值：管人、管财、管物、管审批、管执法、一般",
        ),
        ({9: "不是邮箱"}, "第 3 行「邮箱」：“不是邮箱”不是有效的邮箱地址"),
        ({11: "也许"}, "第 3 行「在职」：无法识别“也许”，可选值：是、否"),
        ({1: ""}, "第 3 行「姓名」：不能为空"),
        (
            {2: "办公室", 3: "BGX"},
            "第 3 行「科室编码」：科室“办公室”的编码是“BGS”，与填写的“BGX”不一致",
        ),
    ],
    ids=[
        "unknown rank",
        "unknown section code",
        "duplicate employee number",
        "key type",
        "e-mail",
        "active",
        "name",
        "code clash",
    ],
)
def test_a_bad_row_names_row_and_column_and_nothing_is_imported(unit, office, change, message):
    rows = [row[:] for row in ROWS]
    for index, value in change.items():
        rows[1][index] = value
    before = set(User.objects.values_list("employee_no", "rank", "section_id"))
    sections = Section.objects.count()
    for dry_run in (True, False):
        outcome = run(unit, office, rows, dry_run=dry_run)
        assert message in outcome.errors
        assert not outcome.committed
    assert set(User.objects.values_list("employee_no", "rank", "section_id")) == before
    assert Section.objects.count() == sections
    assert not Post.objects.exists()


def test_errors_are_listed_on_the_page_without_a_confirm_button(client, unit, office):
    client.force_login(office)
    rows = [row[:] for row in ROWS]
    rows[3][6] = "科长"
    response = preview(client, rows)
    page = response.content.decode()
    assert "第 5 行「职级」：无法识别“科长”，可选值：领导班子成员、中层干部、一般干部" in page
    assert "没有导入任何数据" in page
    assert response.context["token"] is None
    assert 'data-testid="confirm-form"' not in page


def test_an_employee_number_of_another_unit_is_refused(unit, office):
    stranger = UserFactory(section=SectionFactory(unit=UnitFactory()), employee_no="X9")
    rows = [["X9", "某某", "办公室", "BGS", "", "", "一般干部", "", "", "", "", "是"]]
    outcome = run(unit, office, rows, dry_run=True)
    assert outcome.errors == ["第 2 行「工号」：工号“X9”已被其他单位的人员使用"]
    stranger.refresh_from_db()
    assert stranger.unit != unit


def test_a_username_taken_by_someone_else_is_refused(unit, office):
    UserFactory(section=office.section, username="taken", employee_no="Z1")
    rows = [["JC777", "新人", "办公室", "BGS", "", "", "一般干部", "", "", "", "taken", "是"]]
    outcome = run(unit, office, rows, dry_run=True)
    assert outcome.errors == ["第 2 行「用户名」：用户名“taken”已被其他人员使用"]


def test_optional_columns_may_be_left_out(unit, office):
    office.phone = "0571-0000"
    office.save(update_fields=["phone"])
    data = xlsx([["工号", "姓名", "职级", "科室"], ["JC101", "骆嘉禾", "中层干部", "办公室"]])
    outcome = RosterImporter(user=office, unit=unit).run(data, dry_run=False)
    assert outcome.committed and outcome.updated == 1
    office.refresh_from_db()
    assert office.phone == "0571-0000"  # a missing column leaves the field alone
    assert office.section.code == "BGS"


def test_numbers_typed_as_numbers_are_read_as_text(unit, office):
    data = xlsx(
        [HEAD, [1001, "张三", "办公室", "BGS", "", "", "一般干部", "", 13800000000, "", "", "是"]]
    )
    assert RosterImporter(user=office, unit=unit).run(data, dry_run=False).committed
    person = User.objects.get(employee_no="1001")
    assert person.phone == "13800000000" and person.username == "1001"


def test_people_outside_the_office_get_403_and_strangers_cannot_reach_others(client, db):
    unit = UnitFactory()
    watcher = UserFactory(section=SectionFactory(unit=unit), roles=[Role.AUDITOR])
    client.force_login(watcher)
    assert client.get(URL).status_code == 403


def test_blank_contact_details_keep_what_the_person_has(unit, office):
    office.phone, office.email, office.title = "0571-0000", "luo@example.cn", "主任"
    office.save(update_fields=["phone", "email", "title"])
    rows = [["JC101", "骆嘉禾", "办公室", "BGS", "", "", "一般干部", "", "", "", "", "是"]]
    outcome = run(unit, office, rows, dry_run=False)
    assert (outcome.updated, outcome.unchanged) == (0, 1)
    office.refresh_from_db()
    assert (office.phone, office.email, office.title) == ("0571-0000", "luo@example.cn", "主任")
