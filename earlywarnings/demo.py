"""The demo unit's early warnings: signals from several channels (one of them
a confidential petition naming a cashier), deductions that cross the
thresholds so that automatic warnings appear, warnings of all four levels
aimed at a person, a post, a section and the whole unit, disposals in every
state, the holiday list for 2026 and 2027, and a few days of reminder job
runs. Every name and event is made up.

Everything goes through the real services (``record_signal``, ``deduct``,
``raise_warning``, ``add_disposal`` …), so notifications and automatic
warnings are the ones the product makes. ``load(context)`` builds only while
the demo unit has none of its signals yet (holidays are matched by date), so
a second run changes nothing.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from risks.models import RiskPoint

from . import reminders, services
from .models import Disposal, Holiday, JobRun, Level, TargetKind, WarningSignal

S = WarningSignal.Source
K = Disposal.Kind

HOLIDAYS = [
    ("2026-01-01", "元旦"),
    ("2026-02-17", "春节"),
    ("2026-04-05", "清明节"),
    ("2026-05-01", "劳动节"),
    ("2026-06-19", "端午节"),
    ("2026-09-25", "中秋节"),
    ("2026-10-01", "国庆节"),
    ("2027-01-01", "元旦"),
    ("2027-02-06", "春节"),
    ("2027-04-05", "清明节"),
    ("2027-05-01", "劳动节"),
    ("2027-06-09", "端午节"),
    ("2027-09-15", "中秋节"),
    ("2027-10-01", "国庆节"),
]

FIRST_SIGNAL = "招商奖励兑现材料审核把关不严"


def _holidays(unit):
    for day, name in HOLIDAYS:
        Holiday.objects.get_or_create(
            unit=unit, date=date.fromisoformat(day), defaults={"name": name}
        )


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _risk_point(campaign, person):
    if campaign is None:
        return None
    return (
        RiskPoint.objects.filter(filing__campaign=campaign, filing__owner=person)
        .order_by("pk")
        .first()
    )


def _overdue(disposal, days):
    """Demo only: move a disposal's deadline into the past."""
    Disposal.objects.filter(pk=disposal.pk).update(
        due_on=timezone.localdate() - timedelta(days=days)
    )


def _job_history(today):
    """Three earlier days of the daily jobs, one with a transient mail error."""
    sent = {"deadlines": 6, "reviewers": 3, "measures": 9, "disposals": 2, "holidays": 0}
    seconds = {
        "deadlines": 0.4,
        "reviewers": 0.2,
        "measures": 0.6,
        "disposals": 0.1,
        "holidays": 0.3,
    }
    for back in (3, 2, 1):
        day = today - timedelta(days=back)
        for minute, key in enumerate(reminders.DAILY_ORDER):
            started = _at(day, 8, minute * 10)
            failed = back == 2 and key == "measures"
            JobRun.objects.get_or_create(
                job=key,
                started_at=started,
                defaults={
                    "finished_at": started + timedelta(seconds=seconds[key] + back / 10),
                    "status": JobRun.Status.PARTIAL if failed else JobRun.Status.OK,
                    "sent_count": sent[key] + back if sent[key] else 0,
                    "error_count": 1 if failed else 0,
                    "error_text": "measures of 27: SMTPServerDisconnected: Connection unexpectedly closed"
                    if failed
                    else "",
                },
            )


