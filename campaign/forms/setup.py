"""Leading group, grading and categories, approval chains."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import (
    ChainTemplate,
    FilerRank,
    GradeLevel,
    LeadingGroupMember,
    RiskCategory,
    StepRole,
    Subject,
)
from .common import PersonField, high_grade_field, unit_people


class LeadingGroupMemberForm(forms.ModelForm):
    person = PersonField(label=_("人员"), queryset=None)

    class Meta:
        model = LeadingGroupMember
        fields = ["person", "role", "duty", "display_order"]
        help_texts = {"display_order": _("同一职务内按此数字从小到大排列。")}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["person"].queryset = unit_people(campaign.unit)

    def clean_person(self):
        person = self.cleaned_data["person"]
        seats = LeadingGroupMember.objects.filter(campaign=self.campaign, person=person)
        if self.instance.pk:
            seats = seats.exclude(pk=self.instance.pk)
        if seats.exists():
            raise forms.ValidationError(_("%(person)s 已在领导小组中。") % {"person": person})
        return person


class GradeLevelForm(forms.ModelForm):
    class Meta:
        model = GradeLevel
        fields = ["label", "colour"]
        widgets = {
            "label": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "colour": forms.TextInput(
                attrs={"class": "form-control form-control-sm colour-input", "maxlength": 7}
            ),
        }


class BaseGradeLevelFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        labels = [f.cleaned_data.get("label") for f in self.forms if f.cleaned_data]
        if len(set(labels)) != len(labels):
            raise forms.ValidationError(_("各风险等级的名称不能相同。"))


GradeLevelFormSet = forms.modelformset_factory(
    GradeLevel, form=GradeLevelForm, formset=BaseGradeLevelFormSet, extra=0
)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = RiskCategory
        fields = ["name", "description", "display_order"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "description": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "display_order": forms.NumberInput(
                attrs={"class": "form-control form-control-sm order-input", "min": 0}
            ),
        }


class BaseCategoryFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data
            and not self._should_delete_form(f)
            and not (f in self.extra_forms and not f.has_changed())
        ]
        names = [data.get("name") for data in kept if data.get("name")]
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("风险类别的名称不能重复。"))
        if not names:
            raise forms.ValidationError(_("至少保留一个风险类别。"))


CategoryFormSet = forms.modelformset_factory(
    RiskCategory, form=CategoryForm, formset=BaseCategoryFormSet, extra=0, can_delete=True
)


class HighGradeForm(forms.Form):
    high_grade_ratio = high_grade_field()


MAX_STEPS = 5


class ChainForm(forms.Form):
    subject = forms.ChoiceField(label=_("审核对象"), choices=Subject.choices)
    filer_rank = forms.ChoiceField(
        label=_("填报人职级"),
        choices=FilerRank.choices,
        help_text=_("“不限”适用于没有单独设置流程的所有职级。"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, campaign, chain=None, **kwargs):
        if chain is not None and "initial" not in kwargs:
            roles = [step.role for step in chain.steps.all()]
            kwargs["initial"] = {
                "subject": chain.subject,
                "filer_rank": chain.filer_rank,
                "note": chain.note,
                **{f"step_{i}": role for i, role in enumerate(roles, start=1)},
            }
        super().__init__(*args, **kwargs)
        self.campaign, self.chain = campaign, chain
        for i in range(1, MAX_STEPS + 1):
            self.fields[f"step_{i}"] = forms.ChoiceField(
                label=_("第 %(n)d 步") % {"n": i},
                choices=[("", _("（无）"))] + list(StepRole.choices),
                required=False,
            )

    def step_fields(self):
        return [self[f"step_{i}"] for i in range(1, MAX_STEPS + 1)]

    def clean(self):
        data = super().clean()
        roles = [data.get(f"step_{i}") for i in range(1, MAX_STEPS + 1)]
        roles = [role for role in roles if role]
        if not roles:
            raise forms.ValidationError(_("至少选择一个审核环节。"))
        if len(set(roles)) != len(roles):
            raise forms.ValidationError(_("同一审核角色在流程中只能出现一次。"))
        data["roles"] = roles
        subject, rank = data.get("subject"), data.get("filer_rank")
        if subject and rank:
            clash = ChainTemplate.objects.filter(
                campaign=self.campaign, subject=subject, filer_rank=rank
            )
            if self.chain is not None:
                clash = clash.exclude(pk=self.chain.pk)
            if clash.exists():
                raise forms.ValidationError(
                    _("该审核对象和填报人职级的流程已经存在，请直接修改它。")
                )
        return data
