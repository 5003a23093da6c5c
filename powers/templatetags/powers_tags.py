from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from powers.models import Catalogue

register = template.Library()

BADGES = {
    Catalogue.Status.DRAFT: "text-bg-secondary",
    Catalogue.Status.IN_REVIEW: "text-bg-primary",
    Catalogue.Status.RETURNED: "text-bg-warning",
    Catalogue.Status.APPROVED: "text-bg-success",
}


@register.simple_tag
def catalogue_status(status):
    """A catalogue's status as a coloured badge; ``None`` means not started."""
    if not status:
        return format_html('<span class="badge text-bg-light border">{}</span>', _("未编制"))
    label = dict(Catalogue.Status.choices).get(status, status)
    return format_html(
        '<span class="badge {}">{}</span>', BADGES.get(status, "text-bg-light"), label
    )


@register.simple_tag(takes_context=True)
def watches(context, campaign):
    """Whether the person may read the unit-wide pages (the view may have said already)."""
    if "watcher" in context:
        return context["watcher"]
    from powers.access import may_watch

    return may_watch(context["request"].user, campaign)
