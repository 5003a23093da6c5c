from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..models import Campaign, Stage

register = template.Library()

CAMPAIGN_BADGES = {
    Campaign.Status.DRAFT: "text-bg-secondary",
    Campaign.Status.RUNNING: "text-bg-success",
    Campaign.Status.CLOSED: "text-bg-dark",
}
STAGE_BADGES = {
    Stage.Status.PENDING: "text-bg-light border",
    Stage.Status.ACTIVE: "text-bg-primary",
    Stage.Status.DONE: "text-bg-success",
}


@register.simple_tag
def campaign_status(campaign):
    return format_html(
        '<span class="badge {}">{}</span>',
        CAMPAIGN_BADGES.get(campaign.status, "text-bg-light"),
        campaign.get_status_display(),
    )


@register.simple_tag
def stage_status(stage, overdue=False):
    badge = format_html(
        '<span class="badge {}">{}</span>',
        STAGE_BADGES.get(stage.status, "text-bg-light"),
        stage.get_status_display(),
    )
    if overdue:
        badge += format_html(' <span class="badge text-bg-danger">{}</span>', _("已逾期"))
    return badge


@register.simple_tag(takes_context=True)
def render_panel(context, item):
    """A dashboard panel's template, rendered inside the page's own context
    (so the frame's context processors do not run again).

    The panel's template sees the keys of its context dict as variables, and
    the whole dict as ``data`` (also ``panel_context``/``context``), with
    ``panel`` and the page's ``campaign``, ``rights``, ``request`` and ``user``.
    """
    panel = item["panel"]
    values = dict(item["context"] or {})
    panel_template = context.template.engine.get_template(panel.template)
    layer = {**values, "panel": panel, "data": values, "panel_context": values, "context": values}
    with context.push(layer):
        return panel_template.render(context)


@register.filter
def cell_widget(bound_field):
    """The field's widget, marked invalid (Bootstrap) when it has errors."""
    attrs = {}
    if bound_field.errors:
        css = bound_field.field.widget.attrs.get("class", "")
        attrs = {"class": f"{css} is-invalid".strip(), "aria-invalid": "true"}
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def page_query(context, param, number):
    """The current query string with the page parameter ``param`` set to ``number``."""
    query = context["request"].GET.copy()
    query[param] = number
    return query.urlencode()
