"""The office's settings pages: reminder job runs, the holiday list and the
unit's warning rules."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_celery_beat.models import PeriodicTask

from campaign.approvals import ReviewError

from .. import access, reminders, services
from ..forms import HolidayForm, PolicyForm
from ..models import Holiday, JobRun, WarningPolicy
from .common import paginate, require, show_refusal


def job_runs(request):
    require(access.may_configure(request.user))
    runs = JobRun.objects.all()
    job = request.GET.get("job", "")
    if job:
        runs = runs.filter(job=job)
    page = paginate(request, runs, 50)
    for run in page.object_list:
        run.label = reminders.job_label(run.job)
    schedules = list(
        # Every product schedule (reminders, publicity closing), not Celery's own.
        PeriodicTask.objects.exclude(task__startswith="celery.")
        .select_related("crontab")
        .order_by("crontab__hour", "crontab__minute", "name")
    )
    jobs = [(key, str(j.label)) for key, j in {**reminders.JOBS, **reminders.EXTRA_DAILY}.items()]
    return render(
        request,
        "earlywarnings/job_runs.html",
        {"page": page, "schedules": schedules, "jobs": jobs, "job": job},
    )


def holidays(request):
    user = request.user
    require(access.may_configure(user))
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_holiday(
                user,
                unit_id=user.unit_id,
                date=form.cleaned_data["date"],
                name=form.cleaned_data["name"],
            )
        except ReviewError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("节假日已保存。"))
            return redirect("earlywarnings:holidays")
    policy = WarningPolicy.for_unit(user.unit_id)
    return render(
        request,
        "earlywarnings/holidays.html",
        {
            "form": form,
            "holidays": Holiday.objects.filter(unit_id=user.unit_id).order_by("date"),
            "policy": policy,
            "today": timezone.localdate(),
        },
    )


@require_POST
def holiday_delete(request, pk):
    user = request.user
    require(access.may_configure(user))
    deleted, _rows = Holiday.objects.filter(pk=pk, unit_id=user.unit_id).delete()
    if deleted:
        messages.success(request, _("已删除。"))
    return redirect("earlywarnings:holidays")


def policy(request):
    user = request.user
    require(access.may_configure(user))
    instance = WarningPolicy.for_unit(user.unit_id)
    form = PolicyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("预警规则已保存；新的扣分线自下一次扣分起生效。"))
        return redirect("earlywarnings:policy")
    return render(request, "earlywarnings/policy_form.html", {"form": form})
