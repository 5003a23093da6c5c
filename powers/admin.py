"""Data maintenance for the system administrator. Catalogues change status
only through the review (campaign.approvals), so it is read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Catalogue, CatalogueRevision, Power, PowerCategory, PowerStep


@admin.register(PowerCategory)
class PowerCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "group", "campaign", "display_order")
    list_filter = ("campaign", "group")
    search_fields = ("name", "code")


class CatalogueRevisionInline(admin.TabularInline):
    model = CatalogueRevision
    fields = ("number", "approved_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Catalogue)
class CatalogueAdmin(admin.ModelAdmin):
    list_display = ("section", "campaign", "status", "revision", "submitted_at", "approved_at")
    list_filter = ("campaign", "status")
    readonly_fields = ("campaign", "section", "status", "revision", "submitted_at", "approved_at")
    inlines = [CatalogueRevisionInline]


class PowerStepInline(admin.TabularInline):
    model = PowerStep
    fields = ("position", "name", "post", "responsible", "time_limit", "is_risk")
    autocomplete_fields = ("post",)
    extra = 0


@admin.register(Power)
class PowerAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "section", "category", "publicity", "campaign")
    list_filter = ("campaign", "publicity", "direction")
    search_fields = ("code", "name", "content")
    autocomplete_fields = ("posts",)
    raw_id_fields = ("catalogue", "category")
    inlines = [PowerStepInline]
