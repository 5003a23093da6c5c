"""Mobilisation (宣传动员): meetings, study materials, study confirmations,
and the permission-checked download of their attachments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User

from .. import planning, services
from ..forms.mobilisation import MaterialForm, MeetingForm
from ..models import Meeting, StudyConfirmation, StudyMaterial
from ..uploads import attachment_response
from .common import load, locked, posted, refuse, render_campaign


def mobilisation(request, pk):
    campaign = load(request, pk)
    meetings = campaign.meetings.annotate(attendee_count=Count("attendees")).select_related(
        "created_by"
    )
    materials = campaign.materials.annotate(confirmed=Count("confirmations")).order_by(
        "-required", "created_at", "pk"
    )
    mine = dict(
        StudyConfirmation.objects.filter(
            person=request.user, material__campaign=campaign
        ).values_list("material_id", "confirmed_at")
    )
    materials = list(materials)
    for material in materials:
        material.my_confirmation = mine.get(material.pk)
    context = {"meetings": meetings, "materials": materials}
    if campaign.rights.watch:
        rows = services.participation(campaign)
        context["participation"] = rows
        context["staff_total"] = User.objects.filter(
            unit=campaign.unit, is_active=True, is_superuser=False
        ).count()
        people = sum(row["total"] for row in rows)
        done = sum(row["confirmed"] for row in rows)
        context["overall"] = (
            (done / people) if people and any(m.required for m in materials) else None
        )
        context["overall_counts"] = (done, people)
    return render_campaign(request, "campaign/mobilisation.html", campaign, "mobilisation", context)


def _edit(request, campaign, form_class, instance, save, template, success):
    if response := locked(request, campaign):
        return response
    form = form_class(
        posted(request), posted(request, files=True), campaign=campaign, instance=instance
    )
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.campaign = campaign
        try:
            save(obj, form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, success)
            return redirect("campaign:mobilisation", campaign.pk)
    return render_campaign(
        request, template, campaign, "mobilisation", {"form": form, "object": instance}
    )


def meeting_edit(request, pk, meeting_pk=None):
    campaign = load(request, pk, administer=True)
    meeting = (
        get_object_or_404(Meeting, pk=meeting_pk, campaign=campaign)
        if meeting_pk
        else Meeting(campaign=campaign)
    )
    return _edit(
        request,
        campaign,
        MeetingForm,
        meeting,
        lambda obj, form: planning.save_meeting(
            obj, request.user, attendees=form.cleaned_data["attendees"], **form.upload_arguments()
        ),
        "campaign/meeting_form.html",
        _("会议已保存。"),
    )


def material_edit(request, pk, material_pk=None):
    campaign = load(request, pk, administer=True)
    material = (
        get_object_or_404(StudyMaterial, pk=material_pk, campaign=campaign)
        if material_pk
        else StudyMaterial(campaign=campaign)
    )
    return _edit(
        request,
        campaign,
        MaterialForm,
        material,
        lambda obj, form: planning.save_material(obj, request.user, **form.upload_arguments()),
        "campaign/material_form.html",
        _("学习材料已保存。"),
    )


@require_POST
def meeting_delete(request, pk, meeting_pk):
    campaign = load(request, pk, administer=True)
    meeting = get_object_or_404(Meeting, pk=meeting_pk, campaign=campaign)
    try:
        planning.delete_meeting(meeting, request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("会议已删除。"))
    return redirect("campaign:mobilisation", campaign.pk)


@require_POST
def material_delete(request, pk, material_pk):
    campaign = load(request, pk, administer=True)
    material = get_object_or_404(StudyMaterial, pk=material_pk, campaign=campaign)
    try:
        planning.delete_material(material, request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("学习材料已删除。"))
    return redirect("campaign:mobilisation", campaign.pk)


@require_POST
def confirm_study(request, pk, material_pk):
    campaign = load(request, pk)
    material = get_object_or_404(StudyMaterial, pk=material_pk, campaign=campaign)
    try:
        created = services.confirm_study(material, request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        if created:
            messages.success(request, _("已确认学习“%(title)s”。") % {"title": material.title})
    return redirect(
        reverse("campaign:mobilisation", args=[campaign.pk]) + f"#material-{material.pk}"
    )


FILE_KINDS = {
    "minutes": (Meeting, "minutes", "minutes_name"),
    "material": (StudyMaterial, "file", "file_name"),
}


def download(request, pk, kind, file_pk):
    campaign = load(request, pk)
    if kind not in FILE_KINDS:
        raise Http404
    model, field, name_field = FILE_KINDS[kind]
    obj = get_object_or_404(model, pk=file_pk, campaign=campaign)
    if not getattr(obj, field):
        raise Http404
    if campaign.unit_id != request.user.unit_id:  # belt and braces: load() already 404s
        raise PermissionDenied
    return attachment_response(getattr(obj, field), getattr(obj, name_field))
