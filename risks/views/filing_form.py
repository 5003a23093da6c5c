"""The filing form: filling in a filing's risk points and measures, and the
suggested grade shown next to the grading factors."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from campaign.models import GradeLevel

from .. import services
from ..access import get_filing
from ..forms import FilingChoices, FilingForm, point_formset, read_ratings
from ..library import suggestions as library_suggestions
from ..models import LibraryEntry, Measure
from ..scoring import Settings
from ..scoring import suggest as suggest_grade
from .common import edit_refusal, header_context, locked_page, messages_of
from .library import library_entry_data


def _points_for_form(filing):
    return list(
        filing.risk_points.order_by("position", "pk").prefetch_related(
            Prefetch("measures", queryset=Measure.objects.order_by("line", "position", "pk"))
        )
    )


def _save_forms(filing_form, formset, filing):
    """Store the validated forms (called by services.save_draft, inside its
    transaction, with the locked filing)."""
    if "section_meeting_on" in filing_form.cleaned_data:
        filing.section_meeting_on = filing_form.cleaned_data["section_meeting_on"]
        filing.save(update_fields=["section_meeting_on", "updated_at"])
    formset.delete_removed()
    for number, form in enumerate(formset.live_forms(), start=1):
        point = form.save(commit=False)
        point.filing = filing
        if point.pk is None or form.has_changed() or form.initial.get("position") != number:
            point.position = number
            point.save()
        _save_measures(form.measures, point)


def _save_measures(formset, point):
    formset.delete_removed()
    numbers = {}
    for form in formset.live_forms():
        measure = form.save(commit=False)
        measure.risk_point = point
        number = numbers[measure.line] = numbers.get(measure.line, 0) + 1
        if measure.pk is None or form.has_changed() or form.initial.get("position") != number:
            measure.position = number
            measure.save()


def _library_panel(filing, choices):
    entries = LibraryEntry.objects.filter(is_active=True)
    return library_suggestions(
        entries,
        post=filing.post,
        power_category_codes=[power.category.code for power in choices.powers],
        power_names=[power.name for power in choices.powers],
    )


def filing_edit(request, pk):
    filing = get_filing(request.user, pk, edit=True)
    refusal = edit_refusal(filing)
    if refusal:
        return locked_page(request, filing, refusal)
    points = _points_for_form(filing)
    choices = FilingChoices(filing, points)
    data = request.POST if request.method == "POST" else None
    filing_form = FilingForm(data, filing=filing)
    formset = point_formset(filing, choices, points, data)
    problems, stale = [], False
    if request.method == "POST":
        if filing_form.is_valid() and formset.is_valid():
            try:
                services.save_draft(
                    filing.pk,
                    request.user,
                    expected_version=filing_form.cleaned_data["version"],
                    write=partial(_save_forms, filing_form, formset),
                )
            except services.StaleEdit as exc:
                problems, stale = messages_of(exc), True
            except ValidationError as exc:
                problems = messages_of(exc)
            else:
                if request.POST.get("action") == "submit":
                    return redirect("risks:filing_submit", filing.pk)
                messages.success(request, _("草稿已保存。"))
                return redirect("risks:filing_edit", filing.pk)
        else:
            problems = [_("没有保存：请按下方红色提示修改后再保存。")]
            problems += [str(e) for e in formset.non_form_errors()]
    empty_point = formset.empty_form
    levels = choices.level_by_rank
    suggestions = _library_panel(filing, choices)
    return render(
        request,
        "risks/filing_form.html",
        {
            **header_context(filing),
            "filing_form": filing_form,
            "formset": formset,
            "point_forms": formset.ordered_forms_for_display(),
            "empty_point": empty_point,
            "empty_measure": empty_point.measures.empty_form,
            "choices": choices,
            "problems": problems,
            "stale": stale,
            "library_entries": [
                (entry, levels.get(entry.grade_rank), library_entry_data(entry))
                for entry in suggestions
            ],
            # Built from escaped labels (SharedChoices).
            "owner_options": mark_safe(choices.people_choices.options_html(set())),
            "steps_json": choices.steps_json(),
            "categories_json": choices.categories_json(),
        },
    )


@require_GET
def suggest(request, pk):
    """The suggested grade and its reason for the factor values typed so far
    (htmx: the factors of one risk point, named ``<prefix>-<factor>``)."""
    filing = get_filing(request.user, pk)
    prefix = request.GET.get("prefix", "")
    ratings = read_ratings(request.GET, prefix)
    levels = {
        level.rank: level for level in GradeLevel.objects.filter(campaign_id=filing.campaign_id)
    }
    labels = {rank: level.label for rank, level in levels.items()}
    suggestion = suggest_grade(ratings, Settings.for_campaign(filing.campaign), labels)
    return render(
        request,
        "risks/_suggestion.html",
        {
            "level": levels.get(suggestion.rank) if suggestion else None,
            "reason": suggestion.reason if suggestion else "",
        },
    )
