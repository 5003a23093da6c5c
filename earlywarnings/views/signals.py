"""Signal intake (预警信息 / 线索) and deductions: the office and discipline
inspection only; confidential signals only for those ``access`` allows."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.pagination import page_of
from campaign.approvals import ReviewError
from campaign.uploads import attachment_response

from .. import access, services
from ..forms import (
    DeductionForm,
    SignalFilterForm,
    SignalForm,
    person_id_of,
    risk_point_label,
)
from ..models import WarningSignal
from .common import PAGE_SIZE, mark_sources, require, show_refusal


def signal_list(request):
    user = request.user
    require(access.may_manage(user))
    form = SignalFilterForm(request.GET or None)
    if not access.sees_confidential(user):
        form.fields["source"].choices = [
            c
            for c in form.fields["source"].choices
            if c[0] not in WarningSignal.CONFIDENTIAL_SOURCES
        ]
    signals = access.visible_signals(user)
    if form.is_bound and not form.is_valid():
        signals = signals.none()
    elif form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            signals = signals.filter(
                Q(title__icontains=q)
                | Q(description__icontains=q)
                | Q(person__full_name__icontains=q)
                | Q(section__name__icontains=q)
            )
        if data["source"]:
            signals = signals.filter(source=data["source"])
        if data["status"]:
            signals = signals.filter(status=data["status"])
    # The page is picked on ids, then only its rows are joined and counted.
    page = page_of(
        signals.order_by("-received_on", "-pk"),
        request.GET.get("page"),
        PAGE_SIZE,
        load=lambda ids: (
            WarningSignal.objects.filter(pk__in=ids)
            .select_related("person", "post", "section", "recorded_by")
            .annotate(
                warning_count=Count("warnings", distinct=True),
                attachment_count=Count("attachments", distinct=True),
            )
        ),
    )
    return render(
        request,
        "earlywarnings/signal_list.html",
        {"page": page, "form": form, "sees_confidential": access.sees_confidential(user)},
    )


def signal_create(request):
    user = request.user
    require(access.may_manage(user))
    form = SignalForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signal = services.record_signal(
                user,
                source=data["source"],
                title=data["title"],
                description=data["description"],
                received_on=data["received_on"],
                confidential=data.get("confidential", False),
                risk_point=data["risk_point"],
                uploads=data["files"],
                **form.target(),
            )
        except ReviewError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("线索已登记。"))
            return redirect(signal)
    return render(request, "earlywarnings/signal_form.html", {"form": form})


def signal_risk_points(request):
    """The options of the signal form's 相关风险点 for the chosen person
    (htmx swaps them in when the person changes)."""
    user = request.user
    require(access.may_manage(user))
    person_id = person_id_of(request.GET.get("person"))
    points = list(access.signal_risk_points(user, person_id))
    for point in points:
        point.label = risk_point_label(point)
    return render(
        request,
        "earlywarnings/includes/risk_point_options.html",
        {"points": points, "person_chosen": person_id is not None},
    )


def signal_detail(request, pk):
    user = request.user
    signal = access.get_signal(user, pk)
    warnings = list(
        signal.warnings.select_related(
            "person", "post__section", "section", "signal__person", "signal__post"
        )
    )
    mark_sources(user, warnings)
    return render(
        request,
        "earlywarnings/signal_detail.html",
        {
            "signal": signal,
            "attachments": list(signal.attachments.all()),
            "warnings": warnings,
            "deductions": list(signal.deductions.select_related("person", "recorded_by")),
            "statuses": WarningSignal.Status.choices,
        },
    )


@require_POST
def signal_status(request, pk):
    user = request.user
    signal = access.get_signal(user, pk)
    status = request.POST.get("status")
    if status in WarningSignal.Status.values:
        services.set_signal_status(signal.pk, user, status)
        messages.success(request, _("线索状态已更新。"))
    return redirect(signal)


def signal_attachment(request, pk, attachment_pk):
    signal = access.get_signal(request.user, pk)
    attachment = signal.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return attachment_response(attachment.file, attachment.original_name)


def deduction_create(request):
    user = request.user
    require(access.may_manage(user))
    initial = {}
    if request.GET.get("person"):
        initial["person"] = User.objects.filter(
            pk=request.GET["person"], unit_id=user.unit_id
        ).first()
    if request.GET.get("signal"):
        initial["signal"] = access.visible_signals(user).filter(pk=request.GET["signal"]).first()
        if (
            initial["signal"] is not None
            and initial["signal"].person_id
            and "person" not in initial
        ):
            initial["person"] = initial["signal"].person
    form = DeductionForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deduction = services.deduct(
                data["person"],
                user,
                points=data["points"],
                reason=data["reason"],
                signal=data["signal"],
                year=data["year"],
            )
        except ReviewError as exc:
            show_refusal(request, exc)
        else:
            warning = deduction.raised_warning
            if warning is not None:
                messages.warning(
                    request,
                    _("已扣分；累计扣分达到%(level)s预警线，已自动发出预警。")
                    % {"level": warning.get_level_display()},
                )
                return redirect(warning)
            messages.success(request, _("已扣分。"))
            return redirect("earlywarnings:file", deduction.person_id)
    return render(request, "earlywarnings/deduction_form.html", {"form": form})
