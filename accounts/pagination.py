"""Pages of long lists, picked on narrow rows.

A list page shows 30 or 50 rows of thousands: sorting those thousands is
cheap while each row is an id and its sort keys, and slow when each row
already carries the columns of every joined table and its per-row counts
(``select_related``, ``annotate(Count(...))``) — the database then joins,
groups and sorts everything before it keeps one page.

:func:`page_of` picks the page on ids only, then ``load(ids)`` fetches the
page's rows with their joins and counts; the rows come back in the page's
order. Templates use ``page`` as any paginator page.
"""

from django.core.paginator import Page, Paginator


def page_of(queryset, number, size, *, load) -> Page:
    """``queryset``: filtered and ordered, without joins or counts it does
    not need to filter or sort; ``load(ids)``: the rows of those ids."""
    page = Paginator(queryset.values_list("pk", flat=True), size).get_page(number)
    ids = list(page.object_list)
    found = {obj.pk: obj for obj in load(ids)}
    page.object_list = [found[pk] for pk in ids if pk in found]
    return page
