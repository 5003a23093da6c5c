"""The filter bars of the register and the list of filings (GET forms).

Every field is optional; choices come from the campaign (its sections,
categories and grade levels), so a value from another campaign is refused.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Section

from .. import states
from ..models import Filing


class _Filter(forms.Form):
    def __init__(self, data, *, campaign):
        super().__init__(data)
        self.campaign = campaign
        if "section" in self.fields:
            self.fields["section"].queryset = Section.objects.filter(
                unit_id=campaign.unit_id
            ).order_by("display_order", "pk")
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


class RegisterFilter(_Filter):
    section = forms.ModelChoiceField(
        label=_("科室"), queryset=Section.objects.none(), required=False, empty_label=_("全部科室")
    )
    category = forms.ModelChoiceField(
        label=_("风险类别"), queryset=None, required=False, empty_label=_("全部类别")
    )
    grade = forms.ChoiceField(label=_("风险等级"), required=False)
    kind = forms.ChoiceField(
        label=_("登记表类别"),
        required=False,
        choices=[("", _("全部登记表")), *Filing.Kind.choices],
    )
    status = forms.ChoiceField(
        label=_("登记表状态"),
        required=False,
        choices=[("", _("全部状态")), *Filing.Status.choices],
    )
    measures = forms.ChoiceField(
        label=_("防控措施"),
        required=False,
        choices=[
            ("", _("全部")),
            ("incomplete", _("三道防线不全")),
            ("no_owner", _("有措施未定责任人")),
        ],
    )
    unfinal = forms.BooleanField(label=_("仅看尚未评定等级"), required=False)
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": _("风险点、内容、姓名、岗位")}),
    )

    def __init__(self, data, *, campaign):
        super().__init__(data, campaign=campaign)
        self.fields["category"].queryset = campaign.risk_categories.order_by("display_order", "pk")
        self.fields["grade"].choices = [
            ("", _("全部等级")),
            *[(str(level.pk), level.label) for level in campaign.grade_levels.order_by("rank")],
            ("none", _("未定级")),
        ]
        self.fields["unfinal"].widget.attrs["class"] = "form-check-input"

    def clean_grade(self):
        value = self.cleaned_data["grade"]
        return int(value) if value not in ("", "none") else value


class FilingFilter(_Filter):
    state = forms.ChoiceField(
        label=_("填报状态"),
        required=False,
        choices=[
            ("", _("全部状态")),
            ("behind", _("尚未提交（未开始、填写中、已退回）")),
            ("unapproved", _("尚未审定")),
            *[(s.key, s.label) for s in states.STATES],
        ],
    )
    kind = forms.ChoiceField(
        label=_("登记表类别"),
        required=False,
        choices=[("", _("全部登记表")), *Filing.Kind.choices],
    )
    section = forms.ModelChoiceField(
        label=_("科室"), queryset=Section.objects.none(), required=False, empty_label=_("全部科室")
    )
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": _("姓名或科室")}),
    )
