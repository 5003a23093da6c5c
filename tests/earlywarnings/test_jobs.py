"""Each beat job on frozen days: 7, 3 and 1 days before a due date and
overdue (again a week later), escalation, reviewers waiting more than N days,
measures, disposals, the monthly reminder and holiday reminders; plus how a
run is recorded and what it does with errors."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError

from accounts.models import Notification
from campaign.models import LeadingGroupMember, Milestone, Review, ReviewStep, StepRole, Subject
from earlywarnings import reminders, services, tasks
from earlywarnings.models import Disposal, Holiday, JobRun, Level, ReminderLog, WarningPolicy
from risks.models import Filing, Measure
from tests.factories import (
    CampaignFactory,
    FilingFactory,
    MeasureFactory,
    RiskPointFactory,
    UserFactory,
)

from .conftest import at, running

DUE = date(2026, 5, 11)


@pytest.fixture
def campaign(org):
    """A running campaign whose own plan never falls on the test days."""
    campaign = running(CampaignFactory(unit=org.unit, by=org.office_head))
    LeadingGroupMember.objects.get_or_create(
        campaign=campaign,
        person=org.office,
        defaults={"role": LeadingGroupMember.Role.OFFICE_MEMBER},
    )
    campaign.stages.update(starts_on=date(2026, 1, 1), due_on=date(2027, 12, 31))
    Milestone.objects.filter(stage__campaign=campaign).delete()
    return campaign


def titles(person, kind=None):
    notes = Notification.objects.filter(recipient=person)
    if kind:
        notes = notes.filter(kind=kind)
    return list(notes.order_by("pk").values_list("title", flat=True))


def run_on(frozen, day, task):
    with frozen(day):
        return task()


# Stages and milestones ------------------------------------------------------------------


def milestone(campaign, **kwargs):
    stage = campaign.stages.order_by("position").first()
    values = {"title": "报送自查报告", "due_on": DUE, "responsible": Milestone.Responsible.OFFICE}
    values.update(kwargs)
    return Milestone.objects.create(stage=stage, **values)


def test_milestone_reminders_7_3_1_days_before_and_overdue(org, campaign, frozen):
    milestone(campaign, responsible=Milestone.Responsible.SECTION, section=org.section)
    sent = {}
    for before in range(7, -2, -1):  # from 7 days before to 1 day after
        sent[before] = run_on(frozen, DUE - timedelta(days=before), tasks.remind_deadlines)
    head = titles(org.head, Notification.Kind.DEADLINE)
    assert [t for t in head if "还有" in t] == [
        "时间节点提醒：“报送自查报告”还有 7 天到期（2026-05-11）",
        "时间节点提醒：“报送自查报告”还有 3 天到期（2026-05-11）",
        "时间节点提醒：“报送自查报告”还有 1 天到期（2026-05-11）",
    ]
    overdue = [t for t in head if "逾期" in t]
    assert overdue == ["时间节点已逾期：“报送自查报告”已逾期 1 天（应于 2026-05-11 完成）"]
    # Nothing on the days between, nor on the due day itself.
    assert sent[6] == sent[5] == sent[4] == sent[2] == sent[0] == 0
    assert sent[7] == sent[3] == sent[1] == 1 and sent[-1] == 3
    # Escalated to the campaign office the day it is overdue.
    for person in (org.office_head, org.office):
        assert titles(person) == ["逾期督办：“报送自查报告”已逾期 1 天（应于 2026-05-11 完成）"]
    assert titles(org.named) == []


def test_an_overdue_milestone_is_reminded_again_a_week_later(org, campaign, frozen):
    milestone(campaign, responsible=Milestone.Responsible.SECTION, section=org.section)
    for day in range(12, 20):
        run_on(frozen, date(2026, 5, day), tasks.remind_deadlines)
    head = [t for t in titles(org.head) if "逾期" in t]
    assert head == [
        "时间节点已逾期：“报送自查报告”已逾期 1 天（应于 2026-05-11 完成）",
        "时间节点已逾期：“报送自查报告”已逾期 8 天（应于 2026-05-11 完成）",
    ]


def test_all_staff_are_reminded_and_section_heads_and_office_when_overdue(org, campaign, frozen):
    milestone(campaign, responsible=Milestone.Responsible.ALL_STAFF, title="全员学习")
    run_on(frozen, DUE - timedelta(days=3), tasks.remind_deadlines)
    for person in (org.named, org.colleague, org.stranger, org.auditor):
        assert len(titles(person)) == 1
    assert titles(org.outsider) == []
    run_on(frozen, DUE + timedelta(days=1), tasks.remind_deadlines)
    assert len(titles(org.named)) == 1  # staff are not told again
    assert "逾期督办" in titles(org.head)[-1]
    assert "逾期督办" in titles(org.office)[-1]


def test_done_milestones_and_other_campaigns_are_left_alone(org, campaign, frozen):
    milestone(campaign, done=True, responsible=Milestone.Responsible.SECTION, section=org.section)
    draft = CampaignFactory(unit=org.unit, by=org.office_head)  # still a draft
    draft.stages.update(starts_on=date(2026, 1, 1), due_on=date(2027, 12, 31))
    Milestone.objects.create(
        stage=draft.stages.first(),
        title="草稿中的节点",
        due_on=DUE,
        responsible=Milestone.Responsible.OFFICE,
    )
    assert run_on(frozen, DUE - timedelta(days=7), tasks.remind_deadlines) == 0


def test_stage_reminders_go_to_the_office(org, campaign, frozen):
    stage = campaign.stages.order_by("position").first()
    stage.due_on = DUE
    stage.save()
    run_on(frozen, DUE - timedelta(days=3), tasks.remind_deadlines)
    assert titles(org.office_head) == ["阶段提醒：“宣传动员”还有 3 天到期（2026-05-11）"]
    run_on(frozen, DUE + timedelta(days=2), tasks.remind_deadlines)
    assert titles(org.office)[-1] == "阶段逾期：“宣传动员”已逾期 2 天（应于 2026-05-11 完成）"
    assert titles(org.head) == []


# Reviewers ---------------------------------------------------------------------------------


def waiting_step(org, campaign, opened, delegate=None):
    filing = FilingFactory(campaign=campaign, owner=org.named)
    review = Review.objects.create(
        campaign=campaign,
        subject_kind=Subject.PERSONAL,
        subject_type=ContentType.objects.get_for_model(Filing),
        subject_id=filing.pk,
        template=campaign.chains.filter(subject=Subject.PERSONAL).first(),
        filer=org.named,
        section=org.section,
        status=Review.Status.IN_REVIEW,
        round=1,
    )
    step = ReviewStep.objects.create(
        review=review,
        round=1,
        position=1,
        role=StepRole.SECTION_HEAD,
        status=ReviewStep.Status.OPEN,
        opened_at=opened,
        delegate=delegate,
    )
    step.assignees.add(org.head)
    return step


def test_reviewers_are_reminded_after_n_days_and_every_n_days(org, campaign, frozen):
    deputy = UserFactory(section=org.section)
    waiting_step(org, campaign, at(date(2026, 5, 1), 10), delegate=deputy)
    sent = {day: run_on(frozen, date(2026, 5, day), tasks.remind_reviewers) for day in range(2, 9)}
    assert sent == {2: 0, 3: 0, 4: 2, 5: 0, 6: 0, 7: 2, 8: 0}
    assert (
        titles(org.head, Notification.Kind.REVIEW) == ["审核催办：您有 1 项审核已等待超过 3 天"] * 2
    )
    assert len(titles(deputy)) == 2
    assert "个人登记表" in Notification.objects.filter(recipient=org.head).first().body


def test_the_waiting_days_follow_the_units_policy(org, campaign, frozen):
    WarningPolicy.objects.create(unit=org.unit, reviewer_waiting_days=5)
    waiting_step(org, campaign, at(date(2026, 5, 1), 10))
    assert run_on(frozen, date(2026, 5, 4), tasks.remind_reviewers) == 0
    assert run_on(frozen, date(2026, 5, 6), tasks.remind_reviewers) == 1
    assert titles(org.head) == ["审核催办：您有 1 项审核已等待超过 5 天"]


def test_decided_steps_are_not_reminded(org, campaign, frozen):
    step = waiting_step(org, campaign, at(date(2026, 5, 1), 10))
    ReviewStep.objects.filter(pk=step.pk).update(status=ReviewStep.Status.APPROVED)
    assert run_on(frozen, date(2026, 5, 4), tasks.remind_reviewers) == 0


# Measures ---------------------------------------------------------------------------------


def test_measure_owners_get_one_digest_a_day(org, campaign, frozen):
    filing = FilingFactory(campaign=campaign, owner=org.named)
    point = RiskPointFactory(filing=filing, title="奖励资金审核")
    MeasureFactory(risk_point=point, owner=org.named, due_on=DUE, text="双人复核")
    MeasureFactory(risk_point=point, owner=org.named, due_on=DUE, text="原件核对")
    MeasureFactory(
        risk_point=point, owner=org.named, due_on=DUE, status=Measure.Status.DONE, text="已落实"
    )
    MeasureFactory(
        risk_point=point, owner=org.head, due_on=DUE - timedelta(days=3), text="科长抽查"
    )
    for day in (4, 5, 8, 10, 11, 12):
        run_on(frozen, date(2026, 5, day), tasks.remind_measures)
    mine = Notification.objects.filter(
        recipient=org.named, kind=Notification.Kind.MEASURE
    ).order_by("pk")
    assert [n.title for n in mine] == [
        "防控措施到期提醒：7 日内到期 2 项",
        "防控措施到期提醒：7 日内到期 2 项",
        "防控措施到期提醒：7 日内到期 2 项",
        "防控措施到期提醒：已逾期 2 项",
    ]
    assert "双人复核" in mine[0].body and "已落实" not in mine[0].body
    assert mine[0].url == filing.get_absolute_url()
    # The head's measure is due on the 8th: 3 days before on the 5th, overdue from the 9th.
    assert titles(org.head) == [
        "防控措施到期提醒：7 日内到期 1 项",
        "防控措施到期提醒：已逾期 1 项",
    ]
    assert Notification.objects.filter(recipient=org.head).first().url == ""  # not their filing


def test_measures_of_draft_or_closed_campaigns_are_not_reminded(org, frozen):
    draft = CampaignFactory(unit=org.unit, by=org.office_head)
    MeasureFactory(
        risk_point=RiskPointFactory(filing=FilingFactory(campaign=draft)),
        owner=org.named,
        due_on=DUE,
    )
    assert run_on(frozen, DUE - timedelta(days=7), tasks.remind_measures) == 0


# Disposals ----------------------------------------------------------------------------------


def test_disposal_reminders_and_escalation(org, frozen):
    with frozen(date(2026, 5, 1)):
        warning = services.raise_warning(
            org.office, level=Level.C, title="预警", message="x", respond_by=DUE, person=org.named
        )
        disposal = services.add_disposal(
            warning.pk,
            org.office,
            kind=Disposal.Kind.WRITTEN_INQUIRY,
            responsible=org.discipline,
            reporter=org.named,
            due_on=DUE,
        )
    Notification.objects.all().delete()
    for day in (4, 8, 10, 12):
        run_on(frozen, date(2026, 5, day), tasks.remind_disposals)
    assert titles(org.named) == [
        "预警处置提醒：函询的落实情况还有 7 天到期（2026-05-11）",
        "预警处置提醒：函询的落实情况还有 3 天到期（2026-05-11）",
        "预警处置提醒：函询的落实情况还有 1 天到期（2026-05-11）",
        "预警处置逾期：函询的落实情况已逾期 1 天（应于 2026-05-11 报告）",
    ]
    assert titles(org.discipline) == [
        "处置逾期督办：函询的落实情况已逾期 1 天（应于 2026-05-11 报告）"
    ]
    # Reported: no more reminders.
    services.report_disposal(disposal.pk, org.named, report="已说明")
    assert run_on(frozen, date(2026, 5, 19), tasks.remind_disposals) == 0


def test_urging_a_deleted_disposal_sends_nothing(org, frozen):
    with frozen(date(2026, 5, 1)):
        warning = services.raise_warning(
            org.office, level=Level.D, title="预警", message="x", respond_by=DUE, person=org.named
        )
        disposal = services.add_disposal(
            warning.pk,
            org.office,
            kind="risk_reminder",
            responsible=org.head,
            reporter=org.named,
            due_on=DUE,
        )
    pk = disposal.pk
    disposal.delete()
    assert tasks.urge_disposal(pk) == 0
    assert JobRun.objects.get(job="urge_disposal").status == JobRun.Status.OK


# Monthly and holiday reminders ---------------------------------------------------------------


def approved_filing(campaign, person, title="项目准入审核收受好处"):
    filing = FilingFactory(campaign=campaign, owner=person, status=Filing.Status.APPROVED)
    point = RiskPointFactory(filing=filing, title=title)
    MeasureFactory(risk_point=point, owner=person, due_on=date(2026, 6, 30), text="集体研究决定")
    MeasureFactory(
        risk_point=point, owner=person, status=Measure.Status.DONE, text="已经落实的措施"
    )
    return filing


def test_the_monthly_reminder_lists_each_persons_own_register(org, campaign, frozen):
    approved_filing(campaign, org.named)
    FilingFactory(campaign=campaign, owner=org.colleague)  # a draft: nothing to remind of
    assert run_on(frozen, date(2026, 6, 1), tasks.monthly_risk_reminder) == 1
    note = Notification.objects.get(recipient=org.named)
    assert note.kind == Notification.Kind.RISK_REMINDER
    assert note.title == "2026年6月廉政风险提醒"
    assert "D级·绿色提醒" in note.body
    assert "项目准入审核收受好处（高）" in note.body
    assert "集体研究决定" in note.body and "已经落实的措施" not in note.body
    # Once a month, however often it runs; again the next month.
    assert run_on(frozen, date(2026, 6, 15), tasks.monthly_risk_reminder) == 0
    assert run_on(frozen, date(2026, 7, 1), tasks.monthly_risk_reminder) == 1
    assert titles(org.colleague) == []


def test_the_months_name_goes_through_gettext(org, campaign, frozen, monkeypatch):
    seen = []
    original = reminders.personal._

    def spy(message):
        seen.append(message)
        return original(message)

    monkeypatch.setattr(reminders.personal, "_", spy)
    approved_filing(campaign, org.named)
    run_on(frozen, date(2026, 6, 1), tasks.monthly_risk_reminder)
    assert "%(y)d年%(m)d月" in seen
    assert titles(org.named) == ["2026年6月廉政风险提醒"]


def test_holiday_reminders_go_out_n_days_before_once(org, campaign, frozen):
    approved_filing(campaign, org.named)
    Holiday.objects.create(unit=org.unit, date=date(2026, 10, 1), name="国庆节")
    assert run_on(frozen, date(2026, 9, 28), tasks.remind_holidays) == 0
    sent = run_on(frozen, date(2026, 9, 29), tasks.remind_holidays)
    assert sent == 9  # everyone active in the unit (the outsider is elsewhere)
    assert run_on(frozen, date(2026, 9, 30), tasks.remind_holidays) == 0
    note = Notification.objects.get(recipient=org.named)
    assert note.title == "节前廉政提醒：国庆节"
    assert "项目准入审核收受好处" in note.body
    other = Notification.objects.get(recipient=org.stranger)
    assert "风险点" not in other.body and "国庆节" in other.body
    assert titles(org.outsider) == []


def test_holiday_notice_days_follow_the_policy(org, frozen):
    WarningPolicy.objects.create(unit=org.unit, holiday_notice_days=5)
    Holiday.objects.create(unit=org.unit, date=date(2026, 10, 1), name="国庆节")
    assert run_on(frozen, date(2026, 9, 25), tasks.remind_holidays) == 0
    assert run_on(frozen, date(2026, 9, 26), tasks.remind_holidays) > 0


def test_inactive_people_are_not_reminded(org, frozen):
    org.stranger.is_active = False
    org.stranger.save()
    Holiday.objects.create(unit=org.unit, date=date(2026, 10, 1), name="国庆节")
    run_on(frozen, date(2026, 9, 29), tasks.remind_holidays)
    assert titles(org.stranger) == []


# Recording runs, errors, retries, the extension hook ---------------------------------------------


def test_each_run_is_recorded(org, campaign, frozen):
    milestone(campaign, responsible=Milestone.Responsible.SECTION, section=org.section)
    with frozen(DUE - timedelta(days=7)):
        tasks.remind_deadlines()
        run = JobRun.objects.get(job="deadlines")
    assert run.status == JobRun.Status.OK and run.sent_count == 1 and run.error_count == 0
    assert run.started_at <= run.finished_at
    assert ReminderLog.objects.filter(
        kind="milestone.due", person=org.head, day=DUE - timedelta(days=7)
    ).exists()


def test_a_bad_row_is_counted_and_the_others_still_go(org, campaign, frozen, monkeypatch):
    milestone(
        campaign, title="坏节点", responsible=Milestone.Responsible.SECTION, section=org.section
    )
    milestone(
        campaign, title="好节点", responsible=Milestone.Responsible.SECTION, section=org.section
    )
    real = Milestone.responsible_label

    def broken(self):
        if self.title == "坏节点":
            raise ValueError("数据有误")
        return real(self)

    monkeypatch.setattr(Milestone, "responsible_label", broken)
    run_on(frozen, DUE - timedelta(days=7), tasks.remind_deadlines)
    run = JobRun.objects.get()
    assert run.status == JobRun.Status.PARTIAL and run.error_count == 1 and run.sent_count == 1
    assert "数据有误" in run.error_text
    assert ["好节点" in t for t in titles(org.head)] == [True]


def test_a_transient_error_is_recorded_and_retried(org, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(reminders, "remind_measures", down)
    monkeypatch.setitem(reminders.JOBS, "measures", reminders.Job("measures", "x", down))
    assert OperationalError in tasks.remind_measures.autoretry_for
    assert tasks.remind_measures.retry_backoff
    with pytest.raises(OperationalError):
        reminders.run_job("measures")
    run = JobRun.objects.get()
    assert run.status == JobRun.Status.FAILED and "could not connect" in run.error_text


def test_a_concurrent_run_does_not_send_twice(org, campaign, frozen, monkeypatch):
    """Another worker sends the same reminders after this run has read the
    log: the unique key stops the second copy and this run goes on."""
    milestone(campaign, responsible=Milestone.Responsible.SECTION, section=org.section)
    real_flush = reminders.Outbox.flush
    raced = []

    def racing_flush(self):
        if self._buffer and not raced:
            raced.append(True)
            for keys, _message in self._buffer:
                for kind, object_id, person_id, day in keys:
                    ReminderLog.objects.create(
                        kind=kind, object_id=object_id, person_id=person_id, day=day
                    )
        return real_flush(self)

    monkeypatch.setattr(reminders.Outbox, "flush", racing_flush)
    sent = run_on(frozen, DUE - timedelta(days=7), tasks.remind_deadlines)
    assert sent == 0 and titles(org.head) == []
    assert JobRun.objects.get().status == JobRun.Status.OK


def test_other_apps_can_add_daily_jobs(org, frozen, monkeypatch):
    from accounts.services import Message

    def publicity_closing(today, unit_id=None):
        box = reminders.Outbox(today, ["publicity.closing"], today)
        box.add(
            [("publicity.closing", 1, org.office.pk, today)],
            Message(org.office.pk, Notification.Kind.PUBLICITY, "公示期明天结束", ""),
        )
        return box.close()

    # An empty registry, seen by the package (tasks) and where jobs are registered.
    extra = {}
    monkeypatch.setattr(reminders, "EXTRA_DAILY", extra)
    monkeypatch.setattr(reminders.registry, "EXTRA_DAILY", extra)
    reminders.register_daily_job("publicity_closing", "公示期结束提醒", publicity_closing)
    with frozen(DUE):
        assert tasks.run_extra_daily_jobs() == 1
        assert tasks.run_extra_daily_jobs() == 0
    assert titles(org.office) == ["公示期明天结束"]
    assert JobRun.objects.filter(job="publicity_closing").count() == 2


def test_tasks_take_a_day_and_a_unit(org, campaign, frozen):
    milestone(campaign, responsible=Milestone.Responsible.SECTION, section=org.section)
    assert tasks.remind_deadlines(today="2026-05-04", unit_id=org.outsider.unit_id) == 0
    assert tasks.remind_deadlines(today="2026-05-04", unit_id=org.unit.pk) == 1
