"""Admin for data repair only; the office works on the acceptance pages."""

from django.contrib import admin

from .models import AcceptanceCheck, ChecklistItem, Rectification, SelfAssessment


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ("area", "campaign", "max_score", "score")
    raw_id_fields = ("campaign", "scored_by")


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    list_display = ("description", "campaign", "owner", "due_on", "status")
    list_filter = ("status",)
    raw_id_fields = ("campaign", "item", "section", "owner", "verified_by", "created_by")


admin.site.register(SelfAssessment)
admin.site.register(AcceptanceCheck)
