"""Admin for data repair only; the office works on the publicity pages."""

from django.contrib import admin

from .models import Feedback, Window


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "campaign",
        "scope",
        "section",
        "starts_at",
        "ends_at",
        "status",
        "public",
    )
    list_filter = ("status", "scope", "public")
    search_fields = ("title",)
    raw_id_fields = ("campaign", "section", "opened_by", "closed_by")
    readonly_fields = ("token",)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("window", "channel", "submitted_at", "answered_at")
    list_filter = ("channel",)
    raw_id_fields = ("window", "answered_by")
    readonly_fields = ("source_hash",)
