"""Widgets and fields shared by the campaign forms (and the apps above)."""

from decimal import Decimal

from django import forms
from django.db.models import F
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class DateInput(forms.DateInput):
    """A browser date picker; the value travels as ISO 8601."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def unit_people(unit):
    """Active people of the unit, in organisation order, ready for a choice list."""
    return (
        # The system administrator runs the admin site; they are not staff to pick.
        User.objects.filter(unit=unit, is_active=True, is_superuser=False)
        .select_related("section")
        .order_by(
            F("section__display_order").asc(nulls_first=True), "section_id", "employee_no", "pk"
        )
    )


def group_of(person) -> str:
    if person.section_id:
        return person.section.name
    if person.rank == User.Rank.LEADER:
        return str(_("单位领导"))
    return str(_("未分配科室"))


def group_people(people) -> list[tuple[str, list]]:
    """[(section name, [people])] keeping the order of ``people``; those
    without a section who are not leaders come last."""
    groups: dict[str, list] = {}
    for person in people:
        groups.setdefault(group_of(person), []).append(person)
    unassigned = str(_("未分配科室"))
    return sorted(groups.items(), key=lambda item: item[0] == unassigned)


class _GroupedBySection(ModelChoiceIterator):
    """Options grouped under their section (<optgroup>), leaders first."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for group, people in group_people(self.queryset):
            yield (group, [self.choice(person) for person in people])


class _PersonLabel:
    def label_from_instance(self, person):
        if person.title:
            return f"{person.full_name}（{person.title}）"
        return person.full_name or person.username


class PersonField(_PersonLabel, forms.ModelChoiceField):
    iterator = _GroupedBySection

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("请选择人员"))
        super().__init__(*args, **kwargs)


class PeopleField(_PersonLabel, forms.ModelMultipleChoiceField):
    iterator = _GroupedBySection

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": 12}))
        super().__init__(*args, **kwargs)


class PercentField(forms.IntegerField):
    """A share typed as a whole percent (20) and returned as a ratio (0.20)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": 1}))
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        # A stored ratio (Decimal, or the model's float default) shows as a percent.
        if isinstance(value, Decimal | float):
            return int((Decimal(str(value)) * 100).to_integral_value())
        return value

    def clean(self, value):
        percent = super().clean(value)
        if percent is None:
            return None
        return (Decimal(percent) / 100).quantize(Decimal("0.01"))


def high_grade_field():
    return PercentField(
        label=_("高等级风险点占比参考上限（%）"),
        initial=20,
        help_text=_("提示性指标，不是硬性限制：定级时超过这一比例会提醒办公室复核。"),
    )
