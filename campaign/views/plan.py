"""The plan: stage dates and milestones in one form; starting and completing
stages; ticking off milestones."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, ModelForm
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Section

from .. import progress, services, timeline
from ..forms.plan import CompleteStageForm, MilestoneFormSet, StageForm
from ..models import Milestone, Stage
from ..planning import save_plan
from .common import back, load, locked, posted, refuse, render_campaign


@dataclass
class StageBlock:
    stage: Stage
    form: ModelForm
    milestones: BaseInlineFormSet

    def validate(self) -> bool:
        saved_dates = (self.stage.starts_on, self.stage.due_on)
        stage_ok = self.form.is_valid()
        if not stage_ok:
            # Check the milestones against the dates that stand, not the
            # rejected ones; the form still shows what was typed.
            self.stage.starts_on, self.stage.due_on = saved_dates
        return self.milestones.is_valid() and stage_ok


def plan(request, pk):
    campaign = load(request, pk, administer=True)
    if response := locked(request, campaign):
        return response
    data = request.POST if request.method == "POST" else None
    sections = Section.objects.filter(unit=campaign.unit, is_active=True).order_by(
        "display_order", "pk"
    )
    blocks = []
    for stage in campaign.stages.order_by("position"):
        blocks.append(
            StageBlock(
                stage=stage,
                form=StageForm(data, instance=stage, prefix=f"stage-{stage.pk}"),
                milestones=MilestoneFormSet(
                    data,
                    instance=stage,
                    prefix=f"ms-{stage.pk}",
                    sections=sections,
                    queryset=Milestone.objects.filter(stage=stage).order_by(
                        "due_on", "display_order", "pk"
                    ),
                ),
            )
        )
    startable, active = timeline.stage_actions([block.stage for block in blocks])
    error = None
    if data is not None:
        results = [block.validate() for block in blocks]  # validate every block
        if all(results):
            saved, deleted = [], []
            for block in blocks:
                saved.extend(block.milestones.save(commit=False))
                deleted.extend(block.milestones.deleted_objects)
            try:
                save_plan(
                    campaign,
                    request.user,
                    stages=[block.stage for block in blocks],
                    saved_milestones=saved,
                    deleted_milestones=deleted,
                )
            except ValidationError as exc:
                error = exc
            else:
                messages.success(request, _("工作计划已保存。"))
                return redirect("campaign:plan", campaign.pk)
        else:
            error = ValidationError(_("有些日期或内容需要修改，请查看下面标红的地方。"))
    return render_campaign(
        request,
        "campaign/plan.html",
        campaign,
        "plan",
        {"blocks": blocks, "error": error, "startable": startable, "active": active},
    )


def _stage(campaign, stage_pk):
    return get_object_or_404(Stage, pk=stage_pk, campaign=campaign)


@require_POST
def stage_start(request, pk, stage_pk):
    campaign = load(request, pk, administer=True)
    stage = _stage(campaign, stage_pk)
    try:
        services.start_stage(stage.pk, request.user)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("“%(stage)s”阶段已开始。") % {"stage": stage})
    return back(request, campaign)


def stage_complete(request, pk, stage_pk):
    campaign = load(request, pk, administer=True)
    if response := locked(request, campaign):
        return response
    stage = _stage(campaign, stage_pk)
    if stage.status != Stage.Status.ACTIVE:
        messages.error(request, _("只能完成进行中的阶段。"))
        return redirect(campaign)
    form = CompleteStageForm(posted(request))
    open_work = None
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_stage(stage.pk, request.user, reason=form.cleaned_data["reason"])
        except services.OpenWorkRemains as exc:
            open_work = exc.items
            form.add_error("reason", _("本阶段还有未完成的工作，请填写原因。"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("“%(stage)s”阶段已完成。") % {"stage": stage})
            return redirect(campaign)
    if open_work is None:
        open_work = progress.open_work(stage)
    return render_campaign(
        request,
        "campaign/stage_complete.html",
        campaign,
        "plan",
        {"stage": stage, "form": form, "open_work": open_work},
    )


@require_POST
def milestone_toggle(request, pk, milestone_pk):
    campaign = load(request, pk, administer=True)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, stage__campaign=campaign)
    wanted = request.POST.get("done")
    done = (wanted == "1") if wanted in ("0", "1") else not milestone.done
    try:
        services.set_milestone_done(milestone.pk, request.user, done=done)
    except ValidationError as exc:
        refuse(request, exc)
    else:
        text = _("已标记完成：%(title)s") if done else _("已重新打开：%(title)s")
        messages.success(request, text % {"title": milestone.title})
    return back(request, campaign)
