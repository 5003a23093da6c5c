"""The demo unit's running campaign: started 60 days ago, mobilisation and
power listing done, finding risk points under way. Every text is made up.

``load(context)`` is idempotent: the campaign is matched by its title and,
once it exists, left exactly as it is (a second run changes nothing, even
on a later day).
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from . import planning, progress, services
from .models import Campaign, LeadingGroupMember, Meeting, Stage, StudyMaterial

TITLE = "2026年度廉政风险防控工作"
START_DAYS_AGO = 60
REASON = "演示数据：遗留事项已布置到下一阶段一并完成。"

R = LeadingGroupMember.Role
# username, role, duty
SEATS = [
    ("zhuren", R.LEADER, "全面领导本单位廉政风险防控工作"),
    ("fenguan", R.DEPUTY, "协助组长工作，分管招商一科、招商二科的防控工作"),
    ("fuzhuren2", R.DEPUTY, "协助组长工作，分管项目服务科、投资服务中心的防控工作"),
    ("jijian", R.MEMBER, "监督检查防控工作落实，受理问题线索"),
    ("diaoyan", R.MEMBER, "分管办公室、计划财务科的防控工作"),
    ("kezhang", R.MEMBER, "组织招商一科查找风险、制定措施"),
    ("jc301", R.MEMBER, "组织招商二科查找风险、制定措施"),
    ("jc401", R.MEMBER, "组织项目服务科查找风险、制定措施"),
    ("jc501", R.MEMBER, "组织计划财务科查找风险、制定措施"),
    ("jc601", R.MEMBER, "组织投资服务中心查找风险、制定措施"),
    ("bangongshi", R.OFFICE_HEAD, "主持办公室日常工作，统筹进度、汇总材料"),
    ("jc102", R.OFFICE_MEMBER, "人员信息维护、学习确认统计"),
    ("jc105", R.OFFICE_MEMBER, "会议组织、材料收发和归档"),
]

AIMS = (
    "通过清理职权、查找风险、评估定级、制定措施，建立覆盖全部职权和岗位的"
    "廉政风险防控体系，做到不漏项、不漏岗、不漏人；形成职权目录、权力运行流程图"
    "和风险点汇总表，年内完成检查验收并转入动态管理。"
)

MATERIALS = [
    (
        "江纪[2026]3号《关于深入开展廉政风险防控工作的通知》",
        "上级纪委的部署文件。重点阅读第二部分“工作步骤”和第四部分“工作要求”。",
    ),
    (
        "本单位廉政风险防控工作实施方案",
        "经党组会议审议通过。请了解七个阶段的时间安排、本人需要填报的表格和完成时限。",
    ),
    (
        "廉政风险点查找方法与填报说明",
        "说明“自己找、群众帮、领导点、集体定”的查找方法，以及风险等级评定的考虑因素和填报示例。",
    ),
]


def _at(day, hour=9):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _finish(stage, by):
    reason = REASON if progress.open_work(stage) else ""
    services.complete_stage(stage.pk, by, reason=reason)


@transaction.atomic
def load(context):
    unit, people = context["unit"], context["people"]
    campaign = Campaign.objects.filter(unit=unit, title=TITLE).first()
    if campaign is not None:
        context["campaign"] = campaign
        return context

    office = people["bangongshi"]
    start = timezone.localdate() - timedelta(days=START_DAYS_AGO)
    campaign = services.create_campaign(
        unit=unit,
        by=office,
        title=TITLE,
        year=2026,
        starts_on=start,
        basis_doc_no="江纪[2026]3号",
        basis_doc_title="关于深入开展廉政风险防控工作的通知",
        aims=AIMS,
        grading_scheme=Campaign.Scheme.HIGH_MEDIUM_LOW,
        publicity_days=7,
    )

    seats = {m.person_id: m for m in campaign.leading_group.all()}
    for order, (username, role, duty) in enumerate(SEATS, start=1):
        person = people[username]
        services.save_leading_group_member(
            campaign,
            office,
            person=person,
            role=role,
            duty=duty,
            display_order=order,
            member=seats.get(person.pk),
        )

    stages = {stage.kind: stage for stage in campaign.stages.all()}
    mobilise, powers, risks = (
        stages[Stage.Kind.MOBILISE],
        stages[Stage.Kind.POWERS],
        stages[Stage.Kind.RISKS],
    )

    staff = sorted(
        (p for p in people.values() if p.is_active and not p.is_superuser),
        key=lambda p: p.employee_no or "",
    )
    services.start_stage(mobilise.pk, office)
    group = [people[username] for username, _role, _duty in SEATS]
    planning.save_meeting(
        Meeting(
            campaign=campaign,
            held_on=start + timedelta(days=3),
            topic="领导小组会议：研究部署廉政风险防控工作",
            place="三楼会议室",
            notes="审议实施方案，明确领导小组及办公室分工，确定各阶段时间节点。",
        ),
        office,
        attendees=group,
    )
    planning.save_meeting(
        Meeting(
            campaign=campaign,
            held_on=start + timedelta(days=12),
            topic="全体干部职工廉政风险防控工作动员大会",
            place="一楼报告厅",
            notes="党组书记作动员讲话；办公室解读实施方案和填报要求；纪检组长提出纪律要求。",
        ),
        office,
        attendees=[p for i, p in enumerate(staff) if i % 13 != 7],  # a few were away
    )
    materials = [
        planning.save_material(
            StudyMaterial(campaign=campaign, title=title, description=text, required=True), office
        )
        for title, text in MATERIALS
    ]
    for index, person in enumerate(staff):
        if index % 5 == 4:  # about one in five has not confirmed yet
            continue
        for material in materials:
            services.confirm_study(material, person)

    for milestone in mobilise.milestones.all():
        services.set_milestone_done(milestone.pk, office)
    _finish(mobilise, office)
    services.start_stage(powers.pk, office)
    for milestone in powers.milestones.all():
        if milestone.title != "绘制权力运行流程图":  # left open: shows an overdue milestone
            services.set_milestone_done(milestone.pk, office)
    _finish(powers, office)
    services.start_stage(risks.pk, office)

    # Dates as if the work had been done on schedule rather than just now.
    for stage, done in ((mobilise, True), (powers, True), (risks, False)):
        Stage.objects.filter(pk=stage.pk).update(
            started_at=_at(stage.starts_on),
            completed_at=_at(stage.due_on, 17) if done else None,
        )
        for milestone in stage.milestones.filter(done=True):
            type(milestone).objects.filter(pk=milestone.pk).update(
                done_at=_at(milestone.due_on, 16)
            )

    context["campaign"] = campaign
    return context
