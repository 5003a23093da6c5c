"""The risk points of a filing: one form per point, each carrying its
measures formset, and the formset of the whole page."""

from django import forms
from django.db.models import Model
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ..models import Factor, Filing, LibraryEntry, RiskPoint
from .choices import FilingChoices, read_ratings
from .measures import CachedFieldsMixin, MeasureFormSet, PreloadedInlineFormSet
from .widgets import FACTORS, CachedChoiceField, FastHiddenInput, FastInput, FastTextarea


class FoundByField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=RiskPoint.FoundBy.choices, required=False, **kwargs)


class LibraryEntryField(forms.Field):
    """The hidden id of the library entry a point was copied from."""

    widget = FastHiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.known = set()

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Model):
            return value
        try:
            pk = int(value)
        except (TypeError, ValueError):
            return None
        # A stale id (the office removed the entry) is simply dropped.
        return LibraryEntry(pk=pk) if pk in self.known else None

    def prepare_value(self, value):
        return value.pk if isinstance(value, Model) else value

    def has_changed(self, initial, data):
        return str(self.prepare_value(initial) or "") != str(data or "")


class RiskPointForm(CachedFieldsMixin, forms.ModelForm):
    category = CachedChoiceField(label=_("风险类别"), required=True)
    power = CachedChoiceField(label=_("涉及职权"))
    power_step = CachedChoiceField(label=_("流程环节"))
    self_grade = CachedChoiceField(label=_("自评等级"))
    found_by = FoundByField(label=_("查找方式"))
    library_entry = LibraryEntryField(label=_("参考条目"))
    position = forms.IntegerField(
        required=False, min_value=0, max_value=32000, widget=FastHiddenInput
    )

    cached_fields = ("category", "power", "power_step", "self_grade", "library_entry")
    # Fields that do not count as typing in a new, otherwise blank point.
    NOT_CONTENT = frozenset({"position", "found_by", "DELETE", "id", "filing"})

    class Meta:
        model = RiskPoint
        fields = [
            "position",
            "category",
            "title",
            "content",
            "power",
            "power_step",
            "found_by",
            *FACTORS,
            "self_grade",
            "library_entry",
        ]
        widgets = {
            "title": FastInput(
                attrs={
                    "class": "form-control",
                    "placeholder": _("简要概括风险点，如“项目准入审核中收受好处”"),
                    "data-point-title": "",
                }
            ),
            "content": FastTextarea(
                attrs={
                    "rows": 3,
                    "class": "form-control",
                    "placeholder": _("可能发生的具体情形和表现形式"),
                }
            ),
        }

    def __init__(self, *args, choices: FilingChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        for name in ("category", "power", "power_step", "self_grade"):
            choices.use(self.fields[name], name)
        self.fields["category"].widget.attrs["class"] = "form-select"
        self.fields["power"].widget.attrs.update({"class": "form-select", "data-power": ""})
        if self.is_bound:
            self.fields["library_entry"].known = choices.library_ids()
        if self.instance.pk is None:
            self.instance.filing = choices.filing
            self.fields["found_by"].initial = (
                [RiskPoint.FoundBy.SELF]
                if choices.filing.kind == Filing.Kind.PERSONAL
                else [RiskPoint.FoundBy.COLLECTIVE]
            )
        self.measures = MeasureFormSet(
            self.data if self.is_bound else None,
            instance=self.instance,
            prefix=f"{self.prefix}-measures",
            objects=self.instance.measures.all() if self.instance.pk else (),
            form_kwargs={"choices": choices},
        )

    def clean(self):
        cleaned = super().clean()
        power, step = cleaned.get("power"), cleaned.get("power_step")
        if step is not None and (power is None or step.power_id != power.pk):
            self.add_error("power_step", _("所选流程环节不属于所选职权，请重新选择。"))
        return cleaned

    def has_changed(self):
        if self.instance.pk is None:
            typed = set(self.changed_data) - self.NOT_CONTENT
            return bool(typed) or self.measures.has_changed()
        return super().has_changed() or self.measures.has_changed()

    def is_valid(self):
        valid = super().is_valid()
        return self.measures.is_valid() and valid

    # What the template needs, computed without queries ----------------------

    def ratings(self):
        if self.is_bound:
            return read_ratings(self.data, self.prefix)
        return {factor: getattr(self.instance, factor) for factor in FACTORS}

    def suggestion(self):
        return self.choices.suggest(self.ratings())

    # The repeated controls of a row are built here from strings escaped once
    # per page (FilingChoices.labels): thirty points hold 720 rating buttons,
    # and a template or format_html per button would make the form slow.
    # Names and ids are made of the form prefix (letters, digits, "-", "_").

    def _errors_html(self, name):
        errors = self[name].errors
        if not errors:
            return ""
        return "".join(
            f'<div class="field-error-text" role="alert">{escape(e)}</div>' for e in errors
        )

    def factors_html(self):
        """Each factor as a group of 低/中/高 radio buttons."""
        labels = self.choices.labels()
        parts = []
        for factor in FACTORS:
            name, auto_id = self.add_prefix(factor), self.auto_id % self.add_prefix(factor)
            current = self.bound_value(factor)
            buttons = "".join(
                f'<input type="radio" class="btn-check" name="{name}" id="{auto_id}_{value}" value="{value}"'
                f' autocomplete="off"{" checked" if value == current else ""}>'
                f'<label class="rating rating-{value}" for="{auto_id}_{value}">{label}</label>'
                for value, label in labels["ratings"][factor]
            )
            errors = self._errors_html(factor)
            wide = " factor-wide" if factor == Factor.ACCOUNTABILITY else ""
            parts.append(
                f'<div class="factor{wide}{" field-error" if errors else ""}" role="radiogroup"'
                f' aria-labelledby="{auto_id}_label"><span class="factor-label" id="{auto_id}_label">'
                f'{labels["factors"][factor]}</span><span class="rating-group">{buttons}</span>{errors}</div>'
            )
        return mark_safe("".join(parts))

    def self_grade_html(self):
        name = self.add_prefix("self_grade")
        auto_id = self.auto_id % name
        current = self.bound_value("self_grade")
        return mark_safe(
            "".join(
                f'<input type="radio" class="btn-check" name="{name}" id="{auto_id}_{pk}" value="{pk}"'
                f' autocomplete="off"{" checked" if str(pk) == current else ""}>'
                f'<label class="grade-option" style="--grade: {colour}" for="{auto_id}_{pk}">{label}</label>'
                for pk, colour, label in self.choices.labels()["levels"]
            )
        )

    def found_by_html(self):
        name = self.add_prefix("found_by")
        auto_id = self.auto_id % name
        current = {str(v) for v in (self["found_by"].value() or [])}
        return mark_safe(
            "".join(
                f'<span class="form-check form-check-inline"><input class="form-check-input" type="checkbox"'
                f' name="{name}" id="{auto_id}_{key}" value="{key}"{" checked" if key in current else ""}>'
                f'<label class="form-check-label" for="{auto_id}_{key}">{label}</label></span>'
                for key, label in self.choices.labels()["found_by"]
            )
        )

    def power_step_html(self):
        """The steps of the chosen power only (the page refills the list when
        the power changes)."""
        name = self.add_prefix("power_step")
        power = self.bound_value("power")
        current = self.bound_value("power_step")
        steps = self.choices.step_labels().get(power, [])
        options = "".join(
            f'<option value="{pk}"{" selected" if str(pk) == current else ""}>{label}</option>'
            for pk, label in steps
        )
        return mark_safe(
            f'<select class="form-select" name="{name}" id="{self.auto_id % name}" data-power-step>'
            f'<option value="">—</option>{options}</select>'
        )


class BaseRiskPointFormSet(PreloadedInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.filing = self.instance
        return form

    def ordered_forms_for_display(self):
        """Forms in the order the person arranged them (kept after an error)."""

        def key(item):
            index, form = item
            value = form.bound_value("position")
            return (int(value) if value.isdigit() else 10**6, index)

        return [form for _index, form in sorted(enumerate(self.forms), key=key)]


RiskPointFormSet = forms.inlineformset_factory(
    Filing,
    RiskPoint,
    form=RiskPointForm,
    formset=BaseRiskPointFormSet,
    fields=RiskPointForm.Meta.fields,
    extra=0,
    can_delete=True,
    can_delete_extra=True,
    max_num=500,
    absolute_max=500,
)


def point_formset(filing, choices, points, data=None):
    return RiskPointFormSet(
        data,
        instance=filing,
        prefix="points",
        objects=points,
        form_kwargs={"choices": choices},
    )
