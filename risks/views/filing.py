"""The filing pages: the filing itself, the form that fills it in, the
suggestion shown next to the grading factors, the submission with the
pledge, opening a revision, and the common risk library."""

import contextlib
import json
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Post, User
from accounts.roles import standing
from campaign import approvals
from campaign.models import AuditEntry, GradeLevel, RiskCategory
from powers.models import Power, PowerStep

from .. import library, services, uploads
from ..access import get_filing, may_edit
from ..forms import (
    FilingChoices,
    FilingForm,
    LibrarySearchForm,
    SubmitForm,
    point_formset,
    read_ratings,
)
from ..models import Evidence, Factor, Filing, LibraryEntry, Measure, RiskPoint
from ..scoring import Settings
from ..scoring import suggest as suggest_grade

STATUS_STYLES = {
    Filing.Status.DRAFT: "secondary",
    Filing.Status.SUBMITTED: "info",
    Filing.Status.IN_REVIEW: "primary",
    Filing.Status.RETURNED: "warning",
    Filing.Status.APPROVED: "success",
}


# Helpers shared with the review and evidence pages ---------------------------


def messages_of(exc) -> list[str]:
    """The Chinese messages of a refused action (ReviewError, PermissionDenied …)."""
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc) or _("操作未能完成。")]


def url_of(obj) -> str:
    """An object's page, or "" while the app that shows it has no such page."""
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def header_context(filing):
    return {
        "filing": filing,
        # base.html shows the closed-campaign banner from this.
        "campaign": filing.campaign,
        "status_style": STATUS_STYLES.get(filing.status, "secondary"),
        "campaign_url": url_of(filing.campaign),
    }


def locked_page(request, filing, reason):
    """The edit pages of a filing that cannot be changed now (403)."""
    return render(
        request,
        "risks/filing_locked.html",
        {**header_context(filing), "reason": reason},
        status=403,
    )


def edit_refusal(filing):
    """Why the filing cannot be edited now, or None."""
    if filing.campaign.is_closed:
        return _("本次活动已结束并锁定，登记表只能查看。")
    if not filing.is_editable:
        if filing.status == Filing.Status.APPROVED:
            return _("登记表已审定。如需修改，请在登记表页面“开始修订”。")
        return _("登记表%(status)s，审核结束前不能修改。") % {"status": filing.get_status_display()}
    return None


# The filing form ----------------------------------------------------------------


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
    return library.suggestions(
        entries,
        post=filing.post,
        power_category_codes=[power.category.code for power in choices.powers],
        power_names=[power.name for power in choices.powers],
    )


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


# Submitting with the pledge ----------------------------------------------------


def filing_submit(request, pk):
    filing = get_filing(request.user, pk, edit=True)
    refusal = edit_refusal(filing)
    if refusal:
        return locked_page(request, filing, refusal)
    form = SubmitForm(request.POST if request.method == "POST" else None, filing=filing)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_filing(
                filing.pk,
                request.user,
                ip=client_ip(request),
                section_meeting_on=form.cleaned_data.get("section_meeting_on"),
            )
        except ValidationError as exc:
            problems = messages_of(exc)
        else:
            messages.success(request, _("登记表已提交，廉政承诺已签署。审核结果会通知您。"))
            return redirect(filing)
    else:
        problems = [str(p) for p in services.check_complete(filing)]
        if filing.kind == Filing.Kind.SECTION:
            # The date is asked for on this page: not a problem yet.
            problems = [p for p in problems if "科室集体研究" not in p]
    chain = None
    with contextlib.suppress(ValidationError):
        chain = approvals.chain_for(
            filing.campaign, services.SUBJECT_OF_KIND[filing.kind], services.filer_rank(filing)
        )
    return render(
        request,
        "risks/filing_submit.html",
        {
            **header_context(filing),
            "form": form,
            "problems": problems,
            "pledge_text": services.pledge_text(filing),
            "pledge_addressee": services.pledge_addressee(filing),
            "chain": chain,
        },
    )


