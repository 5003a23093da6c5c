"""The register import, mounted at ``imports/`` with its own namespace."""

from django.urls import path

from . import views_import

app_name = "risks_import"

urlpatterns = [
    path("campaigns/<int:campaign_pk>/register/", views_import.register, name="register"),
    path(
        "campaigns/<int:campaign_pk>/register/template/",
        views_import.register_template,
        name="register_template",
    ),
]
