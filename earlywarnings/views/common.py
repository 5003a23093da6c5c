"""What the early-warning pages share."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator

from .. import access

PAGE_SIZE = 30


def show_refusal(request, exc):
    messages.error(request, "；".join(str(m) for m in exc.messages))


def require(condition):
    if not condition:
        raise PermissionDenied


def paginate(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def mark_sources(user, warnings):
    """Set ``shown_source`` on each warning — its signal's source label, or
    "" where the person may not see it — and ``signal_link``, whether the
    signal's own page may be linked (no query: the signal and its person and
    post must be select_related)."""
    for warning in warnings:
        warning.source_visible = access.sees_source(user, warning)
        warning.shown_source = warning.signal.get_source_display() if warning.source_visible else ""
        warning.signal_link = warning.source_visible and access.may_see_signal(user, warning.signal)
    return warnings
