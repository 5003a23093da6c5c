from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Post, Section, User
from campaign.models import Campaign
from campaign.uploads import AttachmentField
from risks.models import RiskPoint

from . import access
from .models import Disposal, EarlyWarning, Holiday, Level, TargetKind, WarningPolicy, WarningSignal

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(AttachmentField):
    """Several files at once, each checked like a single attachment."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("附件"))
        super().__init__(*args, **kwargs)
        self.widget = MultipleFileInput(attrs=self.widget.attrs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(AttachmentsField, self).clean(item, initial) for item in files]


class TargetForm(forms.Form):
    """Choosing whom a signal or warning concerns, within the person's unit."""

    target_kind = forms.ChoiceField(
        label=_("对象类别"), choices=TargetKind.choices, initial=TargetKind.PERSON
    )
    person = forms.ModelChoiceField(
        label=_("涉及人员"), queryset=User.objects.none(), required=False
    )
    post = forms.ModelChoiceField(label=_("涉及岗位"), queryset=Post.objects.none(), required=False)
    section = forms.ModelChoiceField(
        label=_("涉及科室"), queryset=Section.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["person"].queryset = (
            User.objects.filter(unit_id=user.unit_id, is_active=True)
            .select_related("section")
            .order_by("section__display_order", "employee_no", "pk")
        )
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.full_name}（{p.section.name if p.section else p.title}）"
        )
        self.fields["post"].queryset = Post.objects.filter(
            section__unit_id=user.unit_id
        ).select_related("section")
        self.fields["section"].queryset = Section.objects.filter(
            unit_id=user.unit_id, is_active=True
        )

    def clean(self):
        data = super().clean()
        kind = data.get("target_kind")
        needed = {
            TargetKind.PERSON: "person",
            TargetKind.POST: "post",
            TargetKind.SECTION: "section",
        }.get(kind)
        if needed and not data.get(needed):
            self.add_error(needed, _("请选择。"))
        return data

    def target(self):
        data = self.cleaned_data
        return {
            "target_kind": data["target_kind"],
            "person": data.get("person"),
            "post": data.get("post"),
            "section": data.get("section"),
        }


