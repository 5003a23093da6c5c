from django import forms
from django.utils.translation import gettext_lazy as _

from .common import PersonField, unit_people


class DelegateForm(forms.Form):
    person = PersonField(label=_("受托人"), queryset=None)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = unit_people(unit)
