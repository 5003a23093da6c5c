"""Forms of the filing pages.

The filing form is one page per filing: a small filing-level form (the
hidden version for the stale-copy check, the section meeting date) and a
risk-point formset whose every form carries its own nested measures formset
(prefix ``points-<n>-measures``). A filing may hold thirty points with ninety
measures, so everything the rows choose from (categories, grades, powers and
their steps, people) is loaded once per page by :class:`FilingChoices` and
shared by every row: rendering or validating the page runs no query per row.

Also here: the submission with the pledge, the review of one step, evidence
uploads and the library search.
"""

from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from campaign.models import GradeLevel, RiskCategory, StepRole
from campaign.uploads import AttachmentField
from powers.models import Power, PowerStep

from . import scoring, uploads
from .models import Factor, Filing, LibraryEntry, Measure, RiskPoint

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


def _shared(objects, label=str, empty=True):
    rows = [(obj.pk, label(obj)) for obj in objects]
    return SharedChoices(([("", EMPTY_LABEL)] if empty else []) + rows)


def powers_for(filing):
    """The powers a filing's risk points may link to: those of the filer's
    section; a leader's, those of the sections they supervise; the unit's
    filing, all powers of the campaign."""
    powers = Power.objects.filter(campaign_id=filing.campaign_id)
    if filing.section_id:
        powers = powers.filter(section_id=filing.section_id)
    elif filing.kind == Filing.Kind.PERSONAL:
        powers = powers.filter(section__supervising_leaders=filing.owner_id)
    return powers.select_related("category").order_by("section__display_order", "sequence", "pk")


def default_owner_id(filing):
    """Who a new measure belongs to: the filer (the section head for a section)."""
    if filing.kind == Filing.Kind.PERSONAL:
        return filing.owner_id
    if filing.kind == Filing.Kind.SECTION:
        return filing.section.head_id if filing.section_id else None
    return None


def owner_people(filing, *, current_owner_ids=()):
    """Who may own a measure: the unit's active people (in a large unit, the
    filer's section and the leadership), and whoever owns one now."""
    people = User.objects.filter(unit_id=filing.campaign.unit_id, is_active=True)
    if people.count() > OWNER_CHOICES_LIMIT:
        keep = Q(rank=User.Rank.LEADER)
        if filing.section_id:
            keep |= Q(section_id=filing.section_id)
        if filing.owner_id:
            keep |= Q(pk=filing.owner_id)
        people = people.filter(keep)
    people = User.objects.filter(Q(pk__in=people.values("pk")) | Q(pk__in=list(current_owner_ids)))
    people = people.select_related("section")
    return list(people.order_by("section__display_order", "section_id", "employee_no", "pk"))


def _person_label(person):
    # Names only: the lists sit in narrow columns, grouped by section.
    return str(person)


def _grouped_people(people):
    groups = {}
    for person in people:
        if person.section_id:
            group = person.section.name
        elif person.rank == User.Rank.LEADER:
            group = str(_("单位领导"))
        else:
            group = str(_("未分配科室"))
        groups.setdefault(group, []).append((person.pk, _person_label(person)))
    return SharedChoices([("", EMPTY_LABEL), *groups.items()])


