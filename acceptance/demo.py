"""The demo campaign's acceptance check, as it looks half-way: the checklist
partly scored, a self-assessment draft, and rectifications in every state.
Every text is made up.

``load(context)`` builds only while the demo campaign has no checklist: a
second run changes nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from campaign.models import LeadingGroupMember

from . import services
from .models import ChecklistItem

# area → (score, remarks); the rest of the items stay unscored.
SCORES = {
    "组织领导": (Decimal("10"), ""),
    "清权确权": (Decimal("13.5"), "招商二科 2 项职权的流程图缺少时限，扣 1.5 分。"),
    "风险查找": (Decimal("17"), "投资服务中心 3 人未按时提交登记表，扣 3 分。"),
    "公示": (Decimal("5"), ""),
}

# (username, checklist area, problem, requirement, days until due, state)
RECTIFICATIONS = [
    (
        "jc601",
        "风险查找",
        "投资服务中心有 3 名人员未按时提交个人岗位风险点登记表。",
        "督促相关人员完成填报并经科室负责人审核。",
        10,
        "open",
    ),
    (
        "jc301",
        "清权确权",
        "招商二科“外资项目对接”等 2 项职权的流程图未标注各环节办理时限。",
        "补充各环节时限，重新提交审定。",
        7,
        "reported",
    ),
    (
        "jc501",
        "防控措施",
        "计划财务科“资金支付”风险点的中期监控措施没有明确责任人。",
        "明确责任人和监测指标。",
        -3,
        "closed",
    ),
    (
        "jc401",
        "等级评定",
        "项目服务科代办服务岗位“与企业单独接触”风险等级评定偏低。",
        "按就高不就低原则重新评定等级，并补充防控措施。",
        5,
        "rejected",
    ),
]


def _office(campaign, context):
    person = context.get("people", {}).get("bangongshi")
    if person is not None:
        return person
    seat = (
        campaign.leading_group.filter(role=LeadingGroupMember.Role.OFFICE_HEAD)
        .select_related("person")
        .first()
    )
    return seat.person if seat else None


@transaction.atomic
def load(context):
    campaign = context.get("campaign")
    if (
        campaign is None
        or campaign.is_closed
        or ChecklistItem.objects.filter(campaign=campaign).exists()
    ):
        return context
    office = _office(campaign, context)
    if office is None:
        return context
    items = {item.area: item for item in services.ensure_checklist(campaign)}
    services.save_scores(
        campaign, office, {items[area].pk: value for area, value in SCORES.items() if area in items}
    )
    today = timezone.localdate()
    services.save_check(
        campaign, office, checked_on=today, inspectors="区纪委第三检查组、本单位领导小组办公室"
    )

    people = {u.username: u for u in User.objects.filter(unit=campaign.unit)}
    for username, area, problem, requirement, days, state in RECTIFICATIONS:
        owner = people.get(username)
        if owner is None:
            continue
        item = services.create_rectification(
            campaign,
            office,
            item=items.get(area),
            description=problem,
            requirement=requirement,
            owner=owner,
            due_on=today + timedelta(days=max(days, 1)),
        )
        if state == "open":
            continue
        services.report_rectification(item.pk, owner, report=f"已按要求整改：{requirement}")
        if state == "closed":
            services.verify_rectification(item.pk, office, opinion="经核查，整改到位，同意销号。")
            item.due_on = today + timedelta(days=days)
            item.save(update_fields=["due_on"])
        elif state == "rejected":
            services.reject_rectification(
                item.pk, office, opinion="等级仍为“低”，未按就高不就低原则调整，请重新整改。"
            )
    services.generate_draft(campaign, office)
    return context