@require_POST
def filing_revise(request, pk):
    filing = get_filing(request.user, pk, edit=True)
    try:
        services.open_revision(filing.pk, request.user)
    except ValidationError as exc:
        for message in messages_of(exc):
            messages.error(request, message)
        return redirect(filing)
    messages.success(request, _("已开始修订。修改后请重新提交审核。"))
    return redirect("risks:filing_edit", filing.pk)


# The field history ("字段修改记录") ------------------------------------------------

TRACKED = {
    "filing": [
        "status",
        "revision",
        "post",
        "section_meeting_on",
        "pledge_addressee",
        "pledge_signed_at",
    ],
    "point": [
        "position",
        "category",
        "title",
        "content",
        "power",
        "power_step",
        "found_by",
        *Factor.values,
        "self_grade",
        "reviewed_grade",
        "reviewed_reason",
        "final_grade",
        "final_reason",
        "library_entry",
    ],
    "measure": ["line", "position", "text", "owner", "due_on", "status", "indicator"],
}
ACTIONS = {"+": _lazy("新增"), "~": _lazy("修改"), "-": _lazy("删除")}
SHORT = 80


def _short(text):
    text = str(text)
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


class _Lookups:
    """Names of what foreign keys in the history point to, fetched in bulk."""

    def __init__(self, filing, rows):
        def ids(field):
            return {getattr(r, f"{field}_id") for r in rows if getattr(r, f"{field}_id", None)}

        campaign = filing.campaign_id
        self.names = {
            "category": {c.pk: c.name for c in RiskCategory.objects.filter(campaign_id=campaign)},
            "post": {p.pk: p.name for p in Post.objects.filter(pk__in=ids("post"))},
            "power": {
                p.pk: f"{p.code} {p.name}" for p in Power.objects.filter(pk__in=ids("power"))
            },
            "power_step": {
                s.pk: f"{s.position}. {s.name}"
                for s in PowerStep.objects.filter(pk__in=ids("power_step"))
            },
            "owner": {u.pk: str(u) for u in User.objects.filter(pk__in=ids("owner"))},
            "library_entry": {
                e.pk: str(e) for e in LibraryEntry.objects.filter(pk__in=ids("library_entry"))
            },
        }
        levels = {g.pk: g.label for g in GradeLevel.objects.filter(campaign_id=campaign)}
        for name in ("self_grade", "reviewed_grade", "final_grade"):
            self.names[name] = levels

    def show(self, model, name, value):
        if value in (None, "", []):
            return _("（空）")
        if name in self.names:
            return self.names[name].get(value, f"#{value}")
        if name == "found_by":
            labels = dict(RiskPoint.FoundBy.choices)
            return "、".join(str(labels.get(v, v)) for v in value)
        field = model._meta.get_field(name)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if hasattr(value, "hour"):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return _short(value)


def _value(record, model, name):
    field = model._meta.get_field(name)
    return getattr(record, field.attname)


