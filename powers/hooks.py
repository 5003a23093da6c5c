"""What powers adds to the shared frame: the navigation entry, the section
heads' home work items, the dashboard panel, the open-work reporter of the
清权确权 stage, and the categories (and last year's catalogue) a new
campaign starts with."""

import logging

from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts import home, navigation
from accounts.models import Section
from accounts.navigation import NavItem
from accounts.roles import standing
from campaign import dashboard, progress
from campaign.access import visible_campaigns
from campaign.models import Campaign, Stage
from campaign.signals import campaign_created

from . import extensions, services
from .models import Catalogue, Power
from .queries import catalogue_counts, powers_by_category

logger = logging.getLogger(__name__)


@receiver(campaign_created, dispatch_uid="powers.campaign_created")
def _start_catalogues(sender, campaign, previous=None, by=None, **kwargs):
    if previous is not None:
        try:
            services.carry_over(previous, campaign, by)
        except ValidationError:
            logger.exception("carrying the catalogue over from campaign %s failed", previous.pk)
    services.ensure_categories(campaign)


# Navigation ------------------------------------------------------------------

navigation.register(
    NavItem(
        "powers",
        _lazy("职权目录"),
        "powers:current",
        lambda s: True,
        order=20,
        icon="diagram-3",
        group="risk",
    )
)


# Home work -------------------------------------------------------------------


def _catalogues_to_compile(user):
    headed = standing(user).headed_section_ids
    if not headed:
        return
    campaigns = list(visible_campaigns(user).filter(status=Campaign.Status.RUNNING))
    if not campaigns:
        return
    stages = {
        s.campaign_id: s
        for s in Stage.objects.filter(campaign__in=campaigns, kind=Stage.Kind.POWERS)
    }
    catalogues = {
        (c.campaign_id, c.section_id): c
        for c in Catalogue.objects.filter(
            campaign__in=campaigns, section_id__in=headed
        ).select_related("section")
    }
    sections = list(
        Section.objects.filter(pk__in=headed, is_active=True).order_by("display_order", "id")
    )
    for campaign in campaigns:
        stage = stages.get(campaign.pk)
        for section in sections:
            catalogue = catalogues.get((campaign.pk, section.pk))
            if catalogue is None:
                if stage is None or stage.status == Stage.Status.PENDING:
                    continue
                status = Catalogue.Status.DRAFT
            else:
                status = catalogue.status
            if status not in Catalogue.EDITABLE:
                continue
            returned = status == Catalogue.Status.RETURNED
            yield home.WorkItem(
                title=(
                    _("%(section)s职权目录被退回，请修改后重新提交")
                    if returned
                    else _("编制并提交%(section)s职权目录")
                )
                % {"section": section.name},
                url=reverse("powers:catalogue", args=[campaign.pk, section.pk]),
                kind=_("职权目录"),
                detail=campaign.title,
                due=stage.due_on if stage else None,
                urgent=returned,
            )


home.register(_catalogues_to_compile)


# Open work of the 清权确权 stage -------------------------------------------


def _open_catalogues(campaign):
    counts = catalogue_counts(campaign)
    waiting = sum(n for status, n in counts.items() if status != Catalogue.Status.APPROVED)
    yield progress.OpenWork(
        _("职权目录未审定的科室"), waiting, reverse("powers:overview", args=[campaign.pk])
    )


progress.register("powers", _open_catalogues)


# Dashboard panel -----------------------------------------------------------------


def _panel_context(campaign, user):
    counts = catalogue_counts(campaign)
    statuses = [
        (str(label), counts.get(value, 0), value) for value, label in Catalogue.Status.choices
    ]
    statuses.append((_("未编制"), counts.get("none", 0), "none"))
    without = None
    tracks = extensions.tracks_risks()
    if tracks:
        without = (
            Power.objects.filter(campaign=campaign)
            .annotate(has_risks=extensions.has_risks_expression())
            .filter(has_risks=False)
            .count()
        )
    by_category = powers_by_category(campaign)
    return {
        "campaign": campaign,
        "statuses": statuses,
        "sections_total": sum(n for _label, n, _value in statuses),
        "by_category": by_category,
        "powers_total": sum(n for _name, n in by_category),
        "without_risks": without,
        "tracks_risks": tracks,
        "overview_url": reverse("powers:overview", args=[campaign.pk]),
    }


dashboard.register(
    dashboard.Panel(
        key="powers",
        title=_lazy("职权目录"),
        template="powers/panels/dashboard.html",
        context=_panel_context,
        order=20,
    )
)
