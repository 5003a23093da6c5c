"""Wrong files on every import page get a clear Chinese message in the
page, never a server error, and the options chosen stay selected."""

import zipfile
from io import BytesIO

import pytest
from django.urls import reverse

from accounts.models import User
from powers.models import Power
from risks.models import RiskPoint

from .conftest import upload, xlsx

PAGES = {
    "roster": (lambda campaign: reverse("roster_import"), ["工号", "姓名", "职级"]),
    "catalogue": (
        lambda campaign: reverse("powers_import:catalogue", args=[campaign.pk]),
        ["科室", "职权名称", "职权类别", "职权内容"],
    ),
    "register": (
        lambda campaign: reverse("risks_import:register", args=[campaign.pk]),
        ["风险类别", "风险点", "风险内容及表现形式", "风险等级"],
    ),
}


def _valid_xlsx():
    return xlsx([["工号", "姓名"], ["1", "张三"]])


def _truncated():
    data = _valid_xlsx()
    return data[: len(data) // 2]


def _zip_without_workbook():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


def _garbled_sheet():
    source = zipfile.ZipFile(BytesIO(_valid_xlsx()))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = b"<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>9"
            archive.writestr(item, data)
    return buffer.getvalue()


BAD_FILES = {
    "text file": ("说明.txt", "这不是表格".encode(), "不是 Excel（.xlsx）文件"),
    "csv renamed .xlsx": ("名单.xlsx", "工号,姓名\nJC1,张三\n".encode(), "不是 Excel（.xlsx）文件"),
    "old .xls": (
        "名单.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
        "旧版 Excel（.xls）文件",
    ),
    "truncated xlsx": ("名单.xlsx", _truncated(), "已损坏（文件不完整）"),
    "zip that is no workbook": (
        "名单.xlsx",
        _zip_without_workbook(),
        "已损坏或不是有效的 Excel 文件",
    ),
    "garbled sheet": ("名单.xlsx", _garbled_sheet(), "已损坏"),
    "empty workbook": ("名单.xlsx", xlsx([]), "没有找到表头"),
}


def _counts():
    return (User.objects.count(), Power.objects.count(), RiskPoint.objects.count())


@pytest.mark.parametrize("kind", list(PAGES))
@pytest.mark.parametrize("bad", list(BAD_FILES))
def test_a_file_that_is_not_a_usable_xlsx(client, office, campaign, kind, bad):
    client.force_login(office)
    url = PAGES[kind][0](campaign)
    name, data, message = BAD_FILES[bad]
    before = _counts()
    response = client.post(url, {"file": upload(data, name)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors["file"]
    assert response.context["token"] is None
    assert _counts() == before


@pytest.mark.parametrize("kind", list(PAGES))
def test_an_empty_upload(client, office, campaign, kind):
    client.force_login(office)
    response = client.post(PAGES[kind][0](campaign), {"file": upload(b"", "空.xlsx")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "上传的文件是空文件（0 字节），请检查后重新选择。"
    ]


@pytest.mark.parametrize("kind", list(PAGES))
def test_a_header_without_rows(client, office, campaign, kind):
    client.force_login(office)
    data = xlsx([PAGES[kind][1]])
    response = client.post(PAGES[kind][0](campaign), {"file": upload(data)})
    assert "只有表头，没有数据行" in response.content.decode()


@pytest.mark.parametrize("kind", list(PAGES))
def test_missing_columns_are_named(client, office, campaign, kind):
    client.force_login(office)
    required = PAGES[kind][1]
    data = xlsx([["备注", required[0]], ["x", "y"]])
    response = client.post(PAGES[kind][0](campaign), {"file": upload(data)})
    page_text = response.content.decode()
    missing = "、".join(f"“{name}”" for name in required[1:])
    assert f"缺少以下列：{missing}" in page_text


def test_options_stay_selected_after_a_bad_file(client, office, campaign):
    client.force_login(office)
    url = PAGES["register"][0](campaign)
    response = client.post(url, {"file": upload(b"nope", "x.txt"), "replace": "on"})
    assert response.context["form"]["replace"].value() is True
    assert (
        'name="replace" class="checkboxinput form-check-input" aria-describedby="id_replace_helptext" id="id_replace" checked'
        in response.content.decode()
        or ("checked" in response.content.decode().split('name="replace"')[1].split(">")[0])
    )


def test_too_large_a_file(client, office, campaign, settings):
    settings.UPLOAD_MAX_BYTES = 100
    client.force_login(office)
    response = client.post(reverse("roster_import"), {"file": upload(_valid_xlsx())})
    assert "文件过大" in response.context["form"].errors["file"][0]


def test_a_token_from_another_page_is_refused(client, office, campaign):
    client.force_login(office)
    data = xlsx([["工号", "姓名", "职级"], ["JC9", "新人", "一般干部"]])
    token = client.post(reverse("roster_import"), {"file": upload(data)}).context["token"]
    assert token
    url = PAGES["register"][0](campaign)
    response = client.post(url, {"token": token})
    assert "待导入的文件已失效" in response.content.decode()
    assert not User.objects.filter(employee_no="JC9").exists()
