from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (for paging and sorting)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def elided_range(page):
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.simple_tag
def grade_badge(level):
    """A grade shown in the campaign's own words and colour (高 / 一级 / 红 …)."""
    if level is None:
        return mark_safe('<span class="muted">—</span>')
    return format_html(
        '<span class="grade-badge" style="background:{}">{}</span>', level.colour, level.label
    )


@register.filter
def percent(value, digits=0):
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def minutes(delta):
    """A timedelta as whole minutes, rounded up."""
    if not delta:
        return 0
    return -(-int(delta.total_seconds()) // 60)
