"""Formsets over rows the view has preloaded, and the measures of one risk
point (nested in each risk point's form, prefix ``points-<n>-measures``)."""

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ..models import Measure, RiskPoint
from .choices import FilingChoices
from .widgets import (
    CachedChoiceField,
    FastCheckbox,
    FastDateInput,
    FastHiddenInput,
    FastInput,
    FastSelect,
    FastTextarea,
    KnownObjectField,
    LazySelect,
)

# Formsets over preloaded rows ------------------------------------------------


class PreloadedInlineFormSet(forms.BaseInlineFormSet):
    """An inline formset over rows already loaded (prefetched) by the view."""

    deletion_widget = FastCheckbox

    def __init__(self, *args, objects=(), **kwargs):
        self._objects = list(objects)
        self._by_pk = {obj.pk: obj for obj in self._objects}
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        return self._objects

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self.model._meta.pk.name
        initial = form.fields[name].initial
        form.fields[name] = KnownObjectField(self._by_pk, initial=initial)

    def live_forms(self):
        """The forms to keep, in the order their positions say."""
        keep = []
        for index, form in enumerate(self.forms):
            if self._should_delete_form(form):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            position = form.cleaned_data.get("position")
            keep.append((position if position is not None else 10**6, index, form))
        keep.sort(key=lambda row: row[:2])
        return [form for _position, _index, form in keep]

    def delete_removed(self):
        """Delete the saved rows marked for removal. Deleted through a fresh
        query, so their history keeps the stored values, not the form's."""
        pks = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk is not None and self._should_delete_form(form)
        ]
        if pks:
            self.model._default_manager.filter(pk__in=pks).delete()


class CachedFieldsMixin:
    """Row forms whose foreign keys were checked against the page's objects:
    the model's own check would query the database for every row."""

    cached_fields = ()

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.update(self.cached_fields)
        return exclude

    def bound_value(self, name):
        value = self[name].value()
        return "" if value is None else str(value)


# The measures of one risk point ---------------------------------------------


