"""What acceptance adds to the shared frame: last year's filings carried into
a new campaign (``campaign_created``), the home page's work items
(rectifications to report or verify, carried filings to confirm) and the
open work of the 检查验收 stage."""

from django.db.models import Count, Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts import home
from campaign import progress
from campaign.access import administered_campaigns
from campaign.models import Campaign, Stage
from campaign.signals import campaign_created
from campaign.views.common import register_tab
from risks.models import Filing

from .models import ChecklistItem, Rectification, SelfAssessment

register_tab("acceptance", _lazy("检查验收"), "acceptance:overview", lambda r: r.watch)


@receiver(campaign_created, dispatch_uid="acceptance.campaign_created")
def _carry_filings_over(sender, campaign, previous=None, by=None, **kwargs):
    # Runs after the powers app's receiver (apps are ready in INSTALLED_APPS
    # order), so the new catalogue is there to map powers onto.
    if previous is not None:
        from .services import run_carry_over

        run_carry_over(previous, campaign, by)


# Home work items --------------------------------------------------------------------


def _rectifications_to_report(user):
    if not user.is_authenticated:
        return
    today = timezone.localdate()
    items = Rectification.objects.filter(
        owner=user, status=Rectification.Status.OPEN, campaign__status=Campaign.Status.RUNNING
    ).select_related("campaign")
    for item in items:
        yield home.WorkItem(
            title=_("整改并报告：%(what)s") % {"what": item},
            url=item.get_absolute_url(),
            kind=_("整改"),
            detail=(_("已退回 %(n)d 次，请重新整改") % {"n": item.rejections})
            if item.rejections
            else item.campaign.title,
            due=item.due_on,
            urgent=item.due_on <= today or bool(item.rejections),
        )


def _rectifications_to_verify(user):
    if not user.is_authenticated:
        return
    rows = (
        Rectification.objects.filter(
            campaign__in=administered_campaigns(user).filter(status=Campaign.Status.RUNNING),
            status=Rectification.Status.REPORTED,
        )
        .values("campaign_id", "campaign__title")
        .annotate(n=Count("pk"))
        .order_by("campaign_id")
    )
    for row in rows:
        yield home.WorkItem(
            title=_("验证整改情况（%(n)d 项）") % {"n": row["n"]},
            url=reverse("acceptance:rectifications", args=[row["campaign_id"]])
            + "?status=reported",
            kind=_("整改验证"),
            detail=row["campaign__title"],
            urgent=True,
        )


def _carried_filings_to_confirm(user):
    """Filings carried over from last year and not yet touched by their owner."""
    if not user.is_authenticated:
        return
    filings = Filing.objects.filter(
        owner=user,
        kind=Filing.Kind.PERSONAL,
        status=Filing.Status.DRAFT,
        version=0,
        campaign__status=Campaign.Status.RUNNING,
        carried_from__isnull=False,
    ).select_related("campaign")
    for filing in filings:
        yield home.WorkItem(
            title=_("从上一年度带入，请确认或修改：%(title)s") % {"title": filing.review_title()},
            url=filing.get_absolute_url(),
            kind=_("风险登记"),
            detail=filing.campaign.title,
        )


home.register(_rectifications_to_report)
home.register(_rectifications_to_verify)
home.register(_carried_filings_to_confirm)


# Open work of the 检查验收 stage --------------------------------------------------------


def _open_review(campaign):
    items = ChecklistItem.objects.filter(campaign=campaign).aggregate(
        total=Count("pk"), unscored=Count("pk", filter=Q(score__isnull=True))
    )
    checklist_url = reverse("acceptance:checklist", args=[campaign.pk])
    yield progress.OpenWork(
        _("验收评分表中尚未评分的项目"),
        items["unscored"] if items["total"] else 1,
        checklist_url,
    )
    written = SelfAssessment.objects.filter(campaign=campaign).exclude(text="").exists()
    yield progress.OpenWork(
        _("尚未形成自查报告"),
        0 if written else 1,
        reverse("acceptance:self_assessment", args=[campaign.pk]),
    )
    unfinished = (
        Rectification.objects.filter(campaign=campaign)
        .exclude(status=Rectification.Status.CLOSED)
        .count()
    )
    yield progress.OpenWork(
        _("尚未验证销号的整改事项"),
        unfinished,
        reverse("acceptance:rectifications", args=[campaign.pk]),
    )


progress.register(Stage.Kind.REVIEW, _open_review)
