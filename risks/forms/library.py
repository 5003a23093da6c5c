"""Searching the common risk library."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