@transaction.atomic
def load(context):
    unit, people = context["unit"], context["people"]
    _holidays(unit)
    if WarningSignal.objects.filter(unit=unit, title=FIRST_SIGNAL).exists():
        return context
    p = people
    office, discipline = p["bangongshi"], p["jijian"]
    campaign = context.get("campaign")
    today = timezone.localdate()
    year = today.year
    sections = context.get("sections", {})

    # Signals from several channels ---------------------------------------------------
    audit = services.record_signal(
        office,
        source=S.AUDIT,
        title=FIRST_SIGNAL,
        description="区审计局专项审计发现：2 笔招商奖励兑现申请的投资到位凭证为复印件，经办人未核对原件即提交审核。",
        received_on=today - timedelta(days=40),
        person=p["jc203"],
        risk_point=_risk_point(campaign, p["jc203"]),
    )
    inspection = services.record_signal(
        discipline,
        source=S.INSPECTION,
        title="推介会场地和物料采购未执行比价程序",
        description="区委第三巡察组反馈：年度招商推介会的场地租赁和物料制作均直接委托同一供应商，"
        "未按内部采购办法进行三家比价，合同金额累计 18.6 万元。",
        received_on=today - timedelta(days=30),
        person=p["jc604"],
    )
    evaluation = services.record_signal(
        discipline,
        source=S.STAFF_EVALUATION,
        title="招商二科民主测评“廉洁自律”项满意率偏低",
        description="年中民主测评中，招商二科“廉洁自律”项满意率为 71%，低于全办平均 92%；"
        "意见主要集中在外事接待标准执行不严。",
        received_on=today - timedelta(days=25),
        target_kind=TargetKind.SECTION,
        section=sections.get("ZS2"),
    )
    efficiency = services.record_signal(
        office,
        source=S.EFFICIENCY,
        title="企业代办事项超时办结",
        description="效能监督抽查 20 件企业代办事项，4 件超出承诺时限，其中 1 件无正当理由拖延 9 个工作日。",
        received_on=today - timedelta(days=20),
        target_kind=TargetKind.POST,
        post=p["jc403"].post,
    )
    services.record_signal(
        office,
        source=S.PUBLIC_OPINION,
        title="网络帖文称代办服务存在“加急费”",
        description="本地论坛帖文称在项目服务科办理代办手续可以交“加急费”提速，帖文未提供具体人员和证据，需要核实。",
        received_on=today - timedelta(days=3),
        target_kind=TargetKind.SECTION,
        section=sections.get("XMFW"),
    )
    services.record_signal(
        office,
        source=S.DEMOCRATIC_LIFE,
        title="公务用车登记不完整",
        description="民主生活会上有同志提出：公务用车出车登记存在事后补登、去向填写笼统的情况。",
        received_on=today - timedelta(days=15),
        person=p["jc104"],
    )
    petition = services.record_signal(
        discipline,
        source=S.PETITION,
        title="来信反映出纳人员将零星收入存入个人账户",
        description="匿名来信反映计划财务科出纳人员将会议报名费等零星收入先存入个人银行卡，月底再转入单位账户，"
        "时间间隔较长。来信附有转账截图 3 张。",
        received_on=today - timedelta(days=18),
        person=p["jc503"],
    )

    # Deductions: automatic warnings when the year's total crosses a line ---------------
    services.deduct(p["jc203"], office, points=1, reason="上年度报销单据审核疏漏", year=year - 1)
    services.deduct(p["jc203"], office, points=2, reason="审核奖励申请材料未核对原件", signal=audit)
    c_warning = services.deduct(
        p["jc203"], office, points=2, reason="同类问题重复出现，整改不及时", signal=audit
    ).raised_warning  # 4 points: C
    services.deduct(
        p["jc503"], discipline, points=4, reason="资金管理不规范，收入未及时入账", signal=petition
    )
    b_warning = services.deduct(
        p["jc503"], discipline, points=3, reason="未按要求进行现金日记账日清月结", signal=petition
    ).raised_warning  # 7 points: B
    a_warning = services.deduct(
        p["jc604"], discipline, points=10, reason="采购未执行比价程序，金额较大", signal=inspection
    ).raised_warning  # 10 points at once: straight to A
    services.deduct(p["jc104"], office, points=1, reason="公务用车登记不完整")

    # Warnings by hand: D (before any fault) to a person, a post and the unit; B to a section
    d_person = services.raise_warning(
        office,
        level=Level.D,
        title="招商洽谈中注意廉洁风险",
        message="近期重点项目洽谈密集，请严格执行接待标准，不接受客商宴请和礼品，洽谈情况及时登记报告。",
        respond_by=today + timedelta(days=5),
        person=p["keyuan"],
    )
    d_post = services.raise_warning(
        office,
        level=Level.D,
        title="代办事项按时限办结提醒",
        message="请对照代办服务承诺时限，逐件清理在办事项，确需延期的应书面告知企业并报科室负责人同意。",
        respond_by=today + timedelta(days=10),
        target_kind=TargetKind.POST,
        post=p["jc403"].post,
        signal=efficiency,
    )
    section_warning = services.raise_warning(
        discipline,
        level=Level.B,
        title="外事接待标准执行不严",
        message="民主测评反映招商二科外事接待存在超标准情况，请科室组织自查，对照接待规定逐项整改，形成书面报告。",
        respond_by=today + timedelta(days=7),
        target_kind=TargetKind.SECTION,
        section=sections.get("ZS2"),
        signal=evaluation,
    )
    unit_warning = services.raise_warning(
        office,
        level=Level.D,
        title="元旦春节期间廉洁提醒",
        message="两节将至，全办干部职工要严守中央八项规定精神，不收受礼品礼金，不违规发放津贴补贴，不公车私用。",
        respond_by=today + timedelta(days=3),
        target_kind=TargetKind.UNIT,
    )

    # Disposals in every state ----------------------------------------------------------
    services.add_disposal(
        d_person.pk,
        office,
        kind=K.RISK_REMINDER,
        responsible=p["kezhang"],
        reporter=p["keyuan"],
        due_on=today + timedelta(days=7),
        instructions="由科长进行一次风险提示，本人对照岗位风险点写出自查情况。",
    )  # planned
    talk = services.add_disposal(
        c_warning.pk,
        office,
        kind=K.REMINDER_TALK,
        responsible=p["kezhang"],
        reporter=p["jc203"],
        due_on=today + timedelta(days=3),
        instructions="科长进行提醒谈话；本人说明两笔奖励审核的经过并提出改进措施。",
    )
    services.report_disposal(
        talk.pk,
        p["jc203"],
        report="已于本周一接受提醒谈话。两笔奖励已补核原件，无多付情况；今后所有凭证一律核对原件并在审核单上签注。",
    )  # reported
    services.answer_warning(
        c_warning.pk,
        p["jc203"],
        response="接受预警。问题系本人核对不细，已补核全部在办申请，今后严格执行原件核对。",
    )
    services.add_disposal(
        b_warning.pk,
        discipline,
        kind=K.WRITTEN_INQUIRY,
        responsible=discipline,
        reporter=p["jc503"],
        due_on=today + timedelta(days=10),
        instructions="请就近三个月零星收入的入账时间和方式作出书面说明。",
    )  # planned
    admonish = services.add_disposal(
        a_warning.pk,
        discipline,
        kind=K.ADMONISHMENT,
        responsible=p["jijian"],
        reporter=p["jc604"],
        due_on=today + timedelta(days=1),
        instructions="纪检组长进行诫勉谈话，本人作出书面检查。",
    )
    services.report_disposal(
        admonish.pk,
        p["jc604"],
        report="已接受诫勉谈话并提交书面检查，认识到未执行比价程序的严重性。",
    )
    services.evaluate_disposal(
        admonish.pk, discipline, evaluation="检查深刻，态度端正。", adequate=True
    )
    services.close_disposal(admonish.pk, discipline)  # closed
    rectify = services.add_disposal(
        a_warning.pk,
        discipline,
        kind=K.DEADLINE_RECTIFICATION,
        responsible=p["jc601"],
        reporter=p["jc604"],
        due_on=today,
        instructions="对本年度全部会务采购进行复查，补办比价手续，建立供应商轮换名单。",
    )
    _overdue(rectify, 4)  # planned and overdue
    order = services.add_disposal(
        section_warning.pk,
        discipline,
        kind=K.ORDERED_RECTIFICATION,
        responsible=p["fenguan"],
        reporter=p["jc301"],
        due_on=today + timedelta(days=5),
        instructions="科室自查外事接待台账，对超标准部分予以纠正。",
    )
    services.report_disposal(
        order.pk,
        p["jc301"],
        report="已完成自查：3 次接待超出标准，超出部分已由个人退回；修订了科室接待审批单。",
    )
    services.evaluate_disposal(
        order.pk, discipline, evaluation="自查认真，但尚需建立接待公示制度。", adequate=False
    )  # evaluated
    services.answer_warning(
        d_post.pk, p["jc403"], response="已逐件清理在办代办事项，2 件需延期的已书面告知企业。"
    )
    services.close_warning(unit_warning.pk, office, note="已在全办会议上传达。")

    # Reminder jobs: three earlier days, then today's run for real ------------------------
    _job_history(today)
    reminders.run_sweep(today, unit.pk)
    return context
