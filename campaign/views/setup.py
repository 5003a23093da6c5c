"""The campaign's set-up: leading group, grading and categories, approval chains."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import planning, services
from ..forms.setup import (
    CategoryFormSet,
    ChainForm,
    GradeLevelFormSet,
    HighGradeForm,
    LeadingGroupMemberForm,
)
from ..models import ChainTemplate, FilerRank, LeadingGroupMember, Subject
from .common import load, locked, posted, refuse, render_campaign

ROLE_ORDER = {role: i for i, role in enumerate(LeadingGroupMember.Role.values)}


def leading_group_by_role(campaign):
    """[(role label, [members])] in the order 组长, 副组长, 成员, 办公室主任, 办公室成员."""
    members = (
        campaign.leading_group.select_related("person", "person__section")
        .annotate(
            role_order=Case(
                *[When(role=role, then=Value(i)) for role, i in ROLE_ORDER.items()],
                output_field=IntegerField(),
            )
        )
        .order_by("role_order", "display_order", "pk")
    )
    groups = []
    for member in members:
        if not groups or groups[-1][0] != member.role:
            groups.append((member.role, member.get_role_display(), []))
        groups[-1][2].append(member)
    return [(label, people) for _role, label, people in groups]


def leading_group(request, pk):
    campaign = load(request, pk)
    form = None
    editing = None
    if request.method == "POST":
        if not campaign.rights.administer:
            raise PermissionDenied
        if response := locked(request, campaign):
            return response
    if campaign.rights.edit:
        edit_pk = request.POST.get("member") or request.GET.get("edit")
        if edit_pk:
            editing = get_object_or_404(LeadingGroupMember, pk=edit_pk, campaign=campaign)
        form = LeadingGroupMemberForm(
            posted(request), campaign=campaign, instance=editing or LeadingGroupMember()
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.save_leading_group_member(
                    campaign,
                    request.user,
                    person=data["person"],
                    role=data["role"],
                    duty=data["duty"],
                    display_order=data["display_order"],
                    member=editing,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("领导小组已更新。"))
                return redirect("campaign:leading_group", campaign.pk)
    return render_campaign(
        request,
        "campaign/leading_group.html",
        campaign,
        "leading_group",
        {"groups": leading_group_by_role(campaign), "form": form, "editing": editing},
    )


@require_POST
def leading_group_remove(request, pk, member_pk):
    campaign = load(request, pk, administer=True)
    member = get_object_or_404(
        LeadingGroupMember.objects.select_related("person"), pk=member_pk, campaign=campaign
    )
    try:
        services.remove_leading_group_member(member, request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("已将 %(person)s 移出领导小组。") % {"person": member.person})
    return redirect("campaign:leading_group", campaign.pk)


def grading(request, pk):
    campaign = load(request, pk, administer=True)
    if response := locked(request, campaign):
        return response
    data = request.POST if request.method == "POST" else None
    levels = GradeLevelFormSet(
        data, queryset=campaign.grade_levels.order_by("rank"), prefix="level"
    )
    categories = CategoryFormSet(
        data,
        queryset=campaign.risk_categories.order_by("display_order", "pk"),
        prefix="category",
    )
    ratio = HighGradeForm(data, initial={"high_grade_ratio": campaign.high_grade_ratio})
    error = None
    if data is not None:
        valid = [levels.is_valid(), categories.is_valid(), ratio.is_valid()]
        if all(valid):
            saved_categories = categories.save(commit=False)
            try:
                planning.save_grading(
                    campaign,
                    request.user,
                    levels=[form.instance for form in levels.forms],
                    saved_categories=saved_categories,
                    deleted_categories=categories.deleted_objects,
                    high_grade_ratio=ratio.cleaned_data["high_grade_ratio"],
                )
            except ValidationError as exc:
                error = exc
            else:
                messages.success(request, _("风险等级和风险类别已保存。"))
                return redirect("campaign:grading", campaign.pk)
        else:
            error = ValidationError(_("有些内容需要修改，请查看下面标红的地方。"))
    return render_campaign(
        request,
        "campaign/grading.html",
        campaign,
        "grading",
        {"levels": levels, "categories": categories, "ratio": ratio, "error": error},
    )


def chains(request, pk):
    campaign = load(request, pk)
    templates = sorted(
        campaign.chains.prefetch_related("steps"),
        key=lambda c: (Subject.values.index(c.subject), FilerRank.values.index(c.filer_rank)),
    )
    return render_campaign(
        request, "campaign/chains.html", campaign, "chains", {"chains": templates}
    )


def chain_edit(request, pk, chain_pk=None):
    campaign = load(request, pk, administer=True)
    if response := locked(request, campaign):
        return response
    chain = None
    if chain_pk is not None:
        chain = get_object_or_404(
            ChainTemplate.objects.prefetch_related("steps"), pk=chain_pk, campaign=campaign
        )
    form = ChainForm(posted(request), campaign=campaign, chain=chain)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planning.save_chain(
                campaign,
                request.user,
                chain=chain,
                subject=data["subject"],
                filer_rank=data["filer_rank"],
                note=data["note"],
                roles=data["roles"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("审核流程已保存。"))
            return redirect("campaign:chains", campaign.pk)
    return render_campaign(
        request, "campaign/chain_form.html", campaign, "chains", {"form": form, "chain": chain}
    )


@require_POST
def chain_delete(request, pk, chain_pk):
    campaign = load(request, pk, administer=True)
    chain = get_object_or_404(ChainTemplate, pk=chain_pk, campaign=campaign)
    try:
        planning.delete_chain(chain, request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("审核流程已删除。"))
    return redirect("campaign:chains", campaign.pk)
