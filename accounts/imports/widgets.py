"""import-export widgets that clean cells as people type them and complain in Chinese.

Shared by every import: text with a length limit, a label from a fixed list
stored as its value, and 是/否.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets

from .sheets import cell_text


class TextWidget(widgets.Widget):
    """Text, trimmed; ``required`` and ``max_length`` give Chinese messages."""

    def __init__(self, required=False, max_length=None, blank_is_none=False, **kwargs):
        self.required = required
        self.max_length = max_length
        self.blank_is_none = blank_is_none
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if self.required and not text:
            raise ValueError(_("不能为空"))
        if self.max_length and len(text) > self.max_length:
            raise ValueError(
                _("内容过长（%(n)d 字），最多 %(max)d 字")
                % {"n": len(text), "max": self.max_length}
            )
        if not text and self.blank_is_none:
            return None
        return text


class ChoiceWidget(widgets.Widget):
    """A label from a fixed list, stored as its value; the message lists the
    labels people may use."""

    def __init__(self, choices, required=False, default=None, aliases=None, **kwargs):
        self.choices = {str(label): value for value, label in choices}
        self.aliases = dict(aliases or {})
        self.required = required
        self.default = default
        super().__init__(**kwargs)

    def options(self) -> str:
        return "、".join(self.choices)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            if self.required:
                raise ValueError(_("不能为空，可选值：%(options)s") % {"options": self.options()})
            return self.default
        if text in self.choices:
            return self.choices[text]
        if text in self.aliases:
            return self.aliases[text]
        raise ValueError(
            _("无法识别“%(value)s”，可选值：%(options)s")
            % {"value": text, "options": self.options()}
        )


YES_NO = ((True, gettext_lazy("是")), (False, gettext_lazy("否")))


def yes_no_widget(default=True):
    return ChoiceWidget(
        YES_NO,
        default=default,
        aliases={"在职": True, "离职": False, "Y": True, "N": False, "1": True, "0": False},
    )
