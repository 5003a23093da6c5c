"""Uploading evidence (佐证材料) on a measure."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign.uploads import AttachmentField

from .. import uploads


class EvidenceField(AttachmentField):
    """An attachment of the kinds evidence may be (no slides)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("支持 PDF、Word、Excel、JPG、PNG 和 TXT 文件。"))
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": uploads.ACCEPT}))
        super().__init__(**kwargs)
        self.validators = [uploads.validate_evidence]


class EvidenceForm(forms.Form):
    file = EvidenceField(label=_("佐证材料"))