class MeasureForm(CachedFieldsMixin, forms.ModelForm):
    owner = CachedChoiceField(label=_("责任人"), widget=LazySelect)
    position = forms.IntegerField(
        required=False, min_value=0, max_value=32000, widget=FastHiddenInput
    )

    cached_fields = ("owner",)
    # What a person types; a new row with none of it is an unused blank.
    CONTENT = ("text", "due_on", "indicator")

    class Meta:
        model = Measure
        fields = ["line", "position", "text", "owner", "due_on", "status", "indicator"]
        widgets = {
            "line": FastHiddenInput,
            "text": FastTextarea(
                attrs={
                    "rows": 2,
                    "class": "form-control form-control-sm",
                    "placeholder": _("措施内容"),
                }
            ),
            "due_on": FastDateInput(attrs={"class": "form-control form-control-sm"}),
            "status": FastSelect(attrs={"class": "form-select form-select-sm"}),
            "indicator": FastInput(
                attrs={
                    "class": "form-control form-control-sm",
                    "placeholder": _("监测指标（可选）"),
                }
            ),
        }

    def __init__(self, *args, choices: FilingChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        choices.use(self.fields["owner"], "owner")
        self.fields["owner"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["status"].choices = choices.status_choices
        if self.instance.pk is None:
            self.fields["owner"].initial = choices.default_owner_id

    def has_changed(self):
        if self.instance.pk is None:
            return any(name in self.changed_data for name in self.CONTENT)
        return super().has_changed()

    # One measure row of the form, built here rather than in a template: a
    # filing form holds ninety of them (see filing-form.js for the data-*
    # hooks). Names and ids are made of the form prefix.

    def _value(self, name):
        value = self[name].value()
        return "" if value is None else value

    def _field(self, name, label, control):
        errors = self[name].errors
        error_html = "".join(
            f'<div class="field-error-text" role="alert">{escape(e)}</div>' for e in errors
        )
        return (
            f'<div class="mf{" field-error" if errors else ""}"><label for="{self.auto_id % self.add_prefix(name)}">'
            f"{label}</label>{control}{error_html}</div>"
        )

    def item_html(self):
        labels = self.choices.labels()["measure"]
        prefix = self.prefix
        name = self.add_prefix

        def ident(field):
            return self.auto_id % name(field)

        def widget(field, **attrs):
            return self.fields[field].widget.render(
                name(field), self[field].value(), {"id": ident(field), **attrs}
            )

        hidden = "".join(
            f'<input type="hidden" name="{name(f)}" id="{ident(f)}" value="{escape(self._value(f))}">'
            for f in ("id", "line", "position")
        )
        deleted = " checked" if self["DELETE"].value() else ""
        text_errors = self["text"].errors
        general = [*self.non_field_errors(), *self["id"].errors, *self["line"].errors]
        classes = (
            "measure-item"
            + (" has-errors" if self.errors else "")
            + (" is-saved" if self.instance.pk else "")
        )
        return mark_safe(
            f'<div class="{classes}" data-measure data-prefix="{prefix}">{hidden}'
            f'<span class="d-none"><input type="checkbox" name="{name("DELETE")}" id="{ident("DELETE")}"{deleted}></span>'
            + "".join(
                f'<div class="field-error-text" role="alert">{escape(e)}</div>' for e in general
            )
            + f'<div class="measure-top"><button type="button" class="measure-drag drag-handle" data-measure-drag'
            f' tabindex="-1" aria-hidden="true" title="{labels["drag"]}"><i class="bi bi-grip-vertical"></i></button>'
            f'<div class="flex-grow-1{" field-error" if text_errors else ""}">'
            f'<label class="visually-hidden" for="{ident("text")}">{labels["text"]}</label>{widget("text")}'
            + "".join(
                f'<div class="field-error-text" role="alert">{escape(e)}</div>' for e in text_errors
            )
            + f'</div><button type="button" class="btn btn-sm btn-link text-danger measure-remove" data-remove-measure'
            f' title="{labels["remove"]}" aria-label="{labels["remove"]}"><i class="bi bi-x-lg" aria-hidden="true"></i>'
            f'</button></div><div class="measure-removed-note">{labels["removed"]} <button type="button"'
            f' class="btn btn-link btn-sm p-0" data-undo-measure>{labels["undo"]}</button></div>'
            f'<div class="measure-fields">'
            + self._field("owner", labels["owner"], widget("owner"))
            + self._field("due_on", labels["due_on"], widget("due_on"))
            + self._field("status", labels["status"], widget("status"))
            + self._field("indicator", labels["indicator"], widget("indicator"))
            + "</div></div>"
        )


class BaseMeasureFormSet(PreloadedInlineFormSet):
    @property
    def empty_form(self):
        # Its own placeholder, so cloning a new risk point (``__prefix__``)
        # leaves the measure template's placeholder alone.
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__measure__"),
            empty_permitted=True,
            use_required_attribute=False,
            renderer=self.form_renderer,
            **self.get_form_kwargs(None),
        )
        self.add_fields(form, None)
        return form

    def by_line(self):
        """The forms grouped by line of defence, each in its current order."""
        grouped = {line: [] for line in Measure.Line.values}
        for index, form in enumerate(self.forms):
            line = form.bound_value("line") or form.instance.line or Measure.Line.PREVENTION
            position = form.bound_value("position")
            grouped.setdefault(line, []).append(
                (int(position) if position.isdigit() else 10**6, index, form)
            )
        return [
            (
                line,
                label,
                [form for _p, _i, form in sorted(grouped.get(line, []), key=lambda r: r[:2])],
            )
            for line, label in Measure.Line.choices
        ]


MeasureFormSet = forms.inlineformset_factory(
    RiskPoint,
    Measure,
    form=MeasureForm,
    formset=BaseMeasureFormSet,
    fields=MeasureForm.Meta.fields,
    extra=0,
    can_delete=True,
    can_delete_extra=True,
    max_num=1000,
    absolute_max=1000,
)
