"""Admin for the system administrator: data repair, never day-to-day work.

The administrator holds no role, so confidential signals (信访举报 …) never
appear here: the signal list leaves them out, and warnings and deductions
do not show which signal they came from. The reminder schedules themselves
are django-celery-beat's "Periodic tasks" in this admin.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Deduction,
    Disposal,
    EarlyWarning,
    Holiday,
    JobRun,
    ReminderLog,
    SettingsChange,
    WarningPolicy,
    WarningSignal,
    YearlyScore,
)


@admin.register(WarningPolicy)
class WarningPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "unit",
        "base_points",
        "level_c_at",
        "level_b_at",
        "level_a_at",
        "reviewer_waiting_days",
        "changed_by",
        "changed_at",
    )
    readonly_fields = ("changed_by", "changed_at")


@admin.register(SettingsChange)
class SettingsChangeAdmin(admin.ModelAdmin):
    """The log of the offices' changes to their warning settings: read only."""

    list_display = ("at", "unit", "kind", "summary", "by")
    list_filter = ("kind", "unit")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "unit")
    list_filter = ("unit",)
    date_hierarchy = "date"


@admin.register(WarningSignal)
class WarningSignalAdmin(admin.ModelAdmin):
    """Only signals that are not confidential."""

    list_display = ("title", "source", "target_kind", "person", "received_on", "status")
    list_filter = ("source", "status")
    raw_id_fields = ("person", "post", "section", "risk_point", "recorded_by")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(confidential=False)


@admin.register(YearlyScore)
class YearlyScoreAdmin(admin.ModelAdmin):
    list_display = ("person", "year", "base_points", "deducted", "level")
    list_filter = ("year", "level")
    raw_id_fields = ("person",)


@admin.register(Deduction)
class DeductionAdmin(admin.ModelAdmin):
    list_display = ("person", "year", "points", "reason", "recorded_at")
    list_filter = ("year",)
    raw_id_fields = ("person", "recorded_by")
    exclude = ("signal",)


class DisposalInline(admin.StackedInline):
    model = Disposal
    extra = 0
    raw_id_fields = ("responsible", "reporter", "evaluated_by", "closed_by", "created_by")


@admin.register(EarlyWarning)
class EarlyWarningAdmin(admin.ModelAdmin):
    list_display = ("title", "level", "origin", "target_kind", "person", "status", "raised_at")
    list_filter = ("level", "status", "origin", "target_kind")
    raw_id_fields = (
        "person",
        "post",
        "section",
        "deduction",
        "raised_by",
        "responded_by",
        "closed_by",
    )
    exclude = ("signal",)
    inlines = [DisposalInline]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ("kind", "object_id", "person", "day", "created_at")
    list_filter = ("kind",)
    date_hierarchy = "day"
    raw_id_fields = ("person",)


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = (
        "job",
        "unit",
        "started_at",
        "finished_at",
        "status",
        "sent_count",
        "error_count",
    )
    list_filter = ("job", "status", "unit")
    readonly_fields = (
        "job",
        "unit",
        "started_at",
        "finished_at",
        "status",
        "sent_count",
        "error_count",
        "error_text",
    )

    @admin.display(description=_("耗时"))
    def duration(self, obj):
        return obj.duration
