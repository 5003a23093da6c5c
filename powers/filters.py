import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Power, PowerCategory


class PowerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("编码、名称或内容"), "type": "search"}),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("职权类别"), queryset=PowerCategory.objects.none(), empty_label=_("全部类别")
    )
    publicity = django_filters.ChoiceFilter(
        label=_("公开范围"), choices=Power.Publicity.choices, empty_label=_("全部公开范围")
    )

    class Meta:
        model = Power
        fields = ["q", "category", "publicity"]

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["category"].queryset = campaign.power_categories.all()
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(content__icontains=value)
        )
