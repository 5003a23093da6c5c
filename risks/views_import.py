"""The register import page: a legacy 风险点和等级目录汇总表 into a campaign,
for the campaign's office."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.views_import import UploadForm, import_page, template_response
from campaign.access import get_campaign

from .imports import RegisterImporter


class RegisterUploadForm(UploadForm):
    replace = forms.BooleanField(
        label=gettext_lazy("替换已有的风险点"),
        required=False,
        help_text=gettext_lazy(
            "文件涉及的登记表如已填有风险点，勾选后用文件中的内容替换；不勾选则这些登记表报错、不导入。"
        ),
    )


def register(request, campaign_pk):
    campaign = get_campaign(request.user, campaign_pk, administer=True)

    def importer_for(options):
        return RegisterImporter(
            user=request.user, unit=campaign.unit, campaign=campaign, options=options
        )

    return import_page(
        request,
        importer_for=importer_for,
        scope=f"register:campaign:{campaign.pk}",
        template_url=reverse("risks_import:register_template", args=[campaign.pk]),
        form_class=RegisterUploadForm,
        context={
            "importer": importer_for({}),
            "heading": _("导入风险点和等级目录汇总表"),
            "subtitle": _(
                "把往年的汇总表导入“%(campaign)s”：每行一个风险点，按姓名归入个人登记表，"
                "没有姓名的归入科室或单位登记表；导入后登记表均为“已审定”。"
            )
            % {"campaign": campaign.title},
            "crumbs": _crumbs(campaign),
        },
    )


def register_template(request, campaign_pk):
    campaign = get_campaign(request.user, campaign_pk, administer=True)
    return template_response(
        RegisterImporter(user=request.user, unit=campaign.unit, campaign=campaign)
    )


def _crumbs(campaign):
    return [
        (campaign.title, campaign.get_absolute_url()),
        (_("导出中心"), reverse("exports:centre", args=[campaign.pk])),
    ]
