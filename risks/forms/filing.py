"""The filing-level part of the filing form (the hidden version for the
stale-copy check, the section meeting date) and the submission with the
pledge (the same version check)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Filing
from .widgets import DATE_FORMAT


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
    """Signing the pledge. ``version`` is the filing's version when the page
    was opened: the service refuses the submission if the filing was saved
    since (the pledge quotes its risk points). A post without it (a page
    opened before the field existed) is not checked."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
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
        kwargs.setdefault(
            "initial", {"version": filing.version, "section_meeting_on": filing.section_meeting_on}
        )
        super().__init__(*args, **kwargs)
        if filing.kind != Filing.Kind.SECTION:
            del self.fields["section_meeting_on"]
