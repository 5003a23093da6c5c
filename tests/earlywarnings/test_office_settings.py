"""The office's settings go through the services, which lock the row, save
only what changed and log who changed what (the unit's thresholds, the
holiday list); the job-run page shows an office its own unit's runs and the
runs over all units, never another unit's, and no error text."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from earlywarnings import reminders, services, tasks
from earlywarnings.models import Holiday, JobRun, SettingsChange, WarningPolicy
from tests.factories import UserFactory

RULES = {
    "base_points": 12,
    "level_c_at": 2,
    "level_b_at": 5,
    "level_a_at": 8,
    "response_days": 7,
    "reviewer_waiting_days": 3,
    "holiday_notice_days": 2,
}


def post(client, user, url_name, *args, **data):
    client.force_login(user)
    return client.post(reverse(url_name, args=args), data)


# The unit's rules ---------------------------------------------------------------------------


def test_changing_the_thresholds_records_who_and_what(client, org):
    response = post(client, org.office, "earlywarnings:policy", **RULES)
    assert response.status_code == 302
    policy = WarningPolicy.objects.get(unit=org.unit)
    assert (policy.level_c_at, policy.level_b_at, policy.level_a_at) == (2, 5, 8)
    assert policy.changed_by == org.office and policy.changed_at is not None
    change = SettingsChange.objects.get(unit=org.unit)
    assert change.kind == SettingsChange.Kind.POLICY and change.by == org.office
    assert "C级（蓝色）预警扣分线 3 → 2" in change.summary
    assert "A级（红色）预警扣分线 9 → 8" in change.summary
    assert "答复期限" not in change.summary  # unchanged fields are not named
    page = client.get(reverse("earlywarnings:policy")).content.decode()
    assert 'data-testid="policy-changed"' in page and str(org.office) in page
    assert "C级（蓝色）预警扣分线 3 → 2" in page
    # Saving the same values again changes and logs nothing.
    post(client, org.office, "earlywarnings:policy", **RULES)
    assert SettingsChange.objects.filter(unit=org.unit).count() == 1


def test_only_the_changed_fields_are_written(org):
    WarningPolicy.for_unit(org.unit)
    with CaptureQueriesContext(connection) as queries:
        services.save_policy(org.office, unit_id=org.unit.pk, response_days=5, level_c_at=3)
    sql = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "policy" in q["sql"]]
    assert len(sql) == 1 and "response_days" in sql[0] and "level_c_at" not in sql[0]
    assert "FOR UPDATE" in " ".join(q["sql"] for q in queries) or connection.vendor == "sqlite"
    policy = WarningPolicy.objects.get(unit=org.unit)
    assert policy.response_days == 5 and policy.level_c_at == 3
    change = SettingsChange.objects.get()
    assert change.summary == "修改预警规则：答复期限（天） 7 → 5"


@pytest.mark.parametrize("who", ["discipline", "head", "auditor", "outsider"])
def test_only_the_office_of_the_unit_changes_the_rules(org, who):
    with pytest.raises(ValidationError, match="只有领导小组办公室"):
        services.save_policy(getattr(org, who), unit_id=org.unit.pk, level_c_at=1)
    assert WarningPolicy.for_unit(org.unit).level_c_at == 3
    assert not SettingsChange.objects.exists()


def test_the_service_refuses_thresholds_out_of_order(org):
    with pytest.raises(ValidationError, match="1 ≤ C级 < B级 < A级"):
        services.save_policy(org.office, unit_id=org.unit.pk, level_c_at=7, level_b_at=6)
    policy = WarningPolicy.for_unit(org.unit)
    assert (policy.level_c_at, policy.level_b_at, policy.changed_by) == (3, 6, None)
    assert not SettingsChange.objects.exists()


# The holiday list ---------------------------------------------------------------------------


def test_deleting_a_holiday_is_logged(client, org):
    post(client, org.office, "earlywarnings:holidays", date="2026-10-01", name="国庆节")
    holiday = Holiday.objects.get(unit=org.unit)
    response = post(client, org.office_head, "earlywarnings:holiday_delete", holiday.pk)
    assert response.status_code == 302
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    kinds = list(
        SettingsChange.objects.filter(unit=org.unit).order_by("at", "pk").values_list("kind", "by")
    )
    assert kinds == [
        (SettingsChange.Kind.HOLIDAY_SAVED, org.office.pk),
        (SettingsChange.Kind.HOLIDAY_DELETED, org.office_head.pk),
    ]
    page = client.get(reverse("earlywarnings:holidays")).content.decode()
    assert "删除节假日：2026-10-01 国庆节" in page


def test_another_units_holiday_is_neither_deleted_nor_logged(client, org):
    holiday = Holiday.objects.create(unit=org.unit, date=date(2026, 10, 1), name="国庆节")
    response = post(client, org.outsider, "earlywarnings:holiday_delete", holiday.pk)
    assert response.status_code == 302
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    assert not SettingsChange.objects.exists()
    with pytest.raises(ValidationError, match="只有领导小组办公室"):
        services.delete_holiday(org.discipline, unit_id=org.unit.pk, holiday_id=holiday.pk)


# Job runs -------------------------------------------------------------------------------------

SHANGHAI = ZoneInfo("Asia/Shanghai")
TRACEBACK = 'Traceback (most recent call last):\n  File "/srv/app/secret_path.py"'


def run(job, unit=None, **values):
    return JobRun.objects.create(
        job=job, unit=unit, started_at=datetime(2026, 5, 4, 8, tzinfo=SHANGHAI), **values
    )


def test_a_run_for_one_unit_records_the_unit(org):
    tasks.remind_disposals(today="2026-05-04", unit_id=org.unit.pk)
    tasks.remind_measures(today="2026-05-04")
    assert JobRun.objects.get(job="disposals").unit == org.unit
    assert JobRun.objects.get(job="measures").unit is None
    assert reminders.run_job("holidays", unit_id=org.unit.pk).unit_id == org.unit.pk


def test_an_office_sees_its_units_runs_and_no_error_text(client, org):
    ours = run("deadlines", org.unit, status=JobRun.Status.FAILED, error_count=1)
    ours.error_text = TRACEBACK
    ours.save()
    run("measures", None, status=JobRun.Status.PARTIAL, error_count=1, error_text=TRACEBACK)
    theirs = run("holidays", org.outsider.unit, error_count=1, error_text="外单位的错误")
    client.force_login(org.office)
    response = client.get(reverse("earlywarnings:job_runs"))
    assert response.status_code == 200
    runs = list(response.context["page"].object_list)
    assert {r.job for r in runs} == {"deadlines", "measures"} and theirs.pk not in [
        r.pk for r in runs
    ]
    html = response.content.decode()
    assert "secret_path" not in html and "外单位的错误" not in html
    assert "错误详情仅系统管理员可见" in html
    assert org.unit.name in html and "全部单位" in html


def test_the_system_administrator_reads_the_error_text(client, org):
    run("measures", None, status=JobRun.Status.PARTIAL, error_count=1, error_text=TRACEBACK)
    run("holidays", org.outsider.unit, error_count=1, error_text="外单位的错误")
    admin = UserFactory(section=org.section, roles=[Role.OFFICE], is_superuser=True)
    client.force_login(admin)
    html = client.get(reverse("earlywarnings:job_runs")).content.decode()
    assert "secret_path" in html and "外单位的错误" in html
