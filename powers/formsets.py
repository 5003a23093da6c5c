"""Inline formsets edited in the browser with ``static/js/formset.js``.

Rows are added, removed and reordered on the page; the order travels in
each form's hidden ``ORDER`` field (``can_order``) and the DELETE checkbox
marks removals. A row the person added but left blank is ignored rather
than refused. The risks app reuses these for risk points and measures.

Usage::

    StepFormSet = sortable_inlineformset(Power, PowerStep, form=StepForm)
    formset = StepFormSet(request.POST or None, instance=power, prefix="steps")
    ...
    for position, form in enumerate(formset.ordered_forms, start=1): ...

and in the template ``{% include "powers/includes/sortable_formset.html" %}``
or your own markup with the same data attributes (see formset.js).
"""

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.forms.models import BaseInlineFormSet, BaseModelFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

BOOKKEEPING = frozenset({ORDERING_FIELD_NAME, DELETION_FIELD_NAME})


class SortableFormMixin:
    """A row that only changed its position or delete box counts as unchanged."""

    def has_changed(self):
        return any(name not in BOOKKEEPING for name in self.changed_data)


class _SortableMixin:
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if ORDERING_FIELD_NAME in form.fields:
            form.fields[ORDERING_FIELD_NAME].widget = forms.HiddenInput(
                attrs={"data-formset-order": ""}
            )
            if form.initial.get(ORDERING_FIELD_NAME) is None and index is not None:
                form.fields[ORDERING_FIELD_NAME].initial = index + 1
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = _("删除")
            form.fields[DELETION_FIELD_NAME].widget.attrs["data-formset-delete"] = ""

    @property
    def kept_forms(self):
        """The rows that will be saved, in their new order."""
        return self.ordered_forms


class SortableInlineFormSet(_SortableMixin, BaseInlineFormSet):
    pass


class SortableModelFormSet(_SortableMixin, BaseModelFormSet):
    pass


def sortable_inlineformset(parent, model, *, form, formset=SortableInlineFormSet, **kwargs):
    if not issubclass(form, SortableFormMixin):
        form = type(form.__name__, (SortableFormMixin, form), {})
    kwargs.setdefault("extra", 0)
    return inlineformset_factory(
        parent, model, form=form, formset=formset, can_order=True, can_delete=True, **kwargs
    )
