"""The list of campaigns, the new-campaign wizard, the overview, settings,
closing and the history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import standing

from .. import access, audit, ical, services, timeline
from ..forms.settings import CampaignSettingsForm, CampaignWizardForm
from ..models import Campaign, Stage
from ..planning import update_campaign
from .common import load, locked, posted, refuse, render_campaign
from .setup import leading_group_by_role


def campaign_list(request):
    campaigns = (
        access.visible_campaigns(request.user)
        .select_related("unit")
        .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("position")))
        .order_by("-year", "-id")
    )
    page = Paginator(campaigns, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "campaign/list.html",
        {"page": page, "may_create": standing(request.user).is_office and request.user.unit_id},
    )


def create(request):
    user = request.user
    if not standing(user).is_office or user.unit_id is None:
        raise PermissionDenied
    unit = user.unit
    form = CampaignWizardForm(
        posted(request),
        unit=unit,
        campaigns=access.visible_campaigns(user).order_by("-year", "-id"),
        instance=Campaign(unit=unit),
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(unit=unit, by=user, **form.service_arguments())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("活动已创建。请核对下面各阶段和时间节点的日期，按本单位的实施方案调整后保存。"),
            )
            return redirect("campaign:plan", campaign.pk)
    return render(request, "campaign/create.html", {"form": form})


def detail(request, pk):
    campaign = load(request, pk)
    stages = list(campaign.stages.order_by("position").prefetch_related("milestones__section"))
    plan = timeline.build(stages)
    startable, active = timeline.stage_actions(stages)
    feed_path = reverse("campaign:ical", args=[ical.token_for(request.user)])
    counts = Campaign.objects.filter(pk=campaign.pk).aggregate(
        meetings=Count("meetings", distinct=True), materials=Count("materials", distinct=True)
    )
    return render_campaign(
        request,
        "campaign/detail.html",
        campaign,
        "detail",
        {
            "plan": plan,
            "startable": startable,
            "active": active,
            "all_done": bool(stages) and all(s.status == Stage.Status.DONE for s in stages),
            "groups": leading_group_by_role(campaign),
            "counts": counts,
            "feed_url": request.build_absolute_uri(feed_path),
            "feed_path": feed_path,
            "today": timezone.localdate(),
        },
    )


def edit(request, pk):
    campaign = load(request, pk, administer=True)
    if response := locked(request, campaign):
        return response
    form = CampaignSettingsForm(posted(request), unit=campaign.unit, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            update_campaign(form.save(commit=False), request.user, form.changed_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("活动设置已保存。"))
            return redirect(campaign)
    return render_campaign(request, "campaign/edit.html", campaign, "detail", {"form": form})


@require_POST
def close(request, pk):
    campaign = load(request, pk, administer=True)
    try:
        services.close_campaign(campaign.pk, request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("活动已结束并锁定。"))
    return redirect(campaign)


def history(request, pk):
    campaign = load(request, pk, watch=True)
    entries = (
        audit.entries_for(request.user, campaign)
        .select_related("actor", "actor__section")
        .order_by("-at", "-id")
    )
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
    return render_campaign(request, "campaign/history.html", campaign, "history", {"page": page})
