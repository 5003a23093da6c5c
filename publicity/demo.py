"""The demo campaign's publicity: a closed internal notice of the unit-wide
register with feedback answered, and an open notice of the power catalogue
published to the public at its link (with one opinion waiting for an
answer). Every text is made up.

``load(context)`` builds only while the demo campaign has no window yet: a
second run changes nothing.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from campaign.models import LeadingGroupMember

from . import services
from .models import Feedback, Window

FEEDBACK = [
    (
        "",
        "",
        "政策兑现经办岗位的防控措施中提到“双人审核”，建议同时明确审核时限，避免企业等待过久。",
        "感谢您的建议。我们已在政策兑现流程中补充“受理后10个工作日内完成双人审核”的时限要求，并同步修订了流程图。",
    ),
    (
        "项目服务科 职工",
        "",
        "项目代办服务中，代办人员与企业单独接触较多，风险等级是否偏低？",
        "经领导小组复核，代办服务岗位“与企业单独接触”风险点已由“低”调整为“中”，并增加了代办事项登记台账和回访措施。",
    ),
]
PUBLIC_FEEDBACK = (
    "",
    "138****6621",
    "奖励兑现的申报材料清单能否在网站上一并公开？方便企业提前准备。",
)


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


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _shift(window, first_day):
    """Move a window (opened today) so that it started on ``first_day``."""
    days = window.campaign.publicity_days
    starts_at = _midnight(first_day) + timedelta(hours=9)
    Window.objects.filter(pk=window.pk).update(
        starts_at=starts_at,
        opened_at=starts_at,
        ends_at=_midnight(first_day + timedelta(days=days)),
    )
    window.refresh_from_db()
    return window


@transaction.atomic
def load(context):
    campaign = context.get("campaign")
    if campaign is None or campaign.is_closed or Window.objects.filter(campaign=campaign).exists():
        return context
    office = _office(campaign, context)
    if office is None:
        return context
    today = timezone.localdate()

    register = services.open_window(
        campaign,
        office,
        scope=Window.Scope.REGISTER,
        show_names=False,
        note="本次公示内容为经领导小组审定的风险点、风险等级和防控措施，不显示个人姓名。",
    )
    for name, contact, content, answer in FEEDBACK:
        feedback = services.submit_feedback(
            register.pk,
            channel=Feedback.Channel.INTERNAL,
            content=content,
            name=name,
            contact=contact,
        )
        services.answer_feedback(feedback.pk, office, answer=answer)
    register = _shift(register, today - timedelta(days=campaign.publicity_days + 5))
    for offset, feedback in enumerate(register.feedback.order_by("pk"), start=1):
        submitted = register.starts_at + timedelta(days=offset, hours=2)
        Feedback.objects.filter(pk=feedback.pk).update(
            submitted_at=submitted, answered_at=submitted + timedelta(days=1, hours=3)
        )
    services.close_expired()

    catalogue = services.open_window(
        campaign,
        office,
        scope=Window.Scope.POWERS,
        public=True,
        note="对外行使的权力事项及其流程图同时向社会公开，群众可扫描二维码查看并提出意见。",
    )
    name, contact, content = PUBLIC_FEEDBACK
    services.submit_feedback(
        catalogue.pk,
        channel=Feedback.Channel.PUBLIC,
        content=content,
        name=name,
        contact=contact,
        address="demo",
    )
    catalogue = _shift(catalogue, today - timedelta(days=2))
    Feedback.objects.filter(window=catalogue).update(
        submitted_at=catalogue.starts_at + timedelta(days=1)
    )
    context["publicity_link"] = catalogue.public_url()
    return context
