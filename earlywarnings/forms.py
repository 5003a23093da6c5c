from datetime import timedelta

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Post, Section, User
from campaign.forms.common import PersonField, group_of, unit_people
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


class PersonChoiceField(PersonField):
    """A person of the unit, for pickers over thousands of people.

    Options are grouped by section (<optgroup>, in the organisation's order)
    and labelled "姓名（科室）"; the queryset (:func:`people_of`) selects the
    section, so the labels cost no query. ``earlywarnings/people.js`` adds a
    box that narrows the list as one types a name or a section.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", User.objects.none())
        super().__init__(*args, **kwargs)
        self.widget.attrs["data-person-picker"] = _("输入姓名或科室筛选")

    def label_from_instance(self, person):
        return _("%(name)s（%(section)s）") % {
            "name": person.full_name or person.username,
            "section": group_of(person),
        }


def people_of(unit_id):
    """Active people of the unit, by section, ready for :class:`PersonChoiceField`."""
    return unit_people(unit_id)


class TargetForm(forms.Form):
    """Choosing whom a signal or warning concerns, within the person's unit."""

    target_kind = forms.ChoiceField(
        label=_("对象类别"), choices=TargetKind.choices, initial=TargetKind.PERSON
    )
    person = PersonChoiceField(label=_("涉及人员"), required=False)
    post = forms.ModelChoiceField(label=_("涉及岗位"), queryset=Post.objects.none(), required=False)
    section = forms.ModelChoiceField(
        label=_("涉及科室"), queryset=Section.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["person"].queryset = people_of(user.unit_id)
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
        empty_label=_("（不选）"),
        help_text=_("涉及人员本人在进行中活动登记的风险点，选择涉及人员后列出；可不选。"),
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
        # Only the chosen person's few points, never every point of the unit:
        # the list follows the person field (the page reloads it with htmx),
        # and validating against it checks the point is that person's.
        self.fields["risk_point"].queryset = access.signal_risk_points(user, self._person_id())
        self.fields["risk_point"].label_from_instance = risk_point_label
        self.fields["person"].widget.attrs.update(
            {
                "hx-get": reverse("earlywarnings:signal_risk_points"),
                "hx-trigger": "change",
                "hx-target": "#id_risk_point",
                "hx-swap": "innerHTML",
            }
        )
        if not access.sees_confidential(user):
            # Those who may not read confidential signals cannot record them.
            self.fields["source"].choices = [
                c
                for c in WarningSignal.Source.choices
                if c[0] not in WarningSignal.CONFIDENTIAL_SOURCES
            ]
            del self.fields["confidential"]

    def _person_id(self):
        """The person chosen (the posted value, else the initial one), or None."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("person"))
        else:
            value = self.initial.get("person")
            value = getattr(value, "pk", value)
        return person_id_of(value)

    def clean(self):
        data = super().clean()
        if data.get("risk_point") is not None and data.get("target_kind") != TargetKind.PERSON:
            self.add_error("risk_point", _("只有涉及人员的线索可以选择相关风险点。"))
        return data


def person_id_of(value):
    """A person's id from a posted or queried value ("" and junk are None)."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def signal_label(signal):
    """A signal in a choice list of signals the person may see: its title
    (``str()`` hides a confidential one's)."""
    return signal.title


def risk_point_label(point):
    return _("%(campaign)s · %(title)s") % {"campaign": point.campaign.title, "title": point.title}


class DeductionForm(forms.Form):
    person = PersonChoiceField(label=_("人员"))
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
        self.fields["person"].queryset = people_of(user.unit_id)
        self.fields["signal"].queryset = access.visible_signals(user)
        # Only signals this person may see: named by their title.
        self.fields["signal"].label_from_instance = signal_label
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
        self.fields["signal"].label_from_instance = signal_label
        self.fields["respond_by"].initial = timezone.localdate() + timedelta(days=7)


class DisposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("处置方式"), choices=Disposal.Kind.choices)
    instructions = forms.CharField(
        label=_("处置要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    responsible = PersonChoiceField(
        label=_("责任人"), help_text=_("组织实施本项处置的人，如谈话人。")
    )
    reporter = PersonChoiceField(label=_("报告人"), help_text=_("需要报告落实情况的当事人。"))
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("responsible", "reporter"):
            self.fields[name].queryset = people_of(user.unit_id)
        self.fields["due_on"].initial = timezone.localdate() + timedelta(days=14)

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("完成期限不能早于今天。"))
        return due


class AnswerForm(forms.Form):
    response = forms.CharField(
        label=_("我的答复"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写答复内容。")},
    )


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("落实情况报告"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写落实情况报告。")},
    )


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
