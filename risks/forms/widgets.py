"""Widgets and fields of the filing form, rendered in Python.

A filing form holds a thousand controls; a template per widget would make a
thirty-point form slow, and fields deep-copying the same choice lists for
every row would too. Choices are built once per page (:class:`SharedChoices`)
and foreign keys are checked against objects loaded once
(:class:`CachedChoiceField`, :class:`KnownObjectField`).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ..models import Factor

EMPTY_LABEL = "—"
FACTORS = list(Factor.values)
# Above this many people the owner lists hold the filer's section, the
# leadership and the current owners only (a city bureau has thousands).
OWNER_CHOICES_LIMIT = 300
DATE_FORMAT = "%Y-%m-%d"


# Choices shared by every row --------------------------------------------------


class SharedChoices(BaseChoiceIterator):
    """A choice list built once per page and shared by every row's field.

    Fields deep-copy their choices for each form; this list copies as itself,
    and :class:`FastSelect` renders it from HTML prepared once.
    """

    def __init__(self, choices):
        self.choices = list(choices)
        self._parts = None

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def __getitem__(self, index):
        return self.choices[index]

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def _option(self, value, label):
        value, label = conditional_escape(str(value)), conditional_escape(str(label))
        return (
            str(value),
            f'<option value="{value}">{label}</option>',
            f'<option value="{value}" selected>{label}</option>',
        )

    def parts(self):
        if self._parts is None:
            parts = []
            for value, label in self.choices:
                if isinstance(label, list | tuple):
                    parts.append((None, f'<optgroup label="{conditional_escape(str(value))}">', ""))
                    parts.extend(self._option(v, text) for v, text in label)
                    parts.append((None, "</optgroup>", ""))
                else:
                    parts.append(self._option(value, label))
            self._parts = parts
        return self._parts

    def options_html(self, selected) -> str:
        return "".join(
            chosen if key is not None and key in selected else plain
            for key, plain, chosen in self.parts()
        )


class FastSelect(forms.Select):
    """A select that renders :class:`SharedChoices` without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        if not isinstance(self.choices, SharedChoices):
            return super().render(name, value, attrs, renderer)
        selected = set(self.format_value(value))
        opening = format_html(
            '<select name="{}"{}>', name, flatatt(self.build_attrs(self.attrs, attrs))
        )
        return mark_safe(f"{opening}{self.choices.options_html(selected)}</select>")


# Widgets rendered in Python: a filing form holds a thousand of them, and a
# template per widget would make a thirty-point form slow.


class FastInput(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value)
        if value is not None:
            final["value"] = value
        return format_html('<input type="{}" name="{}"{}>', self.input_type, name, flatatt(final))


class FastHiddenInput(FastInput):
    input_type = "hidden"


class FastDateInput(FastInput, forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        forms.DateInput.__init__(self, attrs=attrs, format=DATE_FORMAT)


class FastTextarea(forms.Textarea):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value)
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>', name, flatatt(final), value or ""
        )


class FastCheckbox(forms.CheckboxInput):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        if self.check_test(value):
            final["checked"] = True
        value = self.format_value(value)
        if value is not None:
            final["value"] = value
        return format_html('<input type="checkbox" name="{}"{}>', name, flatatt(final))


class LazySelect(FastSelect):
    """A select rendered with only its chosen option; the page fills in the
    full list from one shared <template> (the owner lists of ninety
    measures would otherwise repeat the unit's whole staff ninety times)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        final = self.build_attrs(self.attrs, attrs)
        final["data-lazy-options"] = self.attrs.get("data-lazy-options", "owner")
        options = [
            (key, chosen)
            for key, _plain, chosen in self.choices.parts()
            if key is not None and key in selected
        ]
        inner = (
            "".join(chosen for _key, chosen in options) or '<option value="" selected>—</option>'
        )
        opening = format_html('<select name="{}"{}>', name, flatatt(final))
        return mark_safe(f"{opening}{inner}</select>")


class CachedChoiceField(forms.TypedChoiceField):
    """A foreign key chosen from objects loaded once for the whole page."""

    widget = FastSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(choices=(), empty_value=None, **kwargs)
        self.objects = {}

    def use(self, objects: dict, choices: SharedChoices):
        self.objects = objects
        self.choices = choices

    def _coerce(self, value):
        if value == self.empty_value or value in self.empty_values:
            return self.empty_value
        if isinstance(value, Model):
            return value
        try:
            return self.objects[int(value)]
        except (KeyError, ValueError, TypeError) as exc:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from exc


class KnownObjectField(forms.Field):
    """The hidden id of a row: must be one of the objects the formset holds.

    Replaces the model formset's id field, which would look each row up in
    the database (and accept any row of the table).
    """

    widget = FastHiddenInput
    default_error_messages = {"unknown": _("该条目已被删除或不属于本登记表，请刷新页面后再修改。")}

    def __init__(self, objects: dict, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.objects = objects

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Model):
            return value
        try:
            return self.objects[int(value)]
        except (KeyError, ValueError, TypeError) as exc:
            raise ValidationError(self.error_messages["unknown"], code="unknown") from exc

    def prepare_value(self, value):
        return value.pk if isinstance(value, Model) else value

    def has_changed(self, initial, data):
        return False


def shared_choices(objects, label=str, empty=True):
    rows = [(obj.pk, label(obj)) for obj in objects]
    return SharedChoices(([("", EMPTY_LABEL)] if empty else []) + rows)
