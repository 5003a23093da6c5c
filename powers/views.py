"""Pages of the power catalogue: each section's catalogue and its review,
a power with its flowchart, the unit-wide overview, the categories, the
comparison with last year's catalogue."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import standing
from campaign import approvals
from campaign.access import current_campaign, may_administer, visible_campaigns
from campaign.models import ReviewStep

from . import diff, extensions, flowchart, queries, services
from .access import (
    get_campaign_for_powers,
    get_catalogue,
    get_power,
    get_section,
    may_edit,
    may_watch,
    power_filter,
    sees_whole_section,
)
from .filters import PowerFilter
from .forms import ApproveForm, CarryOverForm, CategoryFormSet, PowerForm, ReturnForm, StepFormSet
from .models import Catalogue, Power

# What a reader outside the section and the whole-unit watchers never reads.
HIDDEN_FROM_STAFF = (Power.Publicity.UNPUBLISHED,)

PAGE_SIZE = 25


def _messages_from(request, error):
    for message in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, message)


def _refuse_if_closed(request, campaign, to):
    if campaign.is_closed:
        messages.error(request, _("本次活动已结束并锁定，不能再修改。"))
        return redirect(to)
    return None


# Entry -------------------------------------------------------------------


def current(request):
    """The navigation entry: the person's own section's catalogue, or the overview."""
    campaign = current_campaign(request.user)
    if campaign is None:
        return render(request, "powers/no_campaign.html")
    who = standing(request.user)
    if may_administer(request.user, campaign):
        return redirect("powers:overview", campaign.pk)
    headed = sorted(who.headed_section_ids)
    if headed:
        return redirect("powers:catalogue", campaign.pk, headed[0])
    if may_watch(request.user, campaign):
        return redirect("powers:overview", campaign.pk)
    if request.user.section_id:
        return redirect("powers:catalogue", campaign.pk, request.user.section_id)
    return render(request, "powers/no_campaign.html", {"campaign": campaign})


# Unit-wide ---------------------------------------------------------------


def overview(request, campaign_pk):
    campaign = get_campaign_for_powers(request.user, campaign_pk, watch=True)
    services.ensure_categories(campaign)
    data = queries.overview(campaign)
    administer = may_administer(request.user, campaign)
    carry_form = None
    if administer and not campaign.is_closed and data.total_powers == 0:
        carry_form = CarryOverForm(campaign=campaign)
        if not carry_form.fields["previous"].queryset.exists():
            carry_form = None
    return render(
        request,
        "powers/overview.html",
        {
            "campaign": campaign,
            "data": data,
            "administer": administer,
            "carry_form": carry_form,
            "Status": Catalogue.Status,
        },
    )


@require_POST
def carry_over(request, campaign_pk):
    campaign = get_campaign_for_powers(request.user, campaign_pk, administer=True)
    back = reverse("powers:overview", args=[campaign.pk])
    if refused := _refuse_if_closed(request, campaign, back):
        return refused
    form = CarryOverForm(request.POST, campaign=campaign)
    if not form.is_valid():
        messages.error(request, _("请选择要导入的年度活动。"))
        return redirect(back)
    try:
        counts = services.carry_over(form.cleaned_data["previous"], campaign, request.user)
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(
            request,
            _(
                "已导入 %(catalogues)d 个科室的 %(powers)d 项职权（含 %(steps)d 个流程环节），均为编制中状态。"
            )
            % counts,
        )
    return redirect(back)


def compare(request, campaign_pk):
    campaign = get_campaign_for_powers(request.user, campaign_pk, watch=True)
    others = visible_campaigns(request.user).exclude(pk=campaign.pk).order_by("-year", "-id")
    previous = None
    wanted = request.GET.get("against")
    if wanted and wanted.isdigit():
        previous = others.filter(pk=wanted).first()
    if previous is None and campaign.previous_id:
        previous = others.filter(pk=campaign.previous_id).first()
    if previous is None:
        previous = others.filter(year__lt=campaign.year).first()
    result = sections = None
    if previous is not None:
        old = [services.power_snapshot(p) for p in _all_powers(previous, request.user)]
        new = [services.power_snapshot(p) for p in _all_powers(campaign, request.user)]
        result = diff.compare(old, new)
        sections = {p["code"]: p.get("section", "") for p in old + new}
    return render(
        request,
        "powers/compare.html",
        {
            "campaign": campaign,
            "previous": previous,
            "others": others,
            "diff": result,
            "sections": sections,
        },
    )


def _all_powers(campaign, user):
    powers = services.powers_for_snapshot(
        Power.objects.filter(campaign=campaign)
        .filter(power_filter(user, campaign))
        .order_by("section__display_order", "sequence", "id")
    )
    return list(powers)


def categories(request, campaign_pk):
    campaign = get_campaign_for_powers(request.user, campaign_pk, watch=True)
    services.ensure_categories(campaign)
    administer = may_administer(request.user, campaign) and not campaign.is_closed
    queryset = campaign.power_categories.all()
    if request.method == "POST":
        if not may_administer(request.user, campaign):
            raise PermissionDenied
        if refused := _refuse_if_closed(request, campaign, request.path):
            return refused
        formset = CategoryFormSet(request.POST, queryset=queryset, prefix="categories")
        if formset.is_valid():
            try:
                services.save_categories(campaign, formset, request.user)
            except ValidationError as error:
                _messages_from(request, error)
            else:
                messages.success(request, _("职权类别已保存。"))
                return redirect("powers:categories", campaign.pk)
    else:
        formset = CategoryFormSet(queryset=queryset, prefix="categories")
    usage = dict(_category_usage(campaign))
    return render(
        request,
        "powers/categories.html",
        {"campaign": campaign, "formset": formset, "administer": administer, "usage": usage},
    )


def _category_usage(campaign):
    return (
        Power.objects.filter(campaign=campaign)
        .values("category_id")
        .annotate(n=Count("pk"))
        .values_list("category_id", "n")
    )


# A section's catalogue -----------------------------------------------------


def catalogue(request, campaign_pk, section_pk):
    cat = get_catalogue(request.user, campaign_pk, section_pk)
    campaign, section = cat.campaign, cat.section
    services.ensure_categories(campaign)
    powers = Power.objects.filter(campaign=campaign, section=section)
    powers = powers.filter(power_filter(request.user, campaign)).select_related("category")
    powers = queries.annotated_powers(powers).order_by("sequence", "id")
    filterset = PowerFilter(request.GET or None, queryset=powers, campaign=campaign)
    listed = filterset.qs.prefetch_related("posts")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    editor = may_edit(request.user, campaign, section)
    step = queries.open_steps([cat]).get(cat.pk) if cat.pk else None
    returned = None
    if cat.status == Catalogue.Status.RETURNED:
        returned = (
            ReviewStep.objects.filter(
                review__subject_type=ContentType.objects.get_for_model(Catalogue),
                review__subject_id=cat.pk,
                status=ReviewStep.Status.RETURNED,
            )
            .select_related("decided_by")
            .order_by("-decided_at")
            .first()
        )
    return render(
        request,
        "powers/catalogue.html",
        {
            "campaign": campaign,
            "section": section,
            "catalogue": cat,
            "filter": filterset,
            "page": page,
            "editor": editor,
            "can_edit": editor and cat.is_editable and not campaign.is_closed,
            "can_revise": editor
            and cat.status == Catalogue.Status.APPROVED
            and not campaign.is_closed,
            "step": step,
            "may_act": bool(step)
            and approvals.may_act(request.user, step)
            and not campaign.is_closed,
            "returned": returned,
            "watcher": may_watch(request.user, campaign),
            "tracks_risks": extensions.tracks_risks(),
            "approve_form": ApproveForm(),
            "return_form": ReturnForm(),
            "Status": Catalogue.Status,
        },
    )


@require_POST
def catalogue_submit(request, campaign_pk, section_pk):
    cat = get_catalogue(request.user, campaign_pk, section_pk, edit=True)
    try:
        services.submit_catalogue(cat, request.user)
    except (ValidationError, PermissionDenied) as error:
        _messages_from(request, error)
    else:
        messages.success(request, _("职权目录已提交审核。"))
    return redirect("powers:catalogue", cat.campaign.pk, cat.section.pk)


@require_POST
def catalogue_revise(request, campaign_pk, section_pk):
    cat = get_catalogue(request.user, campaign_pk, section_pk, edit=True)
    try:
        cat = services.open_revision(cat, request.user)
    except (ValidationError, PermissionDenied) as error:
        _messages_from(request, error)
    else:
        messages.success(
            request,
            _("已开启第 %(revision)d 版修订，修改后请重新提交审核。") % {"revision": cat.revision},
        )
    return redirect("powers:catalogue", campaign_pk, section_pk)


def _review_step(request, campaign_pk, section_pk):
    cat = get_catalogue(request.user, campaign_pk, section_pk)
    if cat.pk is None:
        raise Http404
    step_id = request.POST.get("step")
    if not (step_id or "").isdigit():
        raise Http404
    content_type = ContentType.objects.get_for_model(Catalogue)
    if not ReviewStep.objects.filter(
        pk=step_id, review__subject_type=content_type, review__subject_id=cat.pk
    ).exists():
        raise Http404
    return cat, int(step_id)


@require_POST
def catalogue_approve(request, campaign_pk, section_pk):
    cat, step_id = _review_step(request, campaign_pk, section_pk)
    form = ApproveForm(request.POST)
    form.is_valid()
    try:
        approvals.approve(step_id, request.user, opinion=form.cleaned_data.get("opinion", ""))
    except (ValidationError, PermissionDenied) as error:
        _messages_from(request, error)
    else:
        messages.success(request, _("已同意。"))
    return redirect("powers:catalogue", campaign_pk, section_pk)


@require_POST
def catalogue_return(request, campaign_pk, section_pk):
    cat, step_id = _review_step(request, campaign_pk, section_pk)
    try:
        approvals.return_for_changes(step_id, request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        _messages_from(request, error)
    else:
        messages.success(request, _("已退回，并通知提交人修改。"))
    return redirect("powers:catalogue", campaign_pk, section_pk)


def catalogue_history(request, campaign_pk, section_pk):
    cat = get_catalogue(request.user, campaign_pk, section_pk)
    whole = sees_whole_section(request.user, cat.campaign, cat.section)
    hidden = () if whole or may_watch(request.user, cat.campaign) else HIDDEN_FROM_STAFF
    revisions = list(cat.revisions.order_by("number")) if cat.pk else []
    changes = []
    previous = []
    for revision in revisions:
        snapshot = [p for p in revision.snapshot if p.get("publicity") not in hidden]
        changes.append(
            {
                "revision": revision,
                "diff": diff.compare(previous, snapshot),
                "first": not previous,
                "count": len(snapshot),
            }
        )
        previous = snapshot
    draft = None
    # A revision in progress is its section's and the office's until approved.
    if whole and cat.pk and cat.status != Catalogue.Status.APPROVED and revisions:
        draft = diff.compare(previous, services.snapshot(cat))
    changes.reverse()
    return render(
        request,
        "powers/history.html",
        {
            "campaign": cat.campaign,
            "section": cat.section,
            "catalogue": cat,
            "changes": changes,
            "draft": draft,
            "timeline": approvals.history(cat) if cat.pk else [],
        },
    )


# Powers ------------------------------------------------------------------


def power_detail(request, campaign_pk, pk):
    power = get_power(request.user, campaign_pk, pk)
    campaign, cat = power.campaign, power.catalogue
    steps = list(power.steps.select_related("post__section").order_by("position", "id"))
    editor = may_edit(request.user, campaign, power.section)
    return render(
        request,
        "powers/power.html",
        {
            "campaign": campaign,
            "power": power,
            "catalogue": cat,
            "section": power.section,
            "posts": list(power.posts.all()),
            "steps": steps,
            "svg": flowchart.render(power, steps) if steps else "",
            "can_edit": editor and cat.is_editable and not campaign.is_closed,
            "extra_sections": extensions.sections_for(power, request.user),
            "tracks_risks": extensions.tracks_risks(),
        },
    )


def flowchart_svg(request, campaign_pk, pk):
    power = get_power(request.user, campaign_pk, pk)
    steps = list(power.steps.select_related("post__section").order_by("position", "id"))
    if not steps:
        raise Http404
    response = HttpResponse(
        flowchart.document(power, steps), content_type="image/svg+xml; charset=utf-8"
    )
    name = flowchart.file_name(power)
    ascii_name = f"flowchart-{power.pk}.svg"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def _power_form_page(request, *, campaign, section, power, template_title):
    cat = get_catalogue(request.user, campaign.pk, section.pk, edit=True)
    back = power.get_absolute_url() if power.pk else cat.get_absolute_url()
    if refused := _refuse_if_closed(request, campaign, back):
        return refused
    if not cat.is_editable:
        messages.error(request, _("职权目录已提交审核或已审定，不能修改；已审定的目录请先“修订”。"))
        return redirect(back)
    services.ensure_categories(campaign)
    suggested = services.next_code(campaign, section)[1] if not power.pk else ""
    data = request.POST if request.method == "POST" else None
    form = PowerForm(
        data, instance=power, campaign=campaign, section=section, suggested_code=suggested
    )
    steps = StepFormSet(data, instance=power, prefix="steps", campaign=campaign, section=section)
    if request.method == "POST":
        form_ok, steps_ok = form.is_valid(), steps.is_valid()
        if form_ok and steps_ok:
            try:
                saved = services.save_power(
                    campaign=campaign, section=section, form=form, steps=steps, by=request.user
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    form.add_error(None, error)
                else:
                    _messages_from(request, error)
            else:
                messages.success(request, _("已保存 %(power)s。") % {"power": saved})
                return redirect(saved.get_absolute_url())
        else:
            messages.error(request, _("请按提示修改后再保存。"))
    return render(
        request,
        "powers/power_form.html",
        {
            "campaign": campaign,
            "section": section,
            "catalogue": cat,
            "power": power,
            "form": form,
            "steps": steps,
            "page_title": template_title,
            "back": back,
        },
    )


def power_create(request, campaign_pk, section_pk):
    campaign, section = get_section(request.user, campaign_pk, section_pk, edit=True)
    power = Power(campaign=campaign, section=section)
    return _power_form_page(
        request, campaign=campaign, section=section, power=power, template_title=_("新增职权")
    )


def power_edit(request, campaign_pk, pk):
    power = get_power(request.user, campaign_pk, pk, edit=True)
    return _power_form_page(
        request,
        campaign=power.campaign,
        section=power.section,
        power=power,
        template_title=_("编辑职权"),
    )


def power_delete(request, campaign_pk, pk):
    power = get_power(request.user, campaign_pk, pk, edit=True)
    campaign, cat = power.campaign, power.catalogue
    if refused := _refuse_if_closed(request, campaign, power.get_absolute_url()):
        return refused
    if not cat.is_editable:
        messages.error(request, _("职权目录已提交审核或已审定，不能修改；已审定的目录请先“修订”。"))
        return redirect(power.get_absolute_url())
    if request.method == "POST":
        try:
            services.delete_power(power, request.user)
        except (ValidationError, PermissionDenied) as error:
            _messages_from(request, error)
            return redirect(power.get_absolute_url())
        messages.success(request, _("已删除 %(power)s。") % {"power": power})
        return redirect(cat.get_absolute_url())
    return render(
        request,
        "powers/power_delete.html",
        {"campaign": campaign, "power": power, "catalogue": cat, "section": power.section},
    )
