from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("廉政风险防控平台 · 管理后台")
admin.site.site_title = _("廉政风险防控平台")
admin.site.index_title = _("数据维护")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
]