def change_log(filing):
    """Who changed which field of the filing, its points and its measures,
    from what to what, and when (django-simple-history), newest first.
    Five queries whatever the history's length."""
    filing_rows = list(
        Filing.history.filter(id=filing.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    point_rows = list(
        RiskPoint.history.filter(filing_id=filing.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    titles = {}
    for row in point_rows:
        titles[row.id] = row.title
    measure_rows = list(
        Measure.history.filter(risk_point_id__in=list(titles))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    lookups = _Lookups(filing, [*filing_rows, *point_rows, *measure_rows])
    entries = []
    for kind, model, rows in (
        ("filing", Filing, filing_rows),
        ("point", RiskPoint, point_rows),
        ("measure", Measure, measure_rows),
    ):
        previous = {}
        for row in rows:
            if kind == "filing":
                label = _("登记表")
            elif kind == "point":
                label = _("风险点“%(title)s”") % {"title": _short(row.title)}
            else:
                label = _("防控措施“%(text)s”（%(point)s）") % {
                    "text": _short(row.text)[:30],
                    "point": titles.get(row.risk_point_id, ""),
                }
            before = previous.get(row.id)
            previous[row.id] = row
            changes = []
            if row.history_type == "~" and before is not None:
                for name in TRACKED[kind]:
                    old, new = _value(before, model, name), _value(row, model, name)
                    if old != new:
                        changes.append(
                            (
                                model._meta.get_field(name).verbose_name,
                                lookups.show(model, name, old),
                                lookups.show(model, name, new),
                            )
                        )
                if not changes:
                    continue
            elif row.history_type == "~":
                continue
            entries.append(
                {
                    "at": row.history_date,
                    "who": row.history_user,
                    "action": ACTIONS.get(row.history_type, row.history_type),
                    "object": label,
                    "changes": changes,
                    "order": row.history_id,
                }
            )
    entries.sort(key=lambda e: (e["at"], e["order"]), reverse=True)
    return entries


# The filing page ---------------------------------------------------------------

FACTOR_FIELDS = [RiskPoint._meta.get_field(factor) for factor in Factor.values]


def _points_for_page(filing):
    evidence = Evidence.objects.select_related("uploaded_by").order_by("uploaded_at", "pk")
    measures = (
        Measure.objects.select_related("owner")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .order_by("line", "position", "pk")
    )
    return list(
        filing.risk_points.select_related(
            "category",
            "power",
            "power_step",
            "suggested_grade",
            "self_grade",
            "reviewed_grade",
            "final_grade",
            "reviewed_by",
            "final_by",
        )
        .prefetch_related(Prefetch("measures", queryset=measures))
        .order_by("position", "pk")
    )


def timeline(filing):
    """Submissions, revisions and every review step, oldest first."""
    steps = list(approvals.history(filing))
    entries = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Filing),
        target_id=filing.pk,
        action__in=["review.submitted", "filing.revised"],
    ).select_related("actor")
    events = [{"kind": "audit", "at": entry.at, "entry": entry} for entry in entries]
    # The rest of a returned round never opens and has no time of its own: it
    # belongs with its round (right after the return), not after later rounds.
    round_ends = {}
    for step in steps:
        at = step.decided_at or step.opened_at
        if at is not None:
            key = (step.review_id, step.round)
            round_ends[key] = max(round_ends.get(key, at), at)
    for step in steps:
        at = step.decided_at or step.opened_at
        events.append(
            {
                "kind": "step",
                "at": at,
                "step": step,
                "order": at or round_ends.get((step.review_id, step.round)),
            }
        )
    # Steps opened in the same instant as the submission come after it; steps
    # of one instant keep their order (round, position).
    events.sort(
        key=lambda e: (
            e.get("order", e["at"]) is None,
            e.get("order", e["at"]),
            0 if e["kind"] == "audit" else 1,
        )
    )
    return events


def filing(request, pk):
    filing = get_filing(request.user, pk)
    user = request.user
    points = _points_for_page(filing)
    editor = may_edit(user, filing)
    closed = filing.campaign.is_closed
    step = approvals.open_step_for(filing)
    reviewer = step is not None and approvals.may_act(user, step)
    rows = []
    for number, point in enumerate(points, start=1):
        grouped = services.measures_of(point)
        rows.append(
            {
                "number": number,
                "point": point,
                "lines": [(line, label, grouped[line]) for line, label in Measure.Line.choices],
                "factors": [
                    (
                        field.verbose_name,
                        getattr(point, f"get_{field.name}_display")()
                        if getattr(point, field.name)
                        else "",
                        getattr(point, field.name),
                    )
                    for field in FACTOR_FIELDS
                ],
                "power_url": url_of(point.power) if point.power_id else "",
            }
        )
    page = Paginator(change_log(filing), 20).get_page(request.GET.get("changes"))
    return render(
        request,
        "risks/filing.html",
        {
            **header_context(filing),
            "rows": rows,
            "timeline": timeline(filing),
            "open_step": step,
            "changes": page,
            "changes_open": "changes" in request.GET,
            "may_edit": editor and filing.is_editable and not closed,
            "may_revise": editor and filing.status == Filing.Status.APPROVED and not closed,
            "may_review": reviewer and not closed,
            "may_upload_all": editor and not closed,
            "closed": closed,
            "user_id": user.pk,
            "evidence_accept": uploads.ACCEPT,
            "upload_limit": settings.UPLOAD_MAX_BYTES,
            "sees_section": standing(user).oversees(filing.section_id)
            if filing.section_id
            else False,
        },
    )


# The common risk library ---------------------------------------------------------


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
