"""Admin for the system administrator: data repair, never day-to-day work
(the office uses the campaign pages, which keep the history)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from .models import (
    AuditEntry,
    Campaign,
    ChainStep,
    ChainTemplate,
    GradeLevel,
    LeadingGroupMember,
    Meeting,
    Milestone,
    Review,
    ReviewStep,
    RiskCategory,
    Stage,
    StudyMaterial,
)


class StageInline(admin.TabularInline):
    model = Stage
    fields = ("kind", "starts_on", "due_on", "status", "started_at", "completed_at")
    readonly_fields = ("started_at", "completed_at")
    extra = 0
    show_change_link = True


class GradeLevelInline(admin.TabularInline):
    model = GradeLevel
    fields = ("rank", "label", "colour", "tier")
    extra = 0


class RiskCategoryInline(admin.TabularInline):
    model = RiskCategory
    fields = ("name", "description", "display_order")
    extra = 0


class LeadingGroupInline(admin.TabularInline):
    model = LeadingGroupMember
    fields = ("person", "role", "duty", "display_order")
    autocomplete_fields = ("person",)
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(GuardedModelAdmin):
    list_display = ("title", "unit", "year", "status", "grading_scheme", "starts_on", "created_at")
    list_filter = ("status", "year", "grading_scheme", "unit")
    search_fields = ("title", "basis_doc_no", "basis_doc_title", "unit__name")
    list_select_related = ("unit",)
    readonly_fields = ("created_by", "created_at", "closed_at")
    autocomplete_fields = ("previous",)
    date_hierarchy = "starts_on"
    inlines = [StageInline, GradeLevelInline, RiskCategoryInline, LeadingGroupInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ("title", "due_on", "responsible", "section", "done", "done_at")
    readonly_fields = ("done_at",)
    extra = 0


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ("__str__", "campaign", "starts_on", "due_on", "status")
    list_filter = ("status", "kind", "campaign__unit")
    search_fields = ("campaign__title",)
    list_select_related = ("campaign",)
    inlines = [MilestoneInline]


class ChainStepInline(admin.TabularInline):
    model = ChainStep
    fields = ("position", "role")
    extra = 0


@admin.register(ChainTemplate)
class ChainTemplateAdmin(admin.ModelAdmin):
    list_display = ("__str__", "campaign", "subject", "filer_rank", "flow")
    list_filter = ("subject", "filer_rank", "campaign__unit")
    search_fields = ("campaign__title", "note")
    list_select_related = ("campaign",)
    inlines = [ChainStepInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("steps")

    @admin.display(description=_("流程"))
    def flow(self, chain):
        return chain.describe()


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewStepInline(ReadOnlyInline):
    model = ReviewStep
    fields = (
        "round",
        "position",
        "role",
        "status",
        "opened_at",
        "decided_at",
        "decided_by",
        "delegate",
        "opinion",
        "meeting_date",
        "note",
    )
    readonly_fields = fields


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Reviews move only through the approval engine; the admin only shows them."""

    list_display = (
        "__str__",
        "campaign",
        "subject_kind",
        "filer",
        "status",
        "round",
        "submitted_at",
    )
    list_filter = ("status", "subject_kind", "campaign__unit")
    search_fields = ("filer__full_name", "campaign__title")
    list_select_related = ("campaign", "filer")
    readonly_fields = [f.name for f in Review._meta.fields]
    inlines = [ReviewStepInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("topic", "campaign", "held_on", "place", "minutes_name")
    list_filter = ("campaign__unit", "held_on")
    search_fields = ("topic", "place", "notes", "campaign__title")
    list_select_related = ("campaign",)
    autocomplete_fields = ("attendees",)
    date_hierarchy = "held_on"


@admin.register(StudyMaterial)
class StudyMaterialAdmin(admin.ModelAdmin):
    list_display = ("title", "campaign", "required", "file_name", "created_at")
    list_filter = ("required", "campaign__unit")
    search_fields = ("title", "description", "campaign__title")
    list_select_related = ("campaign",)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The history is evidence: nobody edits or deletes it, not even here."""

    list_display = ("at", "campaign", "actor", "action", "summary")
    list_filter = ("action", "campaign__unit", "campaign")
    search_fields = ("summary", "detail", "actor__full_name", "campaign__title")
    list_select_related = ("campaign", "actor")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
