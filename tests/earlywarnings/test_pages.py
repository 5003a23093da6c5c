"""The pages through the views: who may open them (outsiders refused with a
404 or a 403), what they do, and the pinned query counts of the lists."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from accounts.roles import Role
from earlywarnings import services
from earlywarnings.models import (
    Disposal,
    EarlyWarning,
    Holiday,
    JobRun,
    Level,
    WarningPolicy,
    WarningSignal,
)
from tests.factories import SectionFactory, UserFactory

TODAY = date(2026, 5, 4)


@pytest.fixture
def data(org, frozen):
    with frozen(TODAY):
        signal = services.record_signal(
            org.office,
            source="audit",
            title="审计发现",
            description="说明",
            received_on=TODAY,
            person=org.named,
        )
        warning = services.raise_warning(
            org.office,
            level=Level.C,
            title="审计问题预警",
            message="请说明",
            respond_by=TODAY + timedelta(days=7),
            person=org.named,
            signal=signal,
        )
        disposal = services.add_disposal(
            warning.pk,
            org.office,
            kind=Disposal.Kind.REMINDER_TALK,
            responsible=org.head,
            reporter=org.named,
            due_on=TODAY + timedelta(days=5),
        )
        holiday = Holiday.objects.create(unit=org.unit, date=date(2026, 10, 1), name="国庆节")
    return {"signal": signal, "warning": warning, "disposal": disposal, "holiday": holiday}


def get(client, user, url_name, *args, **query):
    client.force_login(user)
    return client.get(reverse(url_name, args=args), query)


def post(client, user, url_name, *args, **data):
    client.force_login(user)
    return client.post(reverse(url_name, args=args), data)


# Who may open what ---------------------------------------------------------------------

MANAGER_PAGES = [
    "earlywarnings:create",
    "earlywarnings:signals",
    "earlywarnings:signal_create",
    "earlywarnings:deduction_create",
    "earlywarnings:files",
]
OFFICE_PAGES = ["earlywarnings:job_runs", "earlywarnings:holidays", "earlywarnings:policy"]


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_manager_pages(client, org, name):
    for who in ("office", "office_head", "discipline"):
        assert get(client, getattr(org, who), name).status_code == 200, who
    for who in ("named", "head", "auditor", "leader"):
        assert get(client, getattr(org, who), name).status_code == 403, who


@pytest.mark.parametrize("name", OFFICE_PAGES)
def test_office_pages(client, org, name):
    for who in ("office", "office_head"):
        assert get(client, getattr(org, who), name).status_code == 200, who
    for who in ("discipline", "named", "auditor", "leader"):
        assert get(client, getattr(org, who), name).status_code == 403, who


def test_the_list_is_for_those_who_see_the_whole_unit(client, org, data):
    for who in ("office", "discipline", "leader", "auditor"):
        assert get(client, getattr(org, who), "earlywarnings:list").status_code == 200, who
    for who in ("named", "head", "colleague"):
        assert get(client, getattr(org, who), "earlywarnings:list").status_code == 403, who
    # An office of another unit sees its own unit's list, which is empty.
    response = get(client, org.outsider, "earlywarnings:list")
    assert response.status_code == 200 and "审计问题预警" not in response.content.decode()


def test_start_sends_each_person_to_their_page(client, org):
    assert get(client, org.office, "earlywarnings:start").url == reverse("earlywarnings:list")
    assert get(client, org.named, "earlywarnings:start").url == reverse("earlywarnings:mine")


def test_anonymous_people_are_sent_to_sign_in(client, data):
    response = client.get(reverse("earlywarnings:mine"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_object_pages_are_404_for_outsiders(client, org, data):
    warning, signal, disposal = data["warning"], data["signal"], data["disposal"]
    for who in ("outsider", "colleague"):
        user = getattr(org, who)
        assert get(client, user, "earlywarnings:detail", warning.pk).status_code == (
            404 if who == "outsider" else 404
        )
        assert get(client, user, "earlywarnings:my_warning", warning.pk).status_code == 404
        assert (
            post(client, user, "earlywarnings:answer", warning.pk, response="x").status_code == 404
        )
        assert (
            post(client, user, "earlywarnings:report", disposal.pk, report="x").status_code == 404
        )
        assert get(client, user, "earlywarnings:signal", signal.pk).status_code == 404
    outsider = org.outsider
    assert post(client, outsider, "earlywarnings:close", warning.pk).status_code == 404
    assert post(client, outsider, "earlywarnings:disposal_add", warning.pk).status_code == 404
    assert (
        post(
            client,
            outsider,
            "earlywarnings:disposal_evaluate",
            disposal.pk,
            evaluation="x",
            adequate="1",
        ).status_code
        == 404
    )
    assert post(client, outsider, "earlywarnings:disposal_close", disposal.pk).status_code == 404
    assert post(client, outsider, "earlywarnings:disposal_urge", disposal.pk).status_code == 404
    assert (
        post(client, outsider, "earlywarnings:signal_status", signal.pk, status="filed").status_code
        == 404
    )
    assert (
        post(client, outsider, "earlywarnings:holiday_delete", data["holiday"].pk).status_code
        == 302
    )
    assert Holiday.objects.filter(pk=data["holiday"].pk).exists()


def test_readers_who_may_not_act_get_403(client, org, data):
    warning, disposal = data["warning"], data["disposal"]
    for who in ("auditor", "leader"):
        user = getattr(org, who)
        assert get(client, user, "earlywarnings:detail", warning.pk).status_code == 200
        assert post(client, user, "earlywarnings:close", warning.pk).status_code == 403
        assert post(client, user, "earlywarnings:disposal_add", warning.pk).status_code == 403
        assert post(client, user, "earlywarnings:disposal_close", disposal.pk).status_code == 403


# What the pages do --------------------------------------------------------------------------


def test_recording_a_signal_with_an_attachment(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(org.office)
    response = client.post(
        reverse("earlywarnings:signal_create"),
        {
            "source": "inspection",
            "title": "巡察反馈问题",
            "description": "采购未比价",
            "received_on": "2026-05-04",
            "target_kind": "person",
            "person": org.named.pk,
            "files": [
                SimpleUploadedFile("说明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
            ],
        },
    )
    signal = WarningSignal.objects.get(title="巡察反馈问题")
    assert response.status_code == 302 and response.url == signal.get_absolute_url()
    assert signal.section == org.section and signal.recorded_by == org.office
    attachment = signal.attachments.get()
    download = client.get(
        reverse("earlywarnings:signal_attachment", args=[signal.pk, attachment.pk])
    )
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_renamed_executable_is_refused(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(org.office)
    response = client.post(
        reverse("earlywarnings:signal_create"),
        {
            "source": "audit",
            "title": "带病毒的附件",
            "description": "x",
            "received_on": "2026-05-04",
            "target_kind": "unit",
            "files": [
                SimpleUploadedFile("报告.pdf", b"MZ\x90\x00", content_type="application/pdf")
            ],
        },
    )
    assert response.status_code == 200
    assert "文件内容与扩展名" in response.content.decode()
    assert not WarningSignal.objects.filter(title="带病毒的附件").exists()


def test_deducting_through_the_page_raises_the_warning(client, org):
    response = post(
        client,
        org.discipline,
        "earlywarnings:deduction_create",
        person=org.named.pk,
        points=4,
        reason="违规",
        year=2026,
    )
    warning = EarlyWarning.objects.get(person=org.named, origin=EarlyWarning.Origin.AUTO)
    assert response.status_code == 302 and response.url == warning.get_absolute_url()
    assert warning.level == Level.C


def test_raising_a_warning_through_the_page(client, org, frozen):
    with frozen(TODAY):
        response = post(
            client,
            org.office,
            "earlywarnings:create",
            level="D",
            target_kind="post",
            post=org.post.pk,
            title="岗位提醒",
            message="注意",
            respond_by="2026-05-10",
        )
    warning = EarlyWarning.objects.get(title="岗位提醒")
    assert response.status_code == 302
    assert (warning.level, warning.target_kind, warning.post) == ("D", "post", org.post)


def test_the_person_answers_and_reports_in_my_warnings(client, org, data, frozen):
    warning, disposal = data["warning"], data["disposal"]
    with frozen(TODAY):
        page = get(client, org.named, "earlywarnings:my_warning", warning.pk).content.decode()
        assert (
            'data-testid="answer-form"' in page
            and f'data-testid="report-form-{disposal.pk}"' in page
        )
        post(client, org.named, "earlywarnings:answer", warning.pk, response="已整改")
        post(client, org.named, "earlywarnings:report", disposal.pk, report="已接受谈话")
    warning.refresh_from_db()
    disposal.refresh_from_db()
    assert warning.status == EarlyWarning.Status.ANSWERED and warning.response == "已整改"
    assert disposal.status == Disposal.Status.REPORTED
    # A second report is refused with a message, nothing changes; the page
    # comes back (400) with what was typed, since its form is gone.
    response = post(client, org.named, "earlywarnings:report", disposal.pk, report="再次")
    assert response.status_code == 400
    assert "再次" in response.content.decode()
    disposal.refresh_from_db()
    assert disposal.report == "已接受谈话"


def test_the_office_disposes_through_the_detail_page(
    client, org, data, frozen, django_capture_on_commit_callbacks
):
    warning, disposal = data["warning"], data["disposal"]
    with frozen(TODAY):
        response = post(
            client,
            org.office,
            "earlywarnings:disposal_add",
            warning.pk,
            kind="written_inquiry",
            responsible=org.discipline.pk,
            reporter=org.named.pk,
            due_on="2026-05-20",
            instructions="请书面说明",
        )
        assert response.status_code == 302
        assert warning.disposals.count() == 2
        with django_capture_on_commit_callbacks(execute=True):
            post(client, org.office, "earlywarnings:disposal_urge", disposal.pk)
        assert JobRun.objects.filter(job="urge_disposal", sent_count=1).exists()
        services.report_disposal(disposal.pk, org.named, report="已报告")
        post(
            client,
            org.office,
            "earlywarnings:disposal_evaluate",
            disposal.pk,
            evaluation="到位",
            adequate="1",
        )
        post(client, org.office, "earlywarnings:disposal_close", disposal.pk)
    disposal.refresh_from_db()
    assert disposal.status == Disposal.Status.CLOSED and disposal.adequate is True


def test_the_office_keeps_holidays_and_rules(client, org):
    post(client, org.office, "earlywarnings:holidays", date="2026-10-01", name="国庆节")
    assert Holiday.objects.filter(unit=org.unit, date=date(2026, 10, 1), name="国庆节").exists()
    post(
        client,
        org.office,
        "earlywarnings:policy",
        base_points=12,
        level_c_at=2,
        level_b_at=5,
        level_a_at=8,
        response_days=5,
        reviewer_waiting_days=2,
        holiday_notice_days=3,
    )
    policy = WarningPolicy.objects.get(unit=org.unit)
    assert (policy.level_c_at, policy.reviewer_waiting_days) == (2, 2)
    response = post(
        client,
        org.office,
        "earlywarnings:policy",
        base_points=12,
        level_c_at=6,
        level_b_at=5,
        level_a_at=8,
        response_days=5,
        reviewer_waiting_days=2,
        holiday_notice_days=3,
    )
    assert response.status_code == 200 and "1 ≤ C级 &lt; B级 &lt; A级" in response.content.decode()


def test_the_job_run_page_shows_runs_and_schedules(client, org):
    from earlywarnings import reminders

    reminders.run_job("disposals", today=TODAY)
    page = get(client, org.office, "earlywarnings:job_runs").content.decode()
    assert "预警处置到期提醒" in page
    assert PeriodicTask.objects.filter(task="earlywarnings.tasks.monthly_risk_reminder").exists()
    assert "预警：每月廉政风险提醒" in page


# Pinned query counts ---------------------------------------------------------------------------


def _more_warnings(org, count, frozen):
    with frozen(TODAY):
        for n in range(count):
            person = UserFactory(section=org.section)
            signal = services.record_signal(
                org.discipline,
                source="petition" if n % 2 else "audit",
                title=f"线索{n}",
                description="x",
                received_on=TODAY,
                person=person,
            )
            warning = services.raise_warning(
                org.discipline,
                level=Level.values[n % 4],
                title=f"预警{n}",
                message="x",
                respond_by=TODAY,
                person=person,
                signal=signal,
            )
            services.add_disposal(
                warning.pk,
                org.discipline,
                kind=Disposal.Kind.REMINDER_TALK,
                responsible=org.head,
                reporter=person,
                due_on=TODAY,
            )
            services.deduct(person, org.discipline, points=1, reason="x", year=2026)


def _count(client, user, name, *args, **query):
    client.force_login(user)
    url = reverse(name, args=args)
    client.get(url, query)  # warm up the session and caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, query).status_code == 200
    return len(queries)


LISTS = [
    ("earlywarnings:list", "office", 14),
    ("earlywarnings:list", "office_head", 14),
    ("earlywarnings:signals", "discipline", 12),
    ("earlywarnings:files", "office", 12),
    ("earlywarnings:job_runs", "office", 10),
    ("earlywarnings:mine", "head", 10),
]


@pytest.mark.parametrize("name,who,limit", LISTS)
def test_list_pages_do_not_grow_with_their_rows(
    client, org, frozen, name, who, limit, django_assert_max_num_queries
):
    user = getattr(org, who)
    _more_warnings(org, 2, frozen)
    JobRun.objects.create(job="deadlines", started_at="2026-05-04T08:00:00+08:00")
    few = _count(client, user, name)
    _more_warnings(org, 8, frozen)
    for _n in range(5):
        JobRun.objects.create(job="measures", started_at="2026-05-04T08:00:00+08:00")
    many = _count(client, user, name)
    assert few == many
    with django_assert_max_num_queries(limit):
        client.get(reverse(name))


def test_the_integrity_file_and_warning_detail_do_not_grow(
    client, org, frozen, django_assert_max_num_queries
):
    _more_warnings(org, 1, frozen)
    person = EarlyWarning.objects.first().person
    few = _count(client, org.office_head, "earlywarnings:file", person.pk)
    with frozen(TODAY):
        for n in range(5):
            services.deduct(person, org.discipline, points=1, reason=f"第{n}次", year=2026)
    many = _count(client, org.office_head, "earlywarnings:file", person.pk)
    assert few == many
    warning = EarlyWarning.objects.filter(person=person).first()
    with django_assert_max_num_queries(20):
        get(client, org.office_head, "earlywarnings:detail", warning.pk)


def test_a_new_person_is_listed_with_the_base_score(client, org):
    SectionFactory(unit=org.unit)
    UserFactory(section=org.section, full_name="新同事", roles=[Role.OFFICE])
    page = get(client, org.office, "earlywarnings:files", q="新同事").content.decode()
    assert "新同事" in page and "12 <span" in page


def test_the_office_head_files_a_signal(client, org, data):
    signal = data["signal"]
    response = post(
        client, org.office_head, "earlywarnings:signal_status", signal.pk, status="filed"
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == WarningSignal.Status.FILED
    post(client, org.office_head, "earlywarnings:signal_status", signal.pk, status="nonsense")
    signal.refresh_from_db()
    assert signal.status == WarningSignal.Status.FILED


def test_a_signal_can_name_a_risk_point(client, org):
    from tests.factories import CampaignFactory, FilingFactory, RiskPointFactory

    from .conftest import running

    campaign = running(CampaignFactory(unit=org.unit, by=org.office_head))
    point = RiskPointFactory(
        filing=FilingFactory(campaign=campaign, owner=org.named, status="approved"),
        title="奖励资金审核",
    )
    # The person's points are offered once the person is chosen (see test_signal_form.py).
    page = get(
        client, org.office, "earlywarnings:signal_risk_points", person=org.named.pk
    ).content.decode()
    assert "奖励资金审核" in page
    post(
        client,
        org.office,
        "earlywarnings:signal_create",
        source="audit",
        title="与风险点有关",
        description="x",
        received_on="2026-05-04",
        target_kind="person",
        person=org.named.pk,
        risk_point=point.pk,
    )
    assert WarningSignal.objects.get(title="与风险点有关").risk_point == point
