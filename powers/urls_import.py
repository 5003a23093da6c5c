"""The catalogue import, mounted at ``imports/`` with its own namespace."""

from django.urls import path

from . import views_import

app_name = "powers_import"

urlpatterns = [
    path("campaigns/<int:campaign_pk>/catalogue/", views_import.catalogue, name="catalogue"),
    path(
        "campaigns/<int:campaign_pk>/catalogue/template/",
        views_import.catalogue_template,
        name="catalogue_template",
    ),
]
