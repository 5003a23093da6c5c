"""The common risk library (风险点参考库): browsing and searching it, alone
or as the panel beside the filing form."""

import json

from django.core.paginator import Paginator
from django.shortcuts import render

from ..forms import LibrarySearchForm
from ..models import LibraryEntry


def library_entry_data(entry):
    """What 采用 copies into a new risk point row (JSON for the page's script)."""
    return json.dumps(
        {
            "id": entry.pk,
            "title": entry.title,
            "content": entry.content,
            "category": entry.category_name,
            "prevention": entry.prevention,
            "monitoring": entry.monitoring,
            "handling": entry.handling,
        },
        ensure_ascii=False,
    )


def library_page(request):
    entries = LibraryEntry.objects.filter(is_active=True).order_by("code")
    areas = sorted(set(entries.values_list("area", flat=True)))
    categories = sorted(set(entries.values_list("category_name", flat=True)))
    form = LibrarySearchForm(request.GET or None, areas=areas, categories=categories)
    found = form.filter(entries)
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    template = (
        "risks/_library_entries.html" if request.GET.get("panel") else "risks/filing_library.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "rows": [(entry, library_entry_data(entry)) for entry in page.object_list],
            "panel": bool(request.GET.get("panel")),
        },
    )
