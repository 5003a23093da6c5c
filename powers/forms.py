from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Layout, Row
from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.models import Post
from campaign.models import Campaign

from .formsets import SortableFormMixin, SortableModelFormSet, sortable_inlineformset
from .models import Power, PowerCategory, PowerStep
from .services import code_taken_message


class PowerForm(forms.ModelForm):
    class Meta:
        model = Power
        fields = [
            "code",
            "name",
            "category",
            "direction",
            "content",
            "legal_basis",
            "posts",
            "procedure",
            "time_limit",
            "responsibility",
            "supervision_channel",
            "publicity",
            "unpublished_reason",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "procedure": forms.Textarea(attrs={"rows": 3}),
            "responsibility": forms.Textarea(attrs={"rows": 2}),
            "posts": forms.CheckboxSelectMultiple,
            "direction": forms.RadioSelect,
            "publicity": forms.RadioSelect,
        }
        help_texts = {
            "code": _("按“科室编码-序号”自动生成，可修改；同一活动内不能重复。"),
            "legal_basis": _("法律、法规、规章或规范性文件的名称及条款。"),
            "posts": _("本科室行使该项职权的岗位。"),
            "procedure": _("办理程序概述；详细步骤在下方流程图中编辑。"),
            "supervision_channel": _("如：监督电话、纪检组、网上投诉渠道。"),
            "unpublished_reason": _("选择“不公开”时必填，如“涉及商业秘密”。"),
        }

    def __init__(self, *args, campaign, section, suggested_code="", **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign, self.section = campaign, section
        self.fields["code"].required = False
        if not self.instance.pk and suggested_code:
            self.initial["code"] = suggested_code
        self.fields["category"].queryset = campaign.power_categories.all()
        self.fields["category"].empty_label = _("请选择类别")
        self.fields["posts"].queryset = Post.objects.filter(section=section)
        self.fields["posts"].label_from_instance = lambda post: post.name
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("code", css_class="col-md-3"), Column("name", css_class="col-md-9")),
            Row(
                Column("category", css_class="col-md-4"), Column("direction", css_class="col-md-8")
            ),
            "content",
            "legal_basis",
            Row(Column("posts", css_class="col-md-6"), Column("time_limit", css_class="col-md-6")),
            "procedure",
            "responsibility",
            "supervision_channel",
            Row(
                Column("publicity", css_class="col-md-5"),
                Column(
                    Div("unpublished_reason", css_id="unpublished-reason"), css_class="col-md-7"
                ),
            ),
        )

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip()
        if code:
            other = (
                Power.objects.filter(campaign=self.campaign, code=code)
                .exclude(pk=self.instance.pk)
                .select_related("section")
                .first()
            )
            if other is not None:
                raise forms.ValidationError(code_taken_message(other))
        return code

    def clean(self):
        cleaned = super().clean()
        reason = (cleaned.get("unpublished_reason") or "").strip()
        if cleaned.get("publicity") == Power.Publicity.UNPUBLISHED and not reason:
            self.add_error("unpublished_reason", _("选择“不公开”时必须填写不公开的理由。"))
        elif cleaned.get("publicity") != Power.Publicity.UNPUBLISHED:
            cleaned["unpublished_reason"] = ""
        return cleaned


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, post):
        return f"{post.section.name}·{post.name}"


class StepForm(SortableFormMixin, forms.ModelForm):
    class Meta:
        model = PowerStep
        fields = ["name", "post", "responsible", "time_limit", "checks", "is_risk"]
        field_classes = {"post": PostChoiceField}
        widgets = {"checks": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, post_choices=None, post_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if post_queryset is not None:
            self.fields["post"].queryset = post_queryset
        if post_choices is not None:
            # Built once for the whole formset: no query per row.
            self.fields["post"].choices = post_choices
        self.fields["post"].empty_label = _("（不属某一岗位）")
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"
        self.fields["responsible"].widget.attrs["placeholder"] = _("如：分管领导")
        self.fields["time_limit"].widget.attrs["placeholder"] = _("如：3个工作日")
        self.fields["checks"].widget.attrs["placeholder"] = _("本环节审查、把关的内容")

    def clean(self):
        cleaned = super().clean()
        actor = cleaned.get("post") or (cleaned.get("responsible") or "").strip()
        if not actor and not self.errors:
            self.add_error("post", _("请选择责任岗位，或填写责任主体。"))
        return cleaned


_StepFormSet = sortable_inlineformset(Power, PowerStep, form=StepForm)


class StepFormSet(_StepFormSet):
    """The flowchart steps of a power; the responsible post is any post of the unit,
    the power's own section first."""

    def __init__(self, *args, campaign, section, **kwargs):
        posts = (
            Post.objects.filter(section__unit_id=campaign.unit_id, section__is_active=True)
            .select_related("section")
            .annotate(
                own=Case(
                    When(section=section, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("own", "section__display_order", "section_id", "display_order", "id")
        )
        self.post_queryset = posts
        self._post_choices = None
        super().__init__(*args, **kwargs)

    def post_choices(self):
        if self._post_choices is None:
            field = PostChoiceField(queryset=self.post_queryset, empty_label=_("（不属某一岗位）"))
            self._post_choices = list(field.choices)
        return self._post_choices

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["post_queryset"] = self.post_queryset
        kwargs["post_choices"] = self.post_choices()
        return kwargs


class CategoryForm(SortableFormMixin, forms.ModelForm):
    class Meta:
        model = PowerCategory
        fields = ["name", "group"]


class BaseCategoryFormSet(SortableModelFormSet):
    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form in self.deleted_forms:
                continue
            name = (form.cleaned_data.get("name") or "").strip()
            if not name:
                continue
            if name in seen:
                form.add_error("name", _("类别名称“%(name)s”重复。") % {"name": name})
            seen[name] = form
        for form in self.deleted_forms:
            category = form.instance
            if category.pk and category.powers.exists():
                form.add_error(
                    None,
                    _("“%(name)s”已有 %(count)d 项职权使用，不能删除。")
                    % {"name": category.name, "count": category.powers.count()},
                )


CategoryFormSet = forms.modelformset_factory(
    PowerCategory,
    form=CategoryForm,
    formset=BaseCategoryFormSet,
    extra=0,
    can_order=True,
    can_delete=True,
)


class ApproveForm(forms.Form):
    opinion = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CarryOverForm(forms.Form):
    previous = forms.ModelChoiceField(
        label=_("从以下年度活动导入"), queryset=Campaign.objects.none()
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous"].queryset = (
            Campaign.objects.filter(unit_id=campaign.unit_id, powers__isnull=False)
            .exclude(pk=campaign.pk)
            .distinct()
            .order_by("-year", "-id")
        )
        if campaign.previous_id:
            self.fields["previous"].initial = campaign.previous_id
