"""The export centre, mounted at ``exports/`` with its own namespace."""

from django.urls import path

from .views import exports

app_name = "exports"

urlpatterns = [
    path("", exports.index, name="index"),
    path("<int:campaign_pk>/", exports.centre, name="centre"),
    path("<int:campaign_pk>/<slug:key>/", exports.download, name="download"),
]
