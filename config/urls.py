from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("廉政风险防控平台 · 管理后台")
admin.site.site_title = _("廉政风险防控平台")
admin.site.index_title = _("数据维护")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("campaigns/", include("campaign.urls")),
    path("powers/", include("powers.urls")),
    path("risks/", include("risks.urls")),
    path("warnings/", include("earlywarnings.urls")),
    path("publicity/", include("publicity.urls")),
    path("acceptance/", include("acceptance.urls")),
    path("exports/", include("campaign.urls_exports")),
    path("imports/", include("powers.urls_import")),
    path("imports/", include("risks.urls_import")),
]
