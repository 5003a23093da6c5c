"""A petition (信访举报) signal is confidential: only discipline inspection
and the office head see it — never the person named, their section head, an
auditor or an office member — on every page, list, count, search, export row
and notification; warnings raised from it show no source to the others."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Notification
from campaign.approvals import ReviewError
from earlywarnings import access, hooks, records, services
from earlywarnings.models import Disposal, Level, WarningSignal
from tests.factories import CampaignFactory

TODAY = date(2026, 5, 4)
SECRET_TITLE = "来信反映出纳公款私存"
SECRET_TEXT = "匿名来信附转账截图三张"
ALLOWED = ("office_head", "discipline")
DENIED = ("named", "head", "auditor", "office")
EVERYONE = DENIED + ALLOWED


@pytest.fixture
def case(org, frozen, django_capture_on_commit_callbacks):
    with frozen(TODAY), django_capture_on_commit_callbacks(execute=True):
        petition = services.record_signal(
            org.discipline,
            source=WarningSignal.Source.PETITION,
            title=SECRET_TITLE,
            description=SECRET_TEXT,
            received_on=TODAY,
            person=org.named,
            uploads=[
                SimpleUploadedFile("截图.txt", "转账记录".encode(), content_type="text/plain")
            ],
        )
        audit = services.record_signal(
            org.office,
            source=WarningSignal.Source.AUDIT,
            title="审计发现报销单据不全",
            description="两张发票缺少签字",
            received_on=TODAY,
            person=org.named,
        )
        manual = services.raise_warning(
            org.discipline,
            level=Level.B,
            title="资金管理提醒",
            message="请规范资金管理，按时入账。",
            respond_by=TODAY + timedelta(days=7),
            person=org.named,
            signal=petition,
        )
        automatic = services.deduct(
            org.named, org.discipline, points=3, reason="资金入账不及时", signal=petition, year=2026
        ).raised_warning
        from_audit = services.raise_warning(
            org.office,
            level=Level.C,
            title="单据管理提醒",
            message="请补齐签字。",
            respond_by=TODAY + timedelta(days=7),
            person=org.named,
            signal=audit,
        )
    signal_url = reverse("earlywarnings:signal", args=[petition.pk])
    return {
        "petition": petition,
        "audit": audit,
        "manual": manual,
        "automatic": automatic,
        "from_audit": from_audit,
        "secrets": [SECRET_TITLE, SECRET_TEXT, signal_url, "信访举报"],
    }


def leaked(text, case):
    return [secret for secret in case["secrets"] if secret in text]


def page(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


# The signal itself ---------------------------------------------------------------


def test_petitions_are_always_confidential(case):
    assert case["petition"].confidential is True
    assert case["audit"].confidential is False


@pytest.mark.parametrize("who", EVERYONE)
def test_who_sees_the_signal(org, case, who):
    user = getattr(org, who)
    visible = set(access.visible_signals(user).values_list("pk", flat=True))
    assert (case["petition"].pk in visible) == (who in ALLOWED)


@pytest.mark.parametrize("who", EVERYONE)
def test_signal_pages(client, org, case, who):
    user = getattr(org, who)
    petition = case["petition"]
    detail = page(client, user, "earlywarnings:signal", petition.pk)
    attachment = petition.attachments.get()
    download = client.get(
        reverse("earlywarnings:signal_attachment", args=[petition.pk, attachment.pk])
    )
    listing = page(client, user, "earlywarnings:signals")
    search = page(client, user, "earlywarnings:signals", q="公款")
    by_source = page(client, user, "earlywarnings:signals", source="petition")
    if who in ALLOWED:
        assert detail.status_code == 200 and SECRET_TEXT in detail.content.decode()
        assert download.status_code == 200
        assert SECRET_TITLE in listing.content.decode()
        assert SECRET_TITLE in search.content.decode()
        assert SECRET_TITLE in by_source.content.decode()
        return
    assert detail.status_code == 404
    assert download.status_code == 404
    if who == "office":
        # The office lists signals, but never this one, whatever it searches for.
        for response in (listing, search, by_source):
            assert response.status_code == 200
            assert leaked(response.content.decode(), case) == []
        assert "审计发现报销单据不全" in listing.content.decode()
    else:
        assert listing.status_code == search.status_code == 403


def test_an_office_member_cannot_record_a_petition(org):
    with pytest.raises(ReviewError, match="纪检组"):
        services.record_signal(
            org.office,
            source=WarningSignal.Source.PETITION,
            title="x",
            description="x",
            received_on=TODAY,
            person=org.named,
        )
    with pytest.raises(ReviewError):
        services.record_signal(
            org.office,
            source="audit",
            title="x",
            description="x",
            received_on=TODAY,
            confidential=True,
        )


def test_the_office_form_does_not_offer_petitions(client, org):
    response = page(client, org.office, "earlywarnings:signal_create")
    assert 'value="petition"' not in response.content.decode()
    response = page(client, org.discipline, "earlywarnings:signal_create")
    assert 'value="petition"' in response.content.decode()


# Warnings raised from it ----------------------------------------------------------


@pytest.mark.parametrize("who", ("office", "auditor", "office_head", "discipline"))
def test_warning_list_and_detail(client, org, case, who):
    user = getattr(org, who)
    listing = page(client, user, "earlywarnings:list").content.decode()
    detail = page(client, user, "earlywarnings:detail", case["manual"].pk).content.decode()
    auto_detail = page(client, user, "earlywarnings:detail", case["automatic"].pk).content.decode()
    assert "资金管理提醒" in listing  # the warning itself is not secret
    if who in ALLOWED:
        assert "信访举报" in listing
        assert reverse("earlywarnings:signal", args=[case["petition"].pk]) in detail
        assert SECRET_TITLE in auto_detail
    else:
        assert leaked(listing, case) == []
        assert leaked(detail, case) == []
        assert leaked(auto_detail, case) == []
        # The audit signal's source is shown as usual.
        assert (
            "审计"
            in page(client, user, "earlywarnings:detail", case["from_audit"].pk).content.decode()
        )


@pytest.mark.parametrize("who", ("office", "auditor", "office_head", "discipline"))
def test_filtering_warnings_by_source_never_reveals_it(client, org, case, who):
    user = getattr(org, who)
    response = page(client, user, "earlywarnings:list", source="petition")
    shown = {w.pk for w in response.context["page"].object_list}
    expected = {case["manual"].pk, case["automatic"].pk} if who in ALLOWED else set()
    assert shown == expected
    searched = page(client, user, "earlywarnings:list", q="公款")
    assert list(searched.context["page"].object_list) == []


@pytest.mark.parametrize("who", ("named", "head"))
def test_warning_pages_are_closed_to_the_named_person_and_their_head(client, org, case, who):
    user = getattr(org, who)
    assert page(client, user, "earlywarnings:list").status_code == 403
    assert page(client, user, "earlywarnings:detail", case["manual"].pk).status_code == 404


def test_my_warnings_of_the_named_person_show_no_source(client, org, case):
    listing = page(client, org.named, "earlywarnings:mine")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "资金管理提醒" in text and leaked(text, case) == []
    for warning in (case["manual"], case["automatic"]):
        text = page(client, org.named, "earlywarnings:my_warning", warning.pk).content.decode()
        assert leaked(text, case) == []
        assert "/warnings/manage/signals/" not in text
        assert org.discipline.full_name not in text  # nor who raised or reported it


def test_the_section_head_sees_nothing_of_a_personal_warning(client, org, case):
    assert page(client, org.head, "earlywarnings:my_warning", case["manual"].pk).status_code == 404
    assert leaked(page(client, org.head, "earlywarnings:mine").content.decode(), case) == []


# The integrity file ------------------------------------------------------------------


@pytest.mark.parametrize("who", ("named", "office", "office_head", "discipline"))
def test_the_integrity_file(client, org, case, who):
    user = getattr(org, who)
    response = page(client, user, "earlywarnings:file", org.named.pk)
    assert response.status_code == 200
    text = response.content.decode()
    assert "资金入账不及时" in text  # the deduction itself is the person's to know
    if who in ALLOWED:
        assert SECRET_TITLE in text
    else:
        assert leaked(text, case) == []


def _table(html, testid):
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</table>", start)]


def test_the_owner_reads_their_file_without_any_source(client, org, case):
    """Like "my warnings": the person concerned never sees where a warning
    or a deduction came from — not even an ordinary audit signal."""
    text = page(client, org.named, "earlywarnings:file", org.named.pk).content.decode()
    warnings = _table(text, "file-warnings")
    assert "单据管理提醒" in warnings and "审计" not in warnings
    assert "/warnings/manage/" not in warnings  # links go to "my warnings"
    deductions = _table(text, "file-deductions")
    assert "资金入账不及时" in deductions and "审计" not in deductions
    assert leaked(text, case) == []


def test_office_staff_reading_their_own_file_see_no_source_either(client, org, frozen):
    with frozen(TODAY):
        audit = services.record_signal(
            org.office_head,
            source=WarningSignal.Source.AUDIT,
            title="审计发现办公室采购未比价",
            description="三笔采购未比价",
            received_on=TODAY,
            person=org.office,
        )
        services.raise_warning(
            org.office_head,
            level=Level.D,
            title="采购程序提醒",
            message="请按程序采购。",
            respond_by=TODAY + timedelta(days=7),
            person=org.office,
            signal=audit,
        )
        services.deduct(org.office, org.office_head, points=1, reason="采购未比价", signal=audit)
    own = page(client, org.office, "earlywarnings:file", org.office.pk).content.decode()
    assert "采购程序提醒" in own and "采购未比价" in own
    assert "审计" not in _table(own, "file-warnings")
    assert "审计发现办公室采购未比价" not in own
    # The office head reading the same file keeps the source and the signal's link.
    theirs = page(client, org.office_head, "earlywarnings:file", org.office.pk).content.decode()
    assert "审计" in _table(theirs, "file-warnings")
    assert "审计发现办公室采购未比价" in _table(theirs, "file-deductions")


@pytest.mark.parametrize("who", ("head", "auditor", "colleague", "outsider"))
def test_the_integrity_file_is_404_for_others(client, org, case, who):
    assert page(client, getattr(org, who), "earlywarnings:file", org.named.pk).status_code == 404


# Notifications -------------------------------------------------------------------------


def test_the_named_person_is_never_told_of_the_signal(org, case):
    notes = Notification.objects.filter(recipient=org.named)
    assert notes.exists()  # they do learn of the warnings and the deduction
    for note in notes:
        assert leaked(f"{note.title} {note.body} {note.url}", case) == [], note.title
    mails = [m for m in mail.outbox if org.named.email in m.to]
    assert mails
    for message in mails:
        assert leaked(f"{message.subject} {message.body}", case) == []


def test_only_those_allowed_hear_of_a_new_confidential_signal(org, case):
    petition_url = reverse("earlywarnings:signal", args=[case["petition"].pk])
    head_notes = Notification.objects.filter(recipient=org.office_head, url=petition_url)
    assert head_notes.count() == 1
    note = head_notes.get()
    assert note.title == "有一条保密线索待研判"
    assert SECRET_TITLE not in note.title + note.body  # not even to them, by e-mail
    for who in ("office", "head", "auditor", "named"):
        user = getattr(org, who)
        for n in Notification.objects.filter(recipient=user):
            assert leaked(f"{n.title} {n.body} {n.url}", case) == [], (who, n.title)
    # Ordinary signals are announced with their content.
    assert Notification.objects.filter(
        recipient=org.discipline, title__contains="审计发现"
    ).exists()


# Counts, exports ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ("office", "office_head", "discipline"))
def test_dashboard_panel_counts_only_what_the_person_may_see(org, case, who, frozen):
    with frozen(TODAY):
        for source in ("petition", "audit"):  # two new ones, waiting to be assessed
            services.record_signal(
                org.discipline,
                source=source,
                title="待研判",
                description="x",
                received_on=TODAY,
                person=org.named,
            )
    campaign = CampaignFactory(unit=org.unit)
    context = hooks.panel_context(campaign, getattr(org, who))
    assert context["new_signals"] == (2 if who in ALLOWED else 1)
    assert context["open_total"] == 3


@pytest.mark.parametrize("who", ("office", "auditor", "leader", "office_head", "discipline"))
def test_the_disposal_record_masks_the_source(org, case, who):
    rows = {row.warning_id: row for row in records.disposal_record(getattr(org, who))}
    assert set(rows) == {case["manual"].pk, case["automatic"].pk, case["from_audit"].pk}
    assert rows[case["from_audit"].pk].source == "审计"
    expected = "信访举报" if who in ALLOWED else ""
    assert rows[case["manual"].pk].source == expected
    assert rows[case["automatic"].pk].source == expected


@pytest.mark.parametrize("who", ("named", "head", "colleague", "outsider"))
def test_the_disposal_record_is_empty_for_those_without_the_right(org, case, who):
    assert records.disposal_record(getattr(org, who)) == []


@pytest.fixture
def export_url(org, case):
    from .conftest import running

    campaign = running(CampaignFactory(unit=org.unit, by=org.office_head, year=TODAY.year))
    return reverse("exports:download", args=[campaign.pk, "warning_disposals"])


def _sheet(response):
    from io import BytesIO

    from openpyxl import load_workbook

    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]


def test_the_disposal_record_is_in_the_export_centre(client, org, case, export_url, frozen):
    with frozen(TODAY):
        services.add_disposal(
            case["from_audit"].pk,
            org.office,
            kind=Disposal.Kind.WRITTEN_INQUIRY,
            responsible=org.head,
            reporter=org.named,
            due_on=TODAY + timedelta(days=10),
        )
    client.force_login(org.office_head)
    centre = client.get(export_url.replace("warning_disposals/", "")).content.decode()
    assert "预警处置记录" in centre
    rows = _sheet(client.get(export_url))
    assert rows[0] == [f"{org.unit.name}预警处置记录"]
    assert rows[2][:8] == [
        "序号",
        "预警日期",
        "预警对象",
        "所在科室",
        "预警等级",
        "预警类别",
        "信息来源",
        "预警事项",
    ]
    assert rows[2][8:] == ["处置情况", "办结情况", "办结时间"]
    assert rows[3][:3] == ["处置方式", "责任人", "完成期限"]
    audit_row = next(row for row in rows if "单据管理提醒" in row)
    assert audit_row[2:8] == [
        org.named.full_name,
        org.section.name,
        "C级（蓝色）",
        "岗位预警",
        "审计",
        "单据管理提醒",
    ]
    assert "函询" in audit_row and org.head.full_name in audit_row
    # The office head may see the petition: the record names its source.
    assert "信访举报" in next(row for row in rows if "资金管理提醒" in row)


@pytest.mark.parametrize("who", ("office", "auditor", "leader"))
def test_the_exported_record_never_shows_a_confidential_source(client, org, case, export_url, who):
    client.force_login(getattr(org, who))
    rows = _sheet(client.get(export_url))
    flat = " ".join(str(cell) for row in rows for cell in row)
    assert "资金管理提醒" in flat and "单据管理提醒" in flat  # the warnings themselves
    assert "审计" in flat  # an ordinary source is shown
    assert leaked(flat, case) == []  # no petition: not its source, title nor description


@pytest.mark.parametrize(("who", "status"), (("named", 403), ("head", 403), ("outsider", 404)))
def test_staff_and_outsiders_may_not_export_the_record(client, org, export_url, who, status):
    client.force_login(getattr(org, who))
    assert client.get(export_url).status_code == status


# Recusal ------------------------------------------------------------------------------------


def test_an_office_head_who_heads_the_named_persons_section_is_recused(client, org, case):
    org.section.head = org.office_head
    org.section.save()
    org.office_head.__dict__.pop("_lianfang_standing", None)  # standing is cached per user object
    assert case["petition"] not in access.visible_signals(org.office_head)
    assert (
        page(client, org.office_head, "earlywarnings:signal", case["petition"].pk).status_code
        == 404
    )
    text = page(client, org.office_head, "earlywarnings:detail", case["manual"].pk).content.decode()
    assert leaked(text, case) == []


def test_a_discipline_inspector_named_in_a_petition_never_sees_it(org, frozen):
    with frozen(TODAY):
        petition = services.record_signal(
            org.office_head,
            source=WarningSignal.Source.PETITION,
            title="反映纪检干部问题",
            description="x",
            received_on=TODAY,
            person=org.discipline,
        )
    assert petition not in access.visible_signals(org.discipline)
    assert petition in access.visible_signals(org.office_head)
    assert not Notification.objects.filter(
        recipient=org.discipline, url__contains="/signals/"
    ).exists()


def test_a_confidential_signal_about_a_section_stays_visible_to_discipline(org, frozen):
    with frozen(TODAY):
        signal = services.record_signal(
            org.discipline,
            source=WarningSignal.Source.PETITION,
            title="反映科室问题",
            description="x",
            received_on=TODAY,
            target_kind="section",
            section=org.other_section,
        )
    assert signal in access.visible_signals(org.discipline)
    assert signal in access.visible_signals(org.office_head)
    assert signal not in access.visible_signals(org.office)
