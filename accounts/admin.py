from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Notification, NotificationPreference, Post, Section, Unit, User


class SectionInline(admin.TabularInline):
    model = Section
    fields = ("name", "code", "kind", "head", "display_order", "is_active")
    autocomplete_fields = ("head",)
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "supervision_phone")
    search_fields = ("name", "short_name")
    inlines = [SectionInline]


class PostInline(admin.TabularInline):
    model = Post
    fields = ("name", "key_type", "duties", "display_order")
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "unit", "kind", "head", "display_order", "is_active")
    list_filter = ("unit", "kind", "is_active")
    list_editable = ("display_order",)
    search_fields = ("name", "code", "head__full_name")
    autocomplete_fields = ("head", "supervising_leaders")
    list_select_related = ("unit", "head")
    inlines = [PostInline]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("name", "section", "key_type", "display_order")
    list_filter = ("key_type", "section__unit", "section")
    search_fields = ("name", "section__name", "duties")
    list_select_related = ("section",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("full_name", "username", "employee_no", "section", "post", "rank", "is_active")
    list_filter = ("rank", "is_active", "unit", "section", "groups")
    search_fields = ("full_name", "username", "employee_no", "phone", "email")
    list_select_related = ("section", "post")
    autocomplete_fields = ("section", "post")
    ordering = ("section__display_order", "employee_no")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("人员信息"), {"fields": ("full_name", "employee_no", "phone", "email", "title")}),
        (_("组织"), {"fields": ("unit", "section", "post", "rank")}),
        (
            _("权限"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "employee_no",
                    "unit",
                    "section",
                    "post",
                    "rank",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__full_name")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "by_email")
    list_filter = ("kind", "by_email")
    raw_id_fields = ("user",)
