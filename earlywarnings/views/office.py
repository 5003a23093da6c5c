"""The office's settings pages: reminder job runs, the holiday list and the
unit's warning rules."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_celery_beat.models import PeriodicTask

from campaign.approvals import ReviewError

from .. import access, reminders, services
from ..forms import HolidayForm, PolicyForm
from ..models import Holiday, JobRun, SettingsChange, WarningPolicy
from .common import paginate, require, show_refusal


def job_runs(request):
    """The office's view of the reminder jobs: its own unit's runs and the
    runs over all units, never another unit's; the error text (tracebacks,
    rows of any unit) only for the system administrator."""
    user = request.user
    require(access.may_configure(user))
    runs = JobRun.objects.select_related("unit")
    if not user.is_superuser:
        runs = runs.filter(Q(unit_id=user.unit_id) | Q(unit__isnull=True))
    job = request.GET.get("job", "")
    if job:
        runs = runs.filter(job=job)
    page = paginate(request, runs, 50)
    for run in page.object_list:
        run.label = reminders.job_label(run.job)
        if not user.is_superuser:
            run.error_text = ""
    schedules = list(
        # Every product schedule (reminders, publicity closing), not Celery's own.
        PeriodicTask.objects.exclude(task__startswith="celery.")
        .select_related("crontab")
        .order_by("crontab__hour", "crontab__minute", "name")
    )
    jobs = [(key, str(j.label)) for key, j in reminders.all_jobs().items()]
    return render(
        request,
        "earlywarnings/job_runs.html",
        {
            "page": page,
            "schedules": schedules,
            "jobs": jobs,
            "job": job,
            "sees_errors": user.is_superuser,
        },
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
            "changes": _recent_changes(
                user,
                [SettingsChange.Kind.HOLIDAY_SAVED, SettingsChange.Kind.HOLIDAY_DELETED],
            ),
        },
    )


def _recent_changes(user, kinds, count=10):
    return list(
        SettingsChange.objects.filter(unit_id=user.unit_id, kind__in=kinds).select_related("by")[
            :count
        ]
    )


@require_POST
def holiday_delete(request, pk):
    user = request.user
    require(access.may_configure(user))
    try:
        services.delete_holiday(user, unit_id=user.unit_id, holiday_id=pk)
    except ReviewError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("已删除。"))
    return redirect("earlywarnings:holidays")


def policy(request):
    user = request.user
    require(access.may_configure(user))
    instance = WarningPolicy.for_unit(user.unit_id)
    form = PolicyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(
                user,
                unit_id=user.unit_id,
                **{name: form.cleaned_data[name] for name in WarningPolicy.EDITABLE},
            )
        except ReviewError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            messages.success(request, _("预警规则已保存；新的扣分线自下一次扣分起生效。"))
            return redirect("earlywarnings:policy")
    return render(
        request,
        "earlywarnings/policy_form.html",
        {
            "form": form,
            "policy": WarningPolicy.objects.select_related("changed_by").get(pk=instance.pk),
            "changes": _recent_changes(user, [SettingsChange.Kind.POLICY]),
        },
    )