class FilingChoices:
    """Everything the filing form chooses from, loaded once per page."""

    def __init__(self, filing, points=()):
        self.filing = filing
        campaign = filing.campaign
        self.categories = list(RiskCategory.objects.filter(campaign=campaign))
        self.levels = list(GradeLevel.objects.filter(campaign=campaign).order_by("rank"))
        self.powers = list(powers_for(filing))
        self.steps = (
            list(
                PowerStep.objects.filter(power__in=[p.pk for p in self.powers]).order_by(
                    "power_id", "position", "pk"
                )
            )
            if self.powers
            else []
        )
        owners = {m.owner_id for point in points for m in point.measures.all() if m.owner_id}
        self.people = owner_people(filing, current_owner_ids=owners)
        self.default_owner_id = default_owner_id(filing)
        self.scoring = scoring.Settings.for_campaign(campaign)

        self.category_by_pk = {c.pk: c for c in self.categories}
        self.level_by_pk = {level.pk: level for level in self.levels}
        self.level_by_rank = {level.rank: level for level in self.levels}
        self.power_by_pk = {p.pk: p for p in self.powers}
        self.step_by_pk = {s.pk: s for s in self.steps}
        self.person_by_pk = {p.pk: p for p in self.people}
        self.steps_by_power = defaultdict(list)
        for step in self.steps:
            self.steps_by_power[step.power_id].append(step)

        self.category_choices = _shared(self.categories)
        self.level_choices = _shared(self.levels, lambda level: level.label)
        self.power_choices = _shared(self.powers, lambda p: f"{p.code} {p.name}")
        self.step_choices = _shared(self.steps, lambda s: f"{s.position}. {s.name}")
        self.people_choices = _grouped_people(self.people)
        self.status_choices = SharedChoices(Measure.Status.choices)
        self._library_ids = None
        self._labels = None
        self._step_labels = None

    def use(self, field, name):
        objects, choices = {
            "category": (self.category_by_pk, self.category_choices),
            "self_grade": (self.level_by_pk, self.level_choices),
            "power": (self.power_by_pk, self.power_choices),
            "power_step": (self.step_by_pk, self.step_choices),
            "owner": (self.person_by_pk, self.people_choices),
        }[name]
        field.use(objects, choices)

    def library_ids(self):
        if self._library_ids is None:
            self._library_ids = set(LibraryEntry.objects.values_list("pk", flat=True))
        return self._library_ids

    def suggest(self, ratings):
        """The suggested level and its reason for these factor ratings, or (None, "")."""
        labels = {rank: level.label for rank, level in self.level_by_rank.items()}
        suggestion = scoring.suggest(ratings, self.scoring, labels)
        if suggestion is None:
            return None, ""
        return self.level_by_rank.get(suggestion.rank), suggestion.reason

    def labels(self):
        """Labels of the repeated controls, escaped once per page."""
        if self._labels is None:
            self._labels = {
                "factors": {f: escape(RiskPoint._meta.get_field(f).verbose_name) for f in FACTORS},
                "ratings": {
                    f: [
                        (str(v), escape(label)) for v, label in RiskPoint._meta.get_field(f).choices
                    ]
                    for f in FACTORS
                },
                "levels": [
                    (level.pk, escape(level.colour), escape(level.label)) for level in self.levels
                ],
                "found_by": [(key, escape(label)) for key, label in RiskPoint.FoundBy.choices],
                "measure": {
                    key: escape(text)
                    for key, text in {
                        "drag": _("拖动调整顺序"),
                        "text": _("措施内容"),
                        "remove": _("删除此措施"),
                        "removed": _("将删除此措施"),
                        "undo": _("撤销"),
                        "owner": _("责任人"),
                        "due_on": _("完成时限"),
                        "status": _("落实情况"),
                        "indicator": _("监测指标"),
                    }.items()
                },
            }
        return self._labels

    def step_labels(self):
        if self._step_labels is None:
            self._step_labels = {
                str(power_id): [(s.pk, escape(f"{s.position}. {s.name}")) for s in steps]
                for power_id, steps in self.steps_by_power.items()
            }
        return self._step_labels

    def steps_json(self):
        return {
            str(power_id): [[s.pk, f"{s.position}. {s.name}"] for s in steps]
            for power_id, steps in self.steps_by_power.items()
        }

    def categories_json(self):
        return {c.name: c.pk for c in self.categories}


def read_ratings(data, prefix=""):
    """Factor ratings from submitted data (``<prefix>-likelihood`` …)."""
    ratings = {}
    for factor in FACTORS:
        value = data.get(f"{prefix}-{factor}" if prefix else factor)
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        ratings[factor] = number if number in (1, 2, 3) else None
    return ratings


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


class _CachedFieldsMixin:
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


class MeasureForm(_CachedFieldsMixin, forms.ModelForm):
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


# One risk point ---------------------------------------------------------------


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


class RiskPointForm(_CachedFieldsMixin, forms.ModelForm):
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


