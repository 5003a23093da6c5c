"""The feedback register of a campaign's notices (公示意见反馈及答复登记表),
registered with the export centre (campaign.exports) when the app is ready.

Feedback may carry the sender's name and contact, so only the campaign's
office and discipline inspection may export it.
"""

from django.utils.translation import gettext_lazy as _

from accounts.roles import standing
from campaign.access import may_administer
from campaign.exports import Export, register
from campaign.tables import Column, Table

from .models import Feedback

CHUNK_SIZE = 2000


def _period(feedback) -> str:
    window = feedback.window
    return f"{window.first_day:%Y-%m-%d} 至 {window.last_day:%Y-%m-%d}"


FEEDBACK = Table(
    key="publicity_feedback",
    title=_("{unit}公示意见反馈及答复登记表"),
    columns=[
        Column("index", _("序号"), width=6, kind="number", align="center"),
        Column("window.title", _("公示事项"), width=22),
        Column("period", _("公示期"), width=13, value=_period),
        Column("channel", _("渠道"), width=9, value=lambda f: str(f.get_channel_display())),
        Column("submitted_at", _("提交时间"), width=15, kind="datetime"),
        Column("name", _("姓名"), width=9),
        Column("contact", _("联系方式"), width=14),
        Column("content", _("意见建议"), width=34),
        Column("answer", _("答复"), width=34),
        Column(
            "answered_by",
            _("答复人"),
            width=9,
            value=lambda f: f.answered_by.get_full_name() if f.answered_by_id else "",
        ),
        Column("answered_at", _("答复时间"), width=15, kind="datetime"),
    ],
    footer_lines=[_("领导小组办公室（盖章）：　　　　　　　　　　　　　　　年　　月　　日")],
)


def may_export_feedback(user, campaign) -> bool:
    return may_administer(user, campaign) or standing(user).is_discipline


def feedback_rows(campaign, user, section=None):
    items = (
        Feedback.objects.filter(window__campaign=campaign)
        .select_related("window", "answered_by")
        .order_by("window__starts_at", "window_id", "submitted_at", "pk")
    )
    for index, item in enumerate(items.iterator(chunk_size=CHUNK_SIZE), start=1):
        item.index = index
        yield item


register(
    Export(
        key="publicity_feedback",
        title=_("公示意见反馈及答复登记表"),
        table=FEEDBACK,
        rows=feedback_rows,
        allowed=may_export_feedback,
        description=_("各次公示收到的意见建议和办公室的答复。"),
        order=70,
    )
)
