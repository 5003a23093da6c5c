"""The self-assessment draft is written from the campaign's own figures;
the office edits and saves it; regenerating keeps the edits unless asked."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from acceptance import services
from acceptance.figures import campaign_figures
from acceptance.models import Rectification, SelfAssessment
from earlywarnings.models import Disposal, EarlyWarning
from tests.factories import RectificationFactory, WarningSignalFactory

pytestmark = pytest.mark.django_db


def _warning(acc, level, year=2026, signal=None):
    return EarlyWarning.objects.create(
        unit=acc.unit,
        target_kind="person",
        person=acc.staff,
        level=level,
        year=year,
        title=f"{level}级预警",
        message="请说明情况",
        respond_by=date(2026, 6, 1),
        signal=signal,
    )


@pytest.fixture
def extras(acc):
    secret = WarningSignalFactory(
        person=acc.staff, source="petition", title="匿名举报收受购物卡", description="保密"
    )
    red = _warning(acc, "A", signal=secret)
    _warning(acc, "C")
    _warning(acc, "C")
    _warning(acc, "B", year=2025)  # another year: not this campaign's
    Disposal.objects.create(
        warning=red,
        kind="reminder_talk",
        responsible=acc.office,
        reporter=acc.staff,
        due_on=date(2026, 6, 10),
        status="closed",
    )
    RectificationFactory(campaign=acc.campaign, owner=acc.staff)
    RectificationFactory(campaign=acc.campaign, owner=acc.head, status=Rectification.Status.CLOSED)
    return secret


def test_the_figures(acc, extras):
    f = campaign_figures(acc.campaign)
    assert f["people"] == {"total": 6, "personal_filings": 3, "approved": 1, "handed_in": 1}
    kinds = {row["kind"]: row for row in f["filings"]}
    assert kinds["personal"]["total"] == 3 and kinds["section"]["total"] == 1
    assert {s["status"]: s["n"] for s in kinds["section"]["statuses"]}["submitted"] == 1
    assert f["points"]["total"] == 4 and f["points"]["ungraded"] == 1
    assert [(g["label"], g["n"]) for g in f["points"]["by_grade"]] == [
        ("高", 1),
        ("中", 1),
        ("低", 1),
    ]
    by_category = {c["name"]: c["n"] for c in f["points"]["by_category"]}
    names = [c.name for c in acc.categories]
    assert (by_category[names[0]], by_category[names[1]], by_category[names[2]]) == (2, 1, 1)
    lines = {line["line"]: line for line in f["measures"]["lines"]}
    assert (
        lines["prevention"]["total"],
        lines["monitoring"]["total"],
        lines["handling"]["total"],
    ) == (2, 1, 1)
    assert {s["status"]: s["n"] for s in lines["prevention"]["statuses"]} == {
        "planned": 1,
        "in_progress": 0,
        "done": 1,
    }
    assert f["measures"]["total"] == 4 and f["measures"]["done"] == 1
    assert f["posts"] == {"total": 2, "covered": 1, "ratio": 0.5}
    assert (f["powers"]["total"], f["powers"]["covered"]) == (2, 1)
    assert f["warnings"]["total"] == 3
    assert {w["level"]: w["n"] for w in f["warnings"]["by_level"]} == {
        "A": 1,
        "B": 0,
        "C": 2,
        "D": 0,
    }
    assert (f["warnings"]["disposals"], f["warnings"]["disposals_closed"]) == (1, 1)
    assert (f["rectifications"]["total"], f["rectifications"]["closed"]) == (2, 1)
    sections = {row["label"]: row for row in f["sections"]}
    assert sections["招商一科"]["points"] == 4 and sections["计划财务科"]["points"] == 0
    assert sections["招商一科"]["people"] == 3


def test_the_draft_holds_the_right_figures(acc, extras):
    report = services.generate_draft(acc.campaign, acc.office)
    text = report.draft
    for expected in [
        "全单位应参与人员 6 人，已建立个人岗位登记表 3 份，其中已提交 1 份、已审定 1 份",
        "共梳理职权事项 2 项",
        "已查找风险点的职权 1 项，覆盖率 50%",
        "共查找廉政风险点 4 个，其中高 1 个、中 1 个、低 1 个、尚未定级 1 个",
        "重点岗位 2 个，已查找风险点的 1 个，覆盖率 50%",
        "共制定防控措施 4 项，其中前期预防 2 项、中期监控 1 项、后期处置 1 项；已落实 1 项，落实率 25%",
        "本年度共发出预警 3 次（A级（红色） 1 次、C级（蓝色） 2 次）",
        "采取处置措施 1 项，已办结 1 项",
        "检查中发现问题 2 个，已整改并验证销号 1 个",
        "尚有 5 人未提交个人岗位登记表",
    ]:
        assert expected in text, expected
    # Counts only: nothing of the confidential signal behind a warning.
    assert extras.title not in text and "信访" not in text
    assert report.text == report.draft
    assert report.figures["points"]["total"] == 4


def test_regenerating_keeps_the_office_edits_unless_asked(acc):
    services.generate_draft(acc.campaign, acc.office)
    services.save_self_assessment(acc.campaign, acc.office, text="我们自己写的报告")
    RectificationFactory(campaign=acc.campaign, owner=acc.staff)
    report = services.generate_draft(acc.campaign, acc.office)
    assert report.text == "我们自己写的报告"
    assert "检查中发现问题 1 个" in report.draft
    report = services.generate_draft(acc.campaign, acc.office, replace_text=True)
    assert report.text == report.draft


def test_the_office_edits_through_the_page(client, acc):
    client.force_login(acc.office)
    url = reverse("acceptance:self_assessment", args=[acc.campaign.pk])
    assert client.post(url, {"action": "regenerate"}).status_code == 302
    report = SelfAssessment.objects.get(campaign=acc.campaign)
    assert "自查报告" in report.text
    assert client.post(url, {"action": "save", "text": "定稿内容"}).status_code == 302
    report.refresh_from_db()
    assert (
        report.text == "定稿内容" and report.draft != "定稿内容" and report.updated_by == acc.office
    )
    client.post(url, {"action": "regenerate"})
    report.refresh_from_db()
    assert report.text == "定稿内容"
    client.post(url, {"action": "regenerate", "replace_text": "on"})
    report.refresh_from_db()
    assert report.text == report.draft
    page = client.get(url).content.decode()
    assert "重新生成草稿" in page


def test_watchers_read_and_staff_are_refused(client, acc):
    services.generate_draft(acc.campaign, acc.office)
    url = reverse("acceptance:self_assessment", args=[acc.campaign.pk])
    client.force_login(acc.watcher)
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="report-text"' in page.content.decode()
    assert client.post(url, {"action": "save", "text": "篡改"}).status_code == 403
    client.force_login(acc.staff)
    assert client.get(url).status_code == 403
    with pytest.raises(ValidationError):
        services.save_self_assessment(acc.campaign, acc.staff, text="篡改")
    assert SelfAssessment.objects.get(campaign=acc.campaign).text != "篡改"


MINE = "我们对照检查后补充的第三部分问题清单"


def test_a_save_from_a_stale_page_is_refused_and_keeps_the_text(client, acc):
    services.generate_draft(acc.campaign, acc.office)
    url = reverse("acceptance:self_assessment", args=[acc.campaign.pk])
    client.force_login(acc.office)
    page = client.get(url)
    shown = page.context["form"].initial["version"]
    # Someone else saves from another page meanwhile.
    services.save_self_assessment(acc.campaign, acc.office, text="另一位同事的定稿", version=shown)
    response = client.post(url, {"action": "save", "text": MINE, "version": shown})
    assert response.status_code == 400
    html = response.content.decode()
    assert "自查报告已在您打开页面后被修改" in html and "您的修改尚未保存" in html
    assert MINE in html  # what was typed, still in the form
    assert 'data-testid="report-conflict"' in html and "另一位同事的定稿" in html
    report = SelfAssessment.objects.get(campaign=acc.campaign)
    assert report.text == "另一位同事的定稿"
    # The page now carries the latest version: saving after merging goes through.
    version = response.context["form"]["version"].value()
    assert int(version) == report.version
    merged = client.post(url, {"action": "save", "text": MINE, "version": version})
    assert merged.status_code == 302
    assert SelfAssessment.objects.get(campaign=acc.campaign).text == MINE


def test_the_version_moves_with_every_change_of_the_text(acc):
    report = services.generate_draft(acc.campaign, acc.office)
    first = report.version
    report = services.save_self_assessment(acc.campaign, acc.office, text="甲", version=first)
    assert report.version == first + 1
    same = services.save_self_assessment(acc.campaign, acc.office, text="甲", version=first + 1)
    assert same.version == first + 1  # nothing changed
    replaced = services.generate_draft(acc.campaign, acc.office, replace_text=True)
    assert replaced.version == first + 2
    with pytest.raises(services.StaleReport):
        services.save_self_assessment(acc.campaign, acc.office, text="乙", version=first + 1)
    assert SelfAssessment.objects.get(campaign=acc.campaign).text == replaced.draft


def test_report_dates_go_through_gettext(acc, monkeypatch):
    from acceptance import report as report_module

    seen = []
    original = report_module._

    def spy(message):
        seen.append(message)
        return original(message)

    monkeypatch.setattr(report_module, "_", spy)
    text = report_module.draft_text(acc.campaign, campaign_figures(acc.campaign))
    assert "%(y)d年%(m)d月%(d)d日" in seen
    start = acc.campaign.starts_on
    assert f"自{start.year}年{start.month}月{start.day}日起开展" in text
