"""The warning pages: the managers' list and detail with disposals, and
"my warnings" for the people concerned."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pagination import page_of
from campaign.approvals import ReviewError

from .. import access, services, tasks
from ..forms import (
    AnswerForm,
    CloseWarningForm,
    DisposalForm,
    EvaluationForm,
    ReportForm,
    WarningFilterForm,
    WarningForm,
)
from ..models import LEVELS_GRAVEST_FIRST, Disposal, EarlyWarning, WarningSignal
from .common import PAGE_SIZE, mark_sources, paginate, require, show_refusal


def _source_choices(user, field):
    if not access.sees_confidential(user):
        field.choices = [c for c in field.choices if c[0] not in WarningSignal.CONFIDENTIAL_SOURCES]


def warning_list(request):
    user = request.user
    require(access.may_read_warnings(user))
    form = WarningFilterForm(request.GET or None)
    _source_choices(user, form.fields["source"])
    warnings = access.visible_warnings(user)
    if form.is_bound and not form.is_valid():
        warnings = warnings.none()  # e.g. a source this person may not filter by
    elif form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            warnings = warnings.filter(
                Q(title__icontains=q)
                | Q(message__icontains=q)
                | Q(person__full_name__icontains=q)
                | Q(section__name__icontains=q)
                | Q(post__name__icontains=q)
            )
        for name in ("level", "status", "target_kind", "year"):
            if data[name]:
                warnings = warnings.filter(**{name: data[name]})
        if data["source"]:
            warnings = warnings.filter(access.masked_source_filter(user, data["source"]))
    today = timezone.localdate()
    # The page is picked on ids, then only its rows are joined and counted.
    page = page_of(
        warnings.order_by("-raised_at", "-pk"),
        request.GET.get("page"),
        PAGE_SIZE,
        load=lambda ids: (
            EarlyWarning.objects.filter(pk__in=ids)
            .select_related("person", "post__section", "section", "signal__person", "signal__post")
            .annotate(
                disposal_count=Count("disposals", distinct=True),
                open_disposals=Count(
                    "disposals", filter=~Q(disposals__status=Disposal.Status.CLOSED), distinct=True
                ),
                overdue_disposals=Count(
                    "disposals",
                    filter=Q(
                        disposals__status=Disposal.Status.PLANNED, disposals__due_on__lt=today
                    ),
                    distinct=True,
                ),
            )
        ),
    )
    mark_sources(user, page.object_list)
    open_by_level = dict(
        access.visible_warnings(user)
        .exclude(status=EarlyWarning.Status.CLOSED)
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    return render(
        request,
        "earlywarnings/warning_list.html",
        {
            "page": page,
            "form": form,
            "today": today,
            "levels": [(level, open_by_level.get(level, 0)) for level in LEVELS_GRAVEST_FIRST],
            "may_manage": access.may_manage(user),
            "may_keep": access.may_configure(user),
        },
    )


def warning_create(request):
    user = request.user
    require(access.may_manage(user))
    initial = {}
    if request.GET.get("signal"):
        signal = access.visible_signals(user).filter(pk=request.GET["signal"]).first()
        if signal is not None:
            initial = {
                "signal": signal,
                "target_kind": signal.target_kind,
                "person": signal.person,
                "post": signal.post,
                "section": signal.section,
                "title": signal.title if not signal.confidential else "",
            }
    form = WarningForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            warning = services.raise_warning(
                user,
                level=data["level"],
                title=data["title"],
                message=data["message"],
                respond_by=data["respond_by"],
                signal=data["signal"],
                **form.target(),
            )
        except ReviewError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("预警已发出。"))
            return redirect(warning)
    return render(request, "earlywarnings/warning_form.html", {"form": form})


def warning_detail(request, pk):
    warning = access.get_warning(request.user, pk)
    return _render_detail(request, warning)


def _render_detail(request, warning, *, disposal_form=None, unsaved="", status=200):
    """The managers' page of a warning; a refused disposal comes back in
    ``disposal_form`` (bound, with its errors), or — when the form is gone
    because the warning was closed meanwhile — as ``unsaved`` text."""
    user = request.user
    mark_sources(user, [warning])
    disposals = list(
        warning.disposals.select_related(
            "responsible", "reporter", "evaluated_by", "closed_by", "created_by"
        )
    )
    today = timezone.localdate()
    manage = access.may_manage(user) and not warning.is_closed
    if manage and disposal_form is None:
        reporter = services.default_reporter(warning)
        disposal_form = DisposalForm(user=user, initial={"reporter": reporter, "responsible": user})
    return render(
        request,
        "earlywarnings/warning_detail.html",
        {
            "warning": warning,
            "disposals": disposals,
            "today": today,
            "manage": manage,
            "may_manage": access.may_manage(user),
            "disposal_form": disposal_form if manage else None,
            "evaluation_form": EvaluationForm(),
            "close_form": CloseWarningForm(),
            "answerers": access.answerers(warning),
            "concerned_link": warning.person_id and access.may_manage(user),
            "unsaved": unsaved,
        },
        status=status,
    )


def _refused_form(request, form, field, exc, shown):
    """A refused form: the message next to ``field`` when the form is still
    on the page, else at the top of the page."""
    if shown:
        form.add_error(field, "；".join(exc.messages))
    else:
        show_refusal(request, exc)


@require_POST
def disposal_add(request, pk):
    user = request.user
    warning = access.get_warning(user, pk, manage=True)
    form = DisposalForm(request.POST, user=user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_disposal(
                warning.pk,
                user,
                kind=data["kind"],
                responsible=data["responsible"],
                reporter=data["reporter"],
                due_on=data["due_on"],
                instructions=data["instructions"],
            )
        except ReviewError as exc:
            warning = access.get_warning(user, pk, manage=True)
            _refused_form(request, form, None, exc, shown=not warning.is_closed)
        else:
            messages.success(request, _("已增加处置措施，并通知报告人。"))
            return redirect(warning)
    elif warning.is_closed:
        show_refusal(request, ReviewError(_("该预警已办结，不能再增加处置。")))
    unsaved = request.POST.get("instructions", "") if warning.is_closed else ""
    return _render_detail(request, warning, disposal_form=form, unsaved=unsaved, status=400)


def _disposal_for_manager(user, pk):
    disposal = Disposal.objects.filter(pk=pk).select_related("warning").first()
    if disposal is None:
        raise Http404
    warning = access.get_warning(user, disposal.warning_id, manage=True)
    return disposal, warning


@require_POST
def disposal_evaluate(request, pk):
    user = request.user
    disposal, warning = _disposal_for_manager(user, pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            services.evaluate_disposal(
                disposal.pk,
                user,
                evaluation=form.cleaned_data["evaluation"],
                adequate=form.cleaned_data["adequate"],
            )
        except ReviewError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("评估意见已保存。"))
    else:
        messages.error(request, _("请填写评估意见。"))
    return redirect(warning)


@require_POST
def disposal_close(request, pk):
    user = request.user
    disposal, warning = _disposal_for_manager(user, pk)
    try:
        services.close_disposal(disposal.pk, user)
    except ReviewError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("处置已办结。"))
    return redirect(warning)


@require_POST
def disposal_urge(request, pk):
    user = request.user
    disposal, warning = _disposal_for_manager(user, pk)
    if disposal.status != Disposal.Status.PLANNED:
        messages.error(request, _("只能催报待报告的处置。"))
    else:
        transaction.on_commit(lambda: tasks.urge_disposal.delay(disposal.pk))
        messages.success(request, _("已提醒报告人尽快报告（每天最多提醒一次）。"))
    return redirect(warning)


@require_POST
def warning_close(request, pk):
    user = request.user
    warning = access.get_warning(user, pk, manage=True)
    form = CloseWarningForm(request.POST)
    form.is_valid()
    try:
        services.close_warning(warning.pk, user, note=form.cleaned_data.get("note", ""))
    except ReviewError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("预警已办结。"))
    return redirect(warning)


# My warnings ----------------------------------------------------------------


def my_warnings(request):
    user = request.user
    warnings = (
        access.my_warnings(user)
        .select_related("person", "post__section", "section")
        .annotate(
            my_open=Count(
                "disposals",
                filter=Q(disposals__reporter=user, disposals__status=Disposal.Status.PLANNED),
                distinct=True,
            )
        )
        .order_by("-raised_at", "-pk")
    )
    page = paginate(request, warnings)
    for warning in page.object_list:
        warning.answerable = (
            access.may_answer(user, warning) and warning.status == EarlyWarning.Status.OPEN
        )
    return render(
        request, "earlywarnings/my_warnings.html", {"page": page, "today": timezone.localdate()}
    )


def my_warning(request, pk):
    """A warning as the people concerned see it: never its source."""
    warning = access.get_my_warning(request.user, pk)
    return _render_mine(request, warning)


def _may_answer_now(user, warning):
    return access.may_answer(user, warning) and not warning.is_closed


def _render_mine(request, warning, *, answer_form=None, report=None, unsaved="", status=200):
    """The "my warning" page. A refused answer comes back in ``answer_form``,
    a refused report as ``report`` = (disposal id, typed text, message), and
    what can no longer go back into a form as ``unsaved`` text."""
    user = request.user
    disposals = list(warning.disposals.select_related("responsible", "reporter"))
    if report is not None:
        for disposal in disposals:
            if disposal.pk == report[0]:
                disposal.typed_report, disposal.report_error = report[1], report[2]
    if _may_answer_now(user, warning):
        answer_form = answer_form or AnswerForm(initial={"response": warning.response})
    else:
        answer_form = None
    return render(
        request,
        "earlywarnings/my_warning.html",
        {
            "warning": warning,
            "disposals": disposals,
            "answer_form": answer_form,
            "report_form": ReportForm(),
            "today": timezone.localdate(),
            "also_managed": access.may_read_warnings(user),
            "unsaved": unsaved,
        },
        status=status,
    )


@require_POST
def my_warning_answer(request, pk):
    user = request.user
    warning = access.get_my_warning(user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_warning(warning.pk, user, response=form.cleaned_data["response"])
        except ReviewError as exc:
            warning = access.get_my_warning(user, pk)
            _refused_form(request, form, "response", exc, _may_answer_now(user, warning))
        else:
            messages.success(request, _("答复已提交。"))
            return redirect("earlywarnings:my_warning", warning.pk)
    elif not _may_answer_now(user, warning):
        show_refusal(request, ReviewError(_("该预警已办结或无需您答复，答复未保存。")))
    unsaved = "" if _may_answer_now(user, warning) else request.POST.get("response", "")
    return _render_mine(request, warning, answer_form=form, unsaved=unsaved, status=400)


@require_POST
def my_disposal_report(request, pk):
    user = request.user
    disposal = Disposal.objects.filter(pk=pk, reporter=user).first()
    if disposal is None:
        raise Http404
    warning = access.get_my_warning(user, disposal.warning_id)
    typed = request.POST.get("report", "")
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_disposal(disposal.pk, user, report=form.cleaned_data["report"])
        except ReviewError as exc:
            message = "；".join(exc.messages)
        else:
            messages.success(request, _("落实情况报告已提交。"))
            return redirect("earlywarnings:my_warning", warning.pk)
    else:
        message = "；".join(form.errors["report"])
    disposal.refresh_from_db(fields=["status"])
    if disposal.status != Disposal.Status.PLANNED:
        # The report form is gone (reported meanwhile): the message on top,
        # what was typed under it.
        messages.error(request, message)
        return _render_mine(request, warning, unsaved=typed, status=400)
    return _render_mine(request, warning, report=(disposal.pk, typed, message), status=400)


def start(request):
    """/warnings/: the managers' list for those who read it, else my warnings."""
    if access.may_read_warnings(request.user):
        return redirect("earlywarnings:list")
    return redirect("earlywarnings:mine")
