"""The plan page: every stage's dates with its milestones, and completing a stage."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ..models import Milestone, Stage
from .common import DateInput


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["starts_on", "due_on", "description"]
        widgets = {
            "starts_on": DateInput(attrs={"class": "form-control form-control-sm"}),
            "due_on": DateInput(attrs={"class": "form-control form-control-sm"}),
            "description": forms.Textarea(
                attrs={"rows": 2, "class": "form-control form-control-sm"}
            ),
        }


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "responsible", "section"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "due_on": DateInput(attrs={"class": "form-control form-control-sm"}),
            "responsible": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "section": forms.Select(attrs={"class": "form-select form-select-sm"}),
        }

    def __init__(self, *args, sections, section_choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["section"]
        field.queryset = sections
        field.empty_label = _("（不指定）")
        # One query for the whole page instead of one per row.
        field.widget.choices = section_choices


class BaseMilestoneFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, sections, **kwargs):
        section_choices = [("", _("（不指定）"))] + [(s.pk, s.name) for s in sections]
        kwargs["form_kwargs"] = {"sections": sections, "section_choices": section_choices}
        super().__init__(*args, **kwargs)


MilestoneFormSet = inlineformset_factory(
    Stage,
    Milestone,
    form=MilestoneForm,
    formset=BaseMilestoneFormSet,
    extra=0,
    can_delete=True,
)


class CompleteStageForm(forms.Form):
    reason = forms.CharField(
        label=_("未完成事项说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("本阶段还有未完成的工作时必须填写：说明原因以及后续如何补齐。"),
    )
