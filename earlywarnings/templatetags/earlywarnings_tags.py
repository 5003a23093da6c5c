from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .. import access
from ..models import LEVEL_COLOURS, Level

register = template.Library()


@register.simple_tag
def level_badge(level, short=False):
    """A warning level in its colour: D 绿, C 蓝, B 黄, A 红."""
    if not level:
        return mark_safe('<span class="muted">—</span>')
    background, ink, _colour = LEVEL_COLOURS[level]
    label = f"{level}级" if short else Level(level).label
    return format_html(
        '<span class="level-badge level-{}" style="background:{};color:{}">{}</span>',
        level.lower(),
        background,
        ink,
        label,
    )


@register.filter
def level_colour(level):
    return LEVEL_COLOURS[level][0] if level in LEVEL_COLOURS else "#9ca3af"


TABS = [
    ("list", _("预警"), "earlywarnings:list", "read"),
    ("signals", _("预警线索"), "earlywarnings:signals", "manage"),
    ("files", _("廉政档案"), "earlywarnings:files", "manage"),
    ("holidays", _("节假日"), "earlywarnings:holidays", "configure"),
    ("policy", _("预警规则"), "earlywarnings:policy", "configure"),
    ("job_runs", _("提醒任务"), "earlywarnings:job_runs", "configure"),
]


@register.inclusion_tag("earlywarnings/includes/tabs.html", takes_context=True)
def manage_tabs(context, active):
    """The tab bar of the managers' pages, each tab for those who may use it."""

    user = context["request"].user
    allowed = {
        "read": access.may_read_warnings(user),
        "manage": access.may_manage(user),
        "configure": access.may_configure(user),
    }
    tabs = [
        {"key": key, "label": label, "url": reverse(name), "active": key == active}
        for key, label, name, need in TABS
        if allowed[need]
    ]
    return {"tabs": tabs if len(tabs) > 1 else []}
