"""The catalogue import page: powers (and their flowchart steps) from Excel
into a campaign, for the campaign's office."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.views_import import import_page, template_response
from campaign.access import get_campaign

from . import services
from .imports import CatalogueImporter


def catalogue(request, campaign_pk):
    campaign = get_campaign(request.user, campaign_pk, administer=True)
    if not campaign.is_closed:
        services.ensure_categories(campaign)

    def importer_for(options):
        return CatalogueImporter(
            user=request.user, unit=campaign.unit, campaign=campaign, options=options
        )

    return import_page(
        request,
        importer_for=importer_for,
        scope=f"catalogue:campaign:{campaign.pk}",
        template_url=reverse("powers_import:catalogue_template", args=[campaign.pk]),
        context={
            "importer": importer_for({}),
            "heading": _("导入职权目录"),
            "subtitle": _(
                "把职权事项导入“%(campaign)s”各科室的职权目录：按编码匹配，已有的更新、新的新增；"
                "可在“流程环节”工作表中同时导入权力运行流程。"
            )
            % {"campaign": campaign.title},
            "crumbs": [
                (campaign.title, campaign.get_absolute_url()),
                (_("导出中心"), reverse("exports:centre", args=[campaign.pk])),
            ],
        },
    )


def catalogue_template(request, campaign_pk):
    campaign = get_campaign(request.user, campaign_pk, administer=True)
    if not campaign.is_closed:
        services.ensure_categories(campaign)
    return template_response(
        CatalogueImporter(user=request.user, unit=campaign.unit, campaign=campaign)
    )