class FilingForm(forms.Form):
    """The filing-level part of the form."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    section_meeting_on = forms.DateField(
        label=_("科室集体研究日期"),
        required=False,
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"type": "date", "class": "form-control"}),
        help_text=_("科室登记表须经科室集体研究，提交前填写。"),
    )

    def __init__(self, *args, filing, **kwargs):
        kwargs.setdefault(
            "initial", {"version": filing.version, "section_meeting_on": filing.section_meeting_on}
        )
        super().__init__(*args, **kwargs)
        if filing.kind != Filing.Kind.SECTION:
            del self.fields["section_meeting_on"]


# Submitting -------------------------------------------------------------------


class SubmitForm(forms.Form):
    section_meeting_on = forms.DateField(
        label=_("科室集体研究日期"),
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"type": "date", "class": "form-control"}),
        error_messages={"required": _("请填写科室集体研究本登记表的日期。")},
    )
    agree = forms.BooleanField(
        label=_("我已阅读并承诺"),
        error_messages={"required": _("请阅读承诺内容并勾选“我已阅读并承诺”。")},
    )

    def __init__(self, *args, filing, **kwargs):
        kwargs.setdefault("initial", {"section_meeting_on": filing.section_meeting_on})
        super().__init__(*args, **kwargs)
        if filing.kind != Filing.Kind.SECTION:
            del self.fields["section_meeting_on"]


# Reviewing --------------------------------------------------------------------


class ReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"

    opinion = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("同意时可填写意见；退回时必须填写退回理由。"),
    )
    meeting_date = forms.DateField(
        label=_("党委（党组）会议日期"),
        required=False,
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"type": "date", "class": "form-control"}),
    )

    def __init__(self, *args, points, levels, step, baselines, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.points, self.step, self.action = points, step, action
        self.baselines = baselines
        self.levels = list(levels)
        by_pk = {level.pk: level for level in self.levels}
        choices = _shared(self.levels, lambda level: level.label, empty=False)
        for point in points:
            current = point.grade or baselines.get(point.pk)
            field = CachedChoiceField(
                label=_("等级"), required=True, initial=current.pk if current else None
            )
            field.use(by_pk, choices)
            field.widget.attrs.update(
                {"class": "form-select form-select-sm", "data-review-grade": ""}
            )
            self.fields[f"grade_{point.pk}"] = field
            self.fields[f"reason_{point.pk}"] = forms.CharField(
                label=_("调整理由"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(
                    attrs={
                        "rows": 1,
                        "class": "form-control form-control-sm",
                        "data-review-reason": "",
                    }
                ),
            )
        if step.role != StepRole.PARTY_COMMITTEE:
            del self.fields["meeting_date"]

    def clean(self):
        cleaned = super().clean()
        if self.action == self.RETURN and not (cleaned.get("opinion") or "").strip():
            self.add_error("opinion", _("退回时必须填写退回理由。"))
        if (
            self.action == self.APPROVE
            and "meeting_date" in self.fields
            and not cleaned.get("meeting_date")
            and "meeting_date" not in self.errors
        ):
            self.add_error("meeting_date", _("党委（党组）审核须填写会议日期。"))
        return cleaned

    def grades(self):
        return {
            point.pk: (
                self.cleaned_data[f"grade_{point.pk}"],
                self.cleaned_data.get(f"reason_{point.pk}", ""),
            )
            for point in self.points
        }

    def mark_missing_reasons(self):
        """Put "reason needed" next to each point graded below its baseline without one."""
        for point in self.points:
            level = self.cleaned_data.get(f"grade_{point.pk}")
            baseline = self.baselines.get(point.pk)
            reason = (self.cleaned_data.get(f"reason_{point.pk}") or "").strip()
            if (
                level is not None
                and baseline is not None
                and level.rank > baseline.rank
                and not reason
            ):
                self.add_error(
                    f"reason_{point.pk}",
                    _("低于%(level)s须说明理由（就高不就低）。") % {"level": baseline.label},
                )

    def rows(self):
        return [
            {
                "point": point,
                "grade": self[f"grade_{point.pk}"],
                "reason": self[f"reason_{point.pk}"],
                "baseline": self.baselines.get(point.pk),
            }
            for point in self.points
        ]


# Evidence and the library ------------------------------------------------------


class EvidenceField(AttachmentField):
    """An attachment of the kinds evidence may be (no slides)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("支持 PDF、Word、Excel、JPG、PNG 和 TXT 文件。"))
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": uploads.ACCEPT}))
        super().__init__(**kwargs)
        self.validators = [uploads.validate_evidence]


class EvidenceForm(forms.Form):
    file = EvidenceField(label=_("佐证材料"))


class LibrarySearchForm(forms.Form):
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": _("风险点、表现形式或关键词")}
        ),
    )
    area = forms.ChoiceField(
        label=_("领域"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    category = forms.ChoiceField(
        label=_("风险类别"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, areas=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("全部领域")), *((a, a) for a in areas)]
        self.fields["category"].choices = [("", _("全部类别")), *((c, c) for c in categories)]

    def filter(self, entries):
        """The matching entries, as a list. The library is a few hundred rows,
        and its keywords are a JSON list, so words are matched here."""
        if self.is_valid():
            data = self.cleaned_data
            if data["area"]:
                entries = entries.filter(area=data["area"])
            if data["category"]:
                entries = entries.filter(category_name=data["category"])
            words = [w.lower() for w in (data["q"] or "").split()]
        else:
            words = []
        entries = list(entries)
        if words:
            entries = [e for e in entries if all(w in _library_text(e) for w in words)]
        return entries


def _library_text(entry):
    return " ".join(
        [
            entry.code,
            entry.area,
            entry.category_name,
            entry.title,
            entry.content,
            *entry.keywords,
            entry.prevention,
            entry.monitoring,
            entry.handling,
        ]
    ).lower()
