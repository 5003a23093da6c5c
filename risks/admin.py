"""The admin site: the office maintains the common risk library and the
pledge templates here; filings are kept for inspection and repair (every
change is in their history)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Evidence, Filing, LibraryEntry, Measure, PledgeTemplate, RiskPoint, ScoringModel


class RiskPointInline(admin.TabularInline):
    model = RiskPoint
    fk_name = "filing"
    extra = 0
    show_change_link = True
    can_delete = False
    fields = ["position", "category", "title", "self_grade", "reviewed_grade", "final_grade"]
    readonly_fields = [
        "position",
        "category",
        "title",
        "self_grade",
        "reviewed_grade",
        "final_grade",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Filing)
class FilingAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "campaign",
        "kind",
        "section",
        "status",
        "revision",
        "submitted_at",
        "approved_at",
    ]
    list_filter = ["kind", "status", "campaign"]
    search_fields = ["owner__full_name", "owner__username", "section__name", "campaign__title"]
    list_select_related = ["campaign", "owner", "section"]
    raw_id_fields = ["owner", "section", "post", "campaign"]
    readonly_fields = [
        "version",
        "started_at",
        "submitted_at",
        "approved_at",
        "updated_at",
        "pledge_signed_at",
        "pledge_ip",
    ]
    inlines = [RiskPointInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "campaign",
                    "kind",
                    "owner",
                    "section",
                    "post",
                    "rank",
                    "status",
                    "revision",
                ]
            },
        ),
        (
            _("时间"),
            {"fields": ["started_at", "submitted_at", "approved_at", "updated_at", "version"]},
        ),
        (
            _("廉政承诺"),
            {
                "fields": [
                    "section_meeting_on",
                    "pledge_text",
                    "pledge_addressee",
                    "pledge_signed_at",
                    "pledge_ip",
                ]
            },
        ),
    ]


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["line", "position", "text", "owner", "due_on", "status", "indicator"]
    raw_id_fields = ["owner"]


@admin.register(RiskPoint)
class RiskPointAdmin(SimpleHistoryAdmin):
    list_display = ["title", "filing", "category", "self_grade", "reviewed_grade", "final_grade"]
    list_filter = ["campaign", "category", "final_grade"]
    search_fields = ["title", "content"]
    list_select_related = [
        "filing__owner",
        "filing__section",
        "category",
        "self_grade",
        "reviewed_grade",
        "final_grade",
    ]
    raw_id_fields = ["filing", "power", "power_step", "reviewed_by", "final_by", "library_entry"]
    readonly_fields = ["suggested_grade", "suggestion_reason"]
    inlines = [MeasureInline]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "line", "owner", "due_on", "status"]
    list_filter = ["line", "status"]
    search_fields = ["text", "indicator", "owner__full_name"]
    list_select_related = ["owner"]
    raw_id_fields = ["risk_point", "owner"]
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "measure", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["original_name"]
    list_select_related = ["measure", "uploaded_by"]
    raw_id_fields = ["measure", "uploaded_by"]
    readonly_fields = [
        "file",
        "original_name",
        "size",
        "content_type",
        "uploaded_by",
        "uploaded_at",
    ]


@admin.register(PledgeTemplate)
class PledgeTemplateAdmin(admin.ModelAdmin):
    list_display = ["campaign", "audience"]
    list_filter = ["audience", "campaign"]
    search_fields = ["text", "campaign__title"]


@admin.register(LibraryEntry)
class LibraryEntryAdmin(admin.ModelAdmin):
    list_display = ["code", "area", "category_name", "title", "suggested_grade", "is_active"]
    list_filter = ["is_active", "suggested_grade", "area", "category_name"]
    search_fields = ["code", "title", "content", "area", "prevention", "monitoring", "handling"]
    list_editable = ["is_active"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "area",
                    "category_name",
                    "title",
                    "content",
                    "suggested_grade",
                    "is_active",
                ]
            },
        ),
        (_("适用范围"), {"fields": ["post_types", "power_categories", "keywords"]}),
        (_("防控措施"), {"fields": ["prevention", "monitoring", "handling"]}),
    ]


@admin.register(ScoringModel)
class ScoringModelAdmin(admin.ModelAdmin):
    list_display = ["campaign", "high_threshold", "medium_threshold", "severity_floor"]
    raw_id_fields = ["campaign"]
