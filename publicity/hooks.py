"""What publicity adds to the shared frame: the "公示" navigation entry, the
home page's work items (notices to read, feedback to answer) and the open
work of the 公示 stage."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts import home, navigation
from accounts.navigation import NavItem
from campaign import progress
from campaign.access import administered_campaigns
from campaign.models import Campaign, Stage
from campaign.views.common import register_tab

from . import tasks  # noqa: F401  (registers the closing job's label)
from .models import Feedback, Window

register_tab("publicity", _lazy("公示"), "publicity:manage", lambda r: r.administer)

navigation.register(
    NavItem(
        "publicity", _lazy("公示"), "publicity:list", lambda s: True, order=50, icon="megaphone"
    )
)


def _notices_to_read(user):
    if not user.is_authenticated or user.unit_id is None:
        return
    now = timezone.now()
    windows = (
        Window.objects.filter(
            campaign__unit_id=user.unit_id,
            campaign__status=Campaign.Status.RUNNING,
            status=Window.Status.OPEN,
            starts_at__lte=now,
            ends_at__gt=now,
        )
        .exclude(reads__person=user)
        .select_related("campaign")
        .order_by("ends_at", "pk")
    )
    for window in windows:
        yield home.WorkItem(
            title=_("阅读公示：%(title)s") % {"title": window.title},
            url=window.get_absolute_url(),
            kind=_("公示"),
            detail=_("公示期至 %(day)s，可在公示页面提出意见") % {"day": window.last_day},
            due=window.last_day,
        )


def _feedback_to_answer(user):
    if not user.is_authenticated:
        return
    windows = (
        Window.objects.filter(
            campaign__in=administered_campaigns(user).exclude(status=Campaign.Status.CLOSED),
        )
        .annotate(waiting=Count("feedback", filter=Q(feedback__answered_at__isnull=True)))
        .filter(waiting__gt=0)
        .order_by("starts_at", "pk")
    )
    for window in windows:
        yield home.WorkItem(
            title=_("答复公示意见：%(title)s") % {"title": window.title},
            url=reverse("publicity:window", args=[window.pk]),
            kind=_("公示意见"),
            detail=_("%(n)d 条意见待答复") % {"n": window.waiting},
            urgent=True,
        )


home.register(_notices_to_read)
home.register(_feedback_to_answer)


def _open_publicity(campaign):
    now = timezone.now()
    windows = Window.objects.filter(campaign=campaign)
    counts = windows.aggregate(
        register=Count("pk", filter=Q(scope=Window.Scope.REGISTER)),
        running=Count("pk", filter=Q(status=Window.Status.OPEN, ends_at__gt=now)),
    )
    url = reverse("publicity:manage", args=[campaign.pk])
    yield progress.OpenWork(
        _("尚未发布全单位风险点和防控措施公示"), 0 if counts["register"] else 1, url
    )
    yield progress.OpenWork(_("尚在公示期内的公示"), counts["running"], url)
    unanswered = Feedback.objects.filter(
        window__campaign=campaign, answered_at__isnull=True
    ).count()
    yield progress.OpenWork(_("尚未答复的公示意见"), unanswered, url)


progress.register(Stage.Kind.PUBLICITY, _open_publicity)
