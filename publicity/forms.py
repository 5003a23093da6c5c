from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Section
from campaign.forms.common import DateInput

from .models import Window
from .services import MAX_FEEDBACK_LENGTH


class WindowForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("公示内容"), choices=Window.Scope.choices, widget=forms.RadioSelect
    )
    section = forms.ModelChoiceField(
        label=_("科室"),
        queryset=Section.objects.none(),
        required=False,
        help_text=_("公示内容为“科室廉政风险点和防控措施”时选择。"),
    )
    starts_on = forms.DateField(label=_("公示开始日期"), widget=DateInput())
    title = forms.CharField(
        label=_("公示标题"), max_length=150, required=False, help_text=_("留空则自动生成。")
    )
    show_names = forms.BooleanField(
        label=_("显示人员姓名"),
        required=False,
        help_text=_("不勾选时只显示科室和岗位，不显示填报人和责任人的姓名。"),
    )
    public = forms.BooleanField(
        label=_("同时向社会公开（生成无需登录的公开链接和二维码）"),
        required=False,
        help_text=_("仅限职权目录：公开链接只显示“向社会公开”的外部权力及其流程图。"),
    )
    supervision_phone = forms.CharField(label=_("监督电话"), max_length=40, required=False)
    note = forms.CharField(
        label=_("公示说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：对公示内容有异议的，请在公示期内通过意见栏或监督电话反映。"),
    )

    def __init__(self, *args, campaign, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "scope": Window.Scope.REGISTER,
                "starts_on": timezone.localdate(),
                "supervision_phone": campaign.supervision_phone,
            },
        )
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["section"].queryset = Section.objects.filter(
            unit_id=campaign.unit_id, is_active=True
        ).order_by("display_order", "pk")
        self.fields["starts_on"].help_text = _("公示期为本次活动设定的 %(days)d 天。") % {
            "days": campaign.publicity_days
        }

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == Window.Scope.SECTION and not data.get("section"):
            self.add_error("section", _("请选择要公示的科室。"))
        if data.get("public") and scope != Window.Scope.POWERS:
            self.add_error("public", _("只有职权目录和权力运行流程图可以向社会公开。"))
        starts_on = data.get("starts_on")
        if starts_on and starts_on < timezone.localdate():
            self.add_error("starts_on", _("公示开始日期不能早于今天。"))
        return data


class FeedbackForm(forms.Form):
    name = forms.CharField(label=_("姓名（可不填）"), max_length=60, required=False)
    contact = forms.CharField(
        label=_("联系方式（可不填）"),
        max_length=100,
        required=False,
        help_text=_("留下电话或邮箱，便于我们答复您。"),
    )
    content = forms.CharField(
        label=_("意见建议"),
        max_length=MAX_FEEDBACK_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("答复"),
        max_length=MAX_FEEDBACK_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
        error_messages={
            "required": _("请填写答复内容。"),
            "max_length": _("答复请不超过 %(limit_value)d 字（现有 %(show_value)d 字）。"),
        },
    )
