from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Section
from campaign.forms.common import DateInput
from campaign.models import Campaign
from earlywarnings.forms import PersonChoiceField, people_of

from .models import AcceptanceCheck, ChecklistItem


class SelfAssessmentForm(forms.Form):
    text = forms.CharField(
        label=_("自查报告"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 28, "class": "report-editor"}),
    )
    # The report's version the page showed (see SelfAssessment.version).
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class RegenerateForm(forms.Form):
    replace_text = forms.BooleanField(
        label=_("同时用新草稿替换正文（正文中的修改将丢失）"),
        required=False,
    )


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["area", "criteria", "max_score"]
        widgets = {
            "area": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "criteria": forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2}),
            "max_score": forms.NumberInput(
                attrs={
                    "class": "form-control form-control-sm score-input",
                    "step": "0.5",
                    "min": "0.5",
                }
            ),
        }


class BaseChecklistItemFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not self._should_delete_form(form)
            and not (form.instance.pk is None and not form.has_changed())
        ]
        if not kept:
            raise forms.ValidationError(_("至少保留一个验收评分项目。"))
        names = [form.cleaned_data.get("area") for form in kept]
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("验收评分项目的名称不能重复。"))


ChecklistItemFormSet = forms.modelformset_factory(
    ChecklistItem,
    form=ChecklistItemForm,
    formset=BaseChecklistItemFormSet,
    extra=2,
    can_delete=True,
)


class AcceptanceCheckForm(forms.ModelForm):
    class Meta:
        model = AcceptanceCheck
        fields = ["checked_on", "inspectors", "conclusion"]
        widgets = {"checked_on": DateInput(), "conclusion": forms.Textarea(attrs={"rows": 3})}


class RectificationForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("来源（验收项目）"),
        queryset=ChecklistItem.objects.none(),
        required=False,
        empty_label=_("（不属于某个验收项目）"),
    )
    source = forms.CharField(
        label=_("问题来源"),
        max_length=100,
        required=False,
        help_text=_("如：检查验收、公示意见、回头看；留空则取验收项目名称。"),
    )
    description = forms.CharField(label=_("存在问题"), widget=forms.Textarea(attrs={"rows": 3}))
    requirement = forms.CharField(
        label=_("整改要求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = PersonChoiceField(label=_("整改责任人"))
    section = forms.ModelChoiceField(
        label=_("责任科室"),
        queryset=Section.objects.none(),
        required=False,
        help_text=_("留空则取责任人所在科室。"),
    )
    due_on = forms.DateField(label=_("整改期限"), widget=DateInput())

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = ChecklistItem.objects.filter(campaign=campaign).order_by(
            "position", "pk"
        )
        self.fields["owner"].queryset = people_of(campaign.unit_id)
        self.fields["section"].queryset = Section.objects.filter(
            unit_id=campaign.unit_id, is_active=True
        )

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("整改期限不能早于今天。"))
        return due


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("整改情况"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class VerifyForm(forms.Form):
    opinion = forms.CharField(
        label=_("验证意见"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("退回重新整改时必须填写理由。"),
    )


class NextYearForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=150)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())

    def __init__(self, *args, campaign, **kwargs):
        year = campaign.year + 1
        title = campaign.title.replace(str(campaign.year), str(year), 1)
        if title == campaign.title:
            title = _("%(year)d年度廉政风险防控工作") % {"year": year}
        start = campaign.starts_on
        day = 28 if (start.month, start.day) == (2, 29) else start.day
        kwargs.setdefault(
            "initial",
            {"title": title, "year": year, "starts_on": start.replace(year=year, day=day)},
        )
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if Campaign.objects.filter(unit_id=self.campaign.unit_id, title=title).exists():
            raise forms.ValidationError(_("本单位已有同名的活动，请换一个名称。"))
        return title
