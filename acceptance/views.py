"""Pages of the acceptance check: the overview, the self-assessment report,
the checklist and its items, rectifications, the summary (with its Excel
statistics), next year's campaign and the year-over-year page."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Section
from campaign.access import may_watch
from campaign.audit import record
from campaign.exports import XLSX_CONTENT_TYPE, may_export
from campaign.views.common import load, message_of, render_campaign
from campaign.xlsx import write_xlsx

from . import services, summary, yoy
from .access import (
    get_rectification,
    get_section,
    may_manage,
    may_start_next_year,
    visible_rectifications,
)
from .figures import campaign_figures
from .forms import (
    AcceptanceCheckForm,
    ChecklistItemFormSet,
    NextYearForm,
    RectificationForm,
    RegenerateForm,
    ReportForm,
    SelfAssessmentForm,
    VerifyForm,
)
from .models import AcceptanceCheck, ChecklistItem, Rectification, SelfAssessment

PAGE_SIZE = 30
TAB = "acceptance"


def _page(request, template, campaign, current, context=None, status=200):
    data = {
        "section_tab": current,
        "manage": may_manage(request.user, campaign),
        "editable": may_manage(request.user, campaign) and not campaign.is_closed,
        "next_year_allowed": may_start_next_year(request.user, campaign),
    }
    data.update(context or {})
    return render_campaign(request, template, campaign, TAB, data, status=status)


def _refuse_closed(request, campaign, to):
    if campaign.is_closed:
        messages.error(request, _("本次活动已结束并锁定，不能再修改。"))
        return redirect(to)
    return None


# Overview -----------------------------------------------------------------------------


@require_GET
def overview(request, campaign_pk):
    campaign = load(request, campaign_pk, watch=True)
    items = list(ChecklistItem.objects.filter(campaign=campaign).order_by("position", "pk"))
    report = SelfAssessment.objects.filter(campaign=campaign).first()
    counts = dict(
        Rectification.objects.filter(campaign=campaign)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    statuses = [
        {"status": status, "label": label, "n": counts.get(status, 0)}
        for status, label in Rectification.Status.choices
    ]
    return _page(
        request,
        "acceptance/overview.html",
        campaign,
        "overview",
        {
            "totals": services.totals(items),
            "report": report,
            "statuses": statuses,
            "rectification_total": sum(counts.values()),
            "check": AcceptanceCheck.objects.filter(campaign=campaign).first(),
            "sections_for_yoy": _sections(campaign) if campaign.previous_id else [],
        },
    )


def _sections(campaign):
    return list(
        Section.objects.filter(unit_id=campaign.unit_id, is_active=True).order_by(
            "display_order", "pk"
        )
    )


# Self-assessment -----------------------------------------------------------------------


def self_assessment(request, campaign_pk):
    campaign = load(request, campaign_pk, watch=True)
    report = SelfAssessment.objects.filter(campaign=campaign).first()
    form = SelfAssessmentForm(
        initial={"text": report.text if report else "", "version": report.version if report else 0}
    )
    regenerate = RegenerateForm()
    conflict = False
    if request.method == "POST":
        if not may_manage(request.user, campaign):
            raise PermissionDenied
        url = reverse("acceptance:self_assessment", args=[campaign.pk])
        if refused := _refuse_closed(request, campaign, url):
            return refused
        action = request.POST.get("action")
        if action == "regenerate":
            regenerate = RegenerateForm(request.POST)
            regenerate.is_valid()
            try:
                report = services.generate_draft(
                    campaign,
                    request.user,
                    replace_text=regenerate.cleaned_data.get("replace_text", False),
                )
            except ValidationError as exc:
                messages.error(request, message_of(exc))
            else:
                if report.text == report.draft:
                    messages.success(request, _("已按当前数据重新生成草稿，并放入正文。"))
                else:
                    messages.success(
                        request, _("已按当前数据重新生成草稿；正文有您的修改，未被替换。")
                    )
                return redirect(url)
        else:
            form = SelfAssessmentForm(request.POST)
            if form.is_valid():
                try:
                    services.save_self_assessment(
                        campaign,
                        request.user,
                        text=form.cleaned_data["text"],
                        version=form.cleaned_data["version"],
                    )
                except services.StaleReport as exc:
                    # Keep what was typed; show the text saved meanwhile and
                    # take its version, so the next save (after merging) goes through.
                    report = SelfAssessment.objects.filter(campaign=campaign).first()
                    data = request.POST.copy()
                    data["version"] = report.version
                    form = SelfAssessmentForm(data)
                    form.is_valid()
                    form.add_error(None, message_of(exc))
                    conflict = True
                except ValidationError as exc:
                    form.add_error(None, message_of(exc))
                else:
                    messages.success(request, _("自查报告已保存。"))
                    return redirect(url)
    return _page(
        request,
        "acceptance/self_assessment.html",
        campaign,
        "self_assessment",
        {"report": report, "form": form, "regenerate": regenerate, "conflict": conflict},
        status=400 if form.is_bound and form.errors else 200,
    )


# Checklist ---------------------------------------------------------------------------------


def checklist(request, campaign_pk):
    campaign = load(request, campaign_pk, watch=True)
    items = services.ensure_checklist(campaign)
    check = AcceptanceCheck.objects.filter(campaign=campaign).first() or AcceptanceCheck(
        campaign=campaign
    )
    check_form = AcceptanceCheckForm(instance=check)
    typed, errors = {}, []
    if request.method == "POST":
        if not may_manage(request.user, campaign):
            raise PermissionDenied
        url = reverse("acceptance:checklist", args=[campaign.pk])
        if refused := _refuse_closed(request, campaign, url):
            return refused
        scores = {}
        for item in items:
            raw = request.POST.get(f"score-{item.pk}", "")
            remarks = request.POST.get(f"remarks-{item.pk}", "")
            typed[item.pk] = (raw, remarks)
            try:
                scores[item.pk] = (services.parse_score(raw), remarks)
            except ValueError:
                errors.append(
                    _("“%(area)s”的得分“%(raw)s”不是有效的分数。") % {"area": item.area, "raw": raw}
                )
        check_form = AcceptanceCheckForm(request.POST, instance=check)
        if not check_form.is_valid():
            errors.append(_("请检查验收日期、验收人员和验收意见。"))
        if not errors:
            try:
                with_saved = services.save_scores(campaign, request.user, scores)
                data = check_form.cleaned_data
                services.save_check(
                    campaign,
                    request.user,
                    checked_on=data["checked_on"],
                    inspectors=data["inspectors"],
                    conclusion=data["conclusion"],
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(
                    request, _("评分已保存（修改 %(n)d 项）。") % {"n": len(with_saved)}
                )
                return redirect(url)
        items = list(ChecklistItem.objects.filter(campaign=campaign).order_by("position", "pk"))
    open_counts = dict(
        Rectification.objects.filter(campaign=campaign, item__isnull=False)
        .exclude(status=Rectification.Status.CLOSED)
        .order_by()
        .values_list("item_id")
        .annotate(n=Count("pk"))
        .values_list("item_id", "n")
    )
    for item in items:
        raw, remarks = typed.get(item.pk, (None, None))
        item.typed_score = raw if raw is not None else _score_text(item.score)
        item.typed_remarks = remarks if remarks is not None else item.remarks
        item.open_rectifications = open_counts.get(item.pk, 0)
    return _page(
        request,
        "acceptance/checklist.html",
        campaign,
        "checklist",
        {
            "items": items,
            "totals": services.totals(items),
            "check_form": check_form,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _score_text(score) -> str:
    """10.0 → "10", 13.5 → "13.5", None → ""."""
    if score is None:
        return ""
    return format(score.normalize(), "f")


def checklist_items(request, campaign_pk):
    campaign = load(request, campaign_pk, administer=True)
    url = reverse("acceptance:checklist", args=[campaign.pk])
    if refused := _refuse_closed(request, campaign, url):
        return refused
    services.ensure_checklist(campaign)
    queryset = ChecklistItem.objects.filter(campaign=campaign).order_by("position", "pk")
    formset = ChecklistItemFormSet(request.POST or None, queryset=queryset)
    if request.method == "POST" and formset.is_valid():
        try:
            services.save_items(campaign, request.user, formset)
        except ValidationError as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("验收评分项目已保存。"))
            return redirect(url)
    return _page(
        request, "acceptance/checklist_items.html", campaign, "checklist", {"formset": formset}
    )


# Rectifications -----------------------------------------------------------------------------


@require_GET
def rectifications(request, campaign_pk):
    campaign = load(request, campaign_pk)
    items = visible_rectifications(request.user, campaign)
    if not may_watch(request.user, campaign) and not items.exists():
        raise PermissionDenied
    status = request.GET.get("status", "")
    counts = dict(
        items.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    if status in Rectification.Status.values:
        items = items.filter(status=status)
    items = items.select_related("owner", "section", "item").order_by("status", "due_on", "pk")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return _page(
        request,
        "acceptance/rectifications.html",
        campaign,
        "rectifications",
        {
            "page": page,
            "status": status,
            "statuses": [(s, label, counts.get(s, 0)) for s, label in Rectification.Status.choices],
            "total": sum(counts.values()),
            "today": timezone.localdate(),
            "may_export": may_export(request.user, campaign),
        },
    )


def rectification_create(request, campaign_pk):
    campaign = load(request, campaign_pk, administer=True)
    url = reverse("acceptance:rectifications", args=[campaign.pk])
    if refused := _refuse_closed(request, campaign, url):
        return refused
    initial = {}
    item = ChecklistItem.objects.filter(campaign=campaign, pk=request.GET.get("item") or 0).first()
    if item is not None:
        initial = {"item": item, "source": ""}
    form = RectificationForm(request.POST or None, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.create_rectification(campaign, request.user, **data)
        except ValidationError as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(request, _("整改事项已登记，并已通知责任人。"))
            return redirect(created)
    return _page(
        request, "acceptance/rectification_form.html", campaign, "rectifications", {"form": form}
    )


def rectification(request, pk):
    item = get_rectification(request.user, pk)
    campaign = load(request, item.campaign_id)
    manage = may_manage(request.user, campaign)
    report_form = (
        ReportForm(initial={"report": item.report}) if item.owner_id == request.user.pk else None
    )
    verify_form = VerifyForm() if manage else None
    if request.method == "POST":
        url = item.get_absolute_url()
        if refused := _refuse_closed(request, campaign, url):
            return refused
        action = request.POST.get("action")
        try:
            if action == "report":
                report_form = ReportForm(request.POST)
                if not report_form.is_valid():
                    raise ValidationError(_("请填写整改情况（不超过 4000 字）。"))
                services.report_rectification(
                    item.pk, request.user, report=report_form.cleaned_data["report"]
                )
                messages.success(request, _("整改情况已报告，等待领导小组办公室验证。"))
            elif action in ("verify", "reject"):
                verify_form = VerifyForm(request.POST)
                verify_form.is_valid()
                opinion = verify_form.cleaned_data.get("opinion", "")
                if action == "verify":
                    services.verify_rectification(item.pk, request.user, opinion=opinion)
                    messages.success(request, _("已验证，整改事项销号。"))
                else:
                    services.reject_rectification(item.pk, request.user, opinion=opinion)
                    messages.success(request, _("已退回责任人重新整改。"))
            else:
                raise ValidationError(_("未知的操作。"))
        except ValidationError as exc:
            messages.error(request, message_of(exc))
            item = get_rectification(request.user, pk)
        else:
            return redirect(url)
    return _page(
        request,
        "acceptance/rectification.html",
        campaign,
        "rectifications",
        {
            "item": item,
            "report_form": report_form if item.status == Rectification.Status.OPEN else None,
            "verify_form": verify_form if item.status == Rectification.Status.REPORTED else None,
            "today": timezone.localdate(),
            "is_owner": item.owner_id == request.user.pk,
        },
    )


# Summary ---------------------------------------------------------------------------------


@require_GET
def summary_page(request, campaign_pk):
    campaign = load(request, campaign_pk, watch=True)
    figures = campaign_figures(campaign)
    items = list(ChecklistItem.objects.filter(campaign=campaign).order_by("position", "pk"))
    return _page(
        request,
        "acceptance/summary.html",
        campaign,
        "summary",
        {
            "figures": figures,
            "charts": summary.charts(figures),
            "items": items,
            "totals": services.totals(items),
            "check": AcceptanceCheck.objects.filter(campaign=campaign).first(),
            "generated_at": timezone.localtime(),
        },
    )


@require_GET
def summary_xlsx(request, campaign_pk):
    campaign = load(request, campaign_pk, watch=True)
    figures = campaign_figures(campaign)
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    write_xlsx(response, summary.sheets(campaign, request.user, figures))
    name = summary.filename(campaign)
    response["Content-Disposition"] = (
        f"attachment; filename=\"summary-{campaign.pk}.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    record(
        campaign,
        request.user,
        "export.downloaded",
        _("%(who)s 导出了工作总结统计") % {"who": request.user},
    )
    return response


# Next year -----------------------------------------------------------------------------------


def next_year(request, campaign_pk):
    campaign = load(request, campaign_pk, administer=True)
    if not may_start_next_year(request.user, campaign):
        raise PermissionDenied
    form = NextYearForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.start_next_year(
                campaign,
                request.user,
                title=data["title"],
                year=data["year"],
                starts_on=data["starts_on"],
            )
        except ValidationError as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(
                request,
                _(
                    "已创建“%(title)s”：职权目录和每人的风险点、防控措施已作为草稿带入，请核对计划后开始各阶段。"
                )
                % {"title": created.title},
            )
            return redirect("campaign:plan", created.pk)
    followers = list(campaign.followers.order_by("-year", "-pk"))
    return _page(
        request,
        "acceptance/next_year.html",
        campaign,
        "next_year",
        {"form": form, "followers": followers},
    )


# Year over year ---------------------------------------------------------------------------------


@require_GET
def year_over_year(request, campaign_pk, section_pk):
    campaign, section = get_section(request.user, campaign_pk, section_pk)
    campaign = load(request, campaign.pk)
    comparison = yoy.compare(campaign, section, request.user)
    return _page(
        request,
        "acceptance/year_over_year.html",
        campaign,
        "year_over_year",
        {"section": section, "comparison": comparison, "sections_for_yoy": _sections(campaign)},
    )
