"""The new-campaign wizard and the campaign's settings."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Campaign
from .common import DateInput, high_grade_field

SETTINGS_FIELDS = [
    "title",
    "year",
    "basis_doc_no",
    "basis_doc_title",
    "aims",
    "starts_on",
    "publicity_days",
    "supervision_phone",
]


class CampaignSettingsForm(forms.ModelForm):
    high_grade_ratio = high_grade_field()

    class Meta:
        model = Campaign
        fields = [*SETTINGS_FIELDS, "high_grade_ratio"]
        widgets = {
            "starts_on": DateInput(),
            "aims": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "starts_on": _("活动开始的日期；各阶段的日期在“计划与阶段”页调整。"),
        }

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["title"].widget.attrs["placeholder"] = _("如：2026年度廉政风险防控工作")
        self.fields["supervision_phone"].widget.attrs["placeholder"] = unit.supervision_phone
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = self.layout()

    def layout(self):
        return Layout(
            Row(Column("title", css_class="col-md-8"), Column("year", css_class="col-md-4")),
            Row(
                Column("basis_doc_no", css_class="col-md-4"),
                Column("basis_doc_title", css_class="col-md-8"),
            ),
            Field("aims"),
            Row(
                Column("starts_on", css_class="col-md-4"),
                Column("publicity_days", css_class="col-md-4"),
                Column("supervision_phone", css_class="col-md-4"),
            ),
            Row(Column("high_grade_ratio", css_class="col-md-4")),
        )

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        clash = Campaign.objects.filter(unit=self.unit, title=title)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("本单位已有同名的活动，请换一个名称。"))
        return title


class CampaignWizardForm(CampaignSettingsForm):
    previous = forms.ModelChoiceField(
        label=_("沿用以往活动的设置"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("不沿用，使用默认设置"),
        help_text=_(
            "复制所选活动的风险类别、审核流程和领导小组；各阶段日期按新的开始日期重新排定。"
        ),
    )

    class Meta(CampaignSettingsForm.Meta):
        fields = [*SETTINGS_FIELDS, "grading_scheme", "high_grade_ratio", "previous"]
        widgets = {**CampaignSettingsForm.Meta.widgets, "grading_scheme": forms.RadioSelect}
        help_texts = {
            "starts_on": _("各阶段和时间节点的日期由开始日期推算，创建后可以逐项调整。"),
            "grading_scheme": _("三个等级，名称不同：等级名称和颜色创建后仍可修改。"),
        }

    def __init__(self, *args, unit, campaigns, **kwargs):
        super().__init__(*args, unit=unit, **kwargs)
        self.fields["previous"].queryset = campaigns
        today = timezone.localdate()
        # The blank instance's None values would hide these suggestions.
        self.initial.update(
            year=today.year, starts_on=today, supervision_phone=unit.supervision_phone
        )

    def layout(self):
        return Layout(
            Row(Column("title", css_class="col-md-8"), Column("year", css_class="col-md-4")),
            Row(
                Column("basis_doc_no", css_class="col-md-4"),
                Column("basis_doc_title", css_class="col-md-8"),
            ),
            Field("aims"),
            Row(
                Column("starts_on", css_class="col-md-4"),
                Column("publicity_days", css_class="col-md-4"),
                Column("supervision_phone", css_class="col-md-4"),
            ),
            Row(
                Column("grading_scheme", css_class="col-md-4"),
                Column("high_grade_ratio", css_class="col-md-4"),
                Column("previous", css_class="col-md-4"),
            ),
        )

    def service_arguments(self):
        """Keyword arguments for ``services.create_campaign``."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in [*SETTINGS_FIELDS, "grading_scheme", "high_grade_ratio", "previous"]
        }