class SignalForm(TargetForm):
    source = forms.ChoiceField(label=_("信息来源"), choices=WarningSignal.Source.choices)
    title = forms.CharField(label=_("摘要"), max_length=150)
    description = forms.CharField(label=_("具体情况"), widget=forms.Textarea(attrs={"rows": 5}))
    received_on = forms.DateField(label=_("收到日期"), widget=DATE)
    confidential = forms.BooleanField(
        label=_("保密"),
        required=False,
        help_text=_("保密线索只有纪检组和办公室主任可见；信访举报线索一律保密。"),
    )
    risk_point = forms.ModelChoiceField(
        label=_("相关风险点"),
        queryset=RiskPoint.objects.none(),
        required=False,
        help_text=_("本单位进行中活动登记的风险点，可不选。"),
    )
    files = AttachmentsField()

    field_order = [
        "source",
        "title",
        "received_on",
        "target_kind",
        "person",
        "post",
        "section",
        "description",
        "risk_point",
        "confidential",
        "files",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["risk_point"].queryset = (
            RiskPoint.objects.filter(
                campaign__unit_id=user.unit_id, campaign__status=Campaign.Status.RUNNING
            )
            .select_related("filing__owner", "filing__section")
            .order_by("filing__section__display_order", "filing_id", "position")
        )
        self.fields["risk_point"].label_from_instance = lambda p: (
            f"{p.filing.owner or p.filing.section or _('单位')} · {p.title}"
        )
        if not access.sees_confidential(user):
            # Those who may not read confidential signals cannot record them.
            self.fields["source"].choices = [
                c
                for c in WarningSignal.Source.choices
                if c[0] not in WarningSignal.CONFIDENTIAL_SOURCES
            ]
            del self.fields["confidential"]


class DeductionForm(forms.Form):
    person = forms.ModelChoiceField(label=_("人员"), queryset=User.objects.none())
    points = forms.IntegerField(label=_("扣分"), min_value=1, max_value=100)
    reason = forms.CharField(
        label=_("扣分事由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("当事人本人可以看到；请勿写入举报人或信访举报的内容。"),
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    signal = forms.ModelChoiceField(
        label=_("依据线索"), queryset=WarningSignal.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(
            unit_id=user.unit_id, is_active=True
        ).select_related("section")
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.full_name}（{p.section.name if p.section else p.title}）"
        )
        self.fields["signal"].queryset = access.visible_signals(user)
        self.fields["year"].initial = timezone.localdate().year


class WarningForm(TargetForm):
    level = forms.ChoiceField(label=_("预警等级"), choices=Level.choices)
    title = forms.CharField(label=_("标题"), max_length=150)
    message = forms.CharField(label=_("预警内容"), widget=forms.Textarea(attrs={"rows": 5}))
    respond_by = forms.DateField(label=_("答复期限"), widget=DATE)
    signal = forms.ModelChoiceField(
        label=_("来源线索"), queryset=WarningSignal.objects.none(), required=False
    )

    field_order = [
        "level",
        "target_kind",
        "person",
        "post",
        "section",
        "title",
        "message",
        "respond_by",
        "signal",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["signal"].queryset = access.visible_signals(user)
        self.fields["respond_by"].initial = timezone.localdate() + timedelta(days=7)


class DisposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("处置方式"), choices=Disposal.Kind.choices)
    instructions = forms.CharField(
        label=_("处置要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    responsible = forms.ModelChoiceField(
        label=_("责任人"),
        queryset=User.objects.none(),
        help_text=_("组织实施本项处置的人，如谈话人。"),
    )
    reporter = forms.ModelChoiceField(
        label=_("报告人"), queryset=User.objects.none(), help_text=_("需要报告落实情况的当事人。")
    )
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(unit_id=user.unit_id, is_active=True).select_related("section")
        for name in ("responsible", "reporter"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda p: (
                f"{p.full_name}（{p.section.name if p.section else p.title}）"
            )
        self.fields["due_on"].initial = timezone.localdate() + timedelta(days=14)


class AnswerForm(forms.Form):
    response = forms.CharField(label=_("我的答复"), widget=forms.Textarea(attrs={"rows": 4}))


class ReportForm(forms.Form):
    report = forms.CharField(label=_("落实情况报告"), widget=forms.Textarea(attrs={"rows": 4}))


class EvaluationForm(forms.Form):
    evaluation = forms.CharField(label=_("评估意见"), widget=forms.Textarea(attrs={"rows": 3}))
    adequate = forms.TypedChoiceField(
        label=_("评估结论"),
        choices=[("1", _("整改到位")), ("0", _("整改未到位"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )


class CloseWarningForm(forms.Form):
    note = forms.CharField(
        label=_("办结说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "name"]
        widgets = {"date": DATE}


class PolicyForm(forms.ModelForm):
    class Meta:
        model = WarningPolicy
        fields = [
            "base_points",
            "level_c_at",
            "level_b_at",
            "level_a_at",
            "response_days",
            "reviewer_waiting_days",
            "holiday_notice_days",
        ]


class _SmallWidgets:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


class WarningFilterForm(_SmallWidgets, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    level = forms.ChoiceField(
        label=_("等级"), choices=[("", _("全部等级")), *Level.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *EarlyWarning.Status.choices], required=False
    )
    target_kind = forms.ChoiceField(
        label=_("对象"), choices=[("", _("全部对象")), *TargetKind.choices], required=False
    )
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[("", _("全部来源")), *WarningSignal.Source.choices],
        required=False,
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


class SignalFilterForm(_SmallWidgets, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[("", _("全部来源")), *WarningSignal.Source.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部状态")), *WarningSignal.Status.choices],
        required=False,
    )
