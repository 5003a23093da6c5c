"""Meetings and study materials."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Meeting, StudyMaterial
from ..uploads import AttachmentField
from .common import DateInput, PeopleField, unit_people


class _WithAttachment(forms.ModelForm):
    """A model form with an upload that the service stores (never the form)."""

    file_field = ""
    name_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not getattr(self.instance, self.file_field):
            del self.fields["remove_attachment"]
        else:
            self.fields["attachment"].help_text = _("已上传：%(name)s。选择新文件将替换它。") % {
                "name": getattr(self.instance, self.name_field)
            }

    def upload_arguments(self):
        return {
            "upload": self.cleaned_data.get("attachment"),
            "remove_file": self.cleaned_data.get("remove_attachment", False),
        }


class MeetingForm(_WithAttachment):
    file_field, name_field = "minutes", "minutes_name"

    attendees = PeopleField(label=_("参会人员"), queryset=None, required=False)
    attachment = AttachmentField(label=_("会议纪要"), required=False)
    remove_attachment = forms.BooleanField(label=_("删除已上传的会议纪要"), required=False)

    class Meta:
        model = Meeting
        fields = ["held_on", "topic", "place", "attendees", "notes"]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = unit_people(campaign.unit)
        self.fields["attendees"].help_text = _("按住 Ctrl（Mac 上为 ⌘）可多选；可按科室整段选择。")


class MaterialForm(_WithAttachment):
    file_field, name_field = "file", "file_name"

    attachment = AttachmentField(label=_("附件"), required=False)
    remove_attachment = forms.BooleanField(label=_("删除已上传的附件"), required=False)

    class Meta:
        model = StudyMaterial
        fields = ["title", "description", "required"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"required": _("必学材料计入学习确认率。")}

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
