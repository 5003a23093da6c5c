from django.urls import path

from . import views

app_name = "powers"

# Mounted at /powers/ (config/urls.py), so the navigation entry needs no
# campaign and every catalogue page keeps it highlighted.
urlpatterns = [
    path("", views.current, name="current"),
    path("<int:campaign_pk>/", views.overview, name="overview"),
    path("<int:campaign_pk>/compare/", views.compare, name="compare"),
    path("<int:campaign_pk>/categories/", views.categories, name="categories"),
    path("<int:campaign_pk>/carry-over/", views.carry_over, name="carry_over"),
    path("<int:campaign_pk>/sections/<int:section_pk>/", views.catalogue, name="catalogue"),
    path(
        "<int:campaign_pk>/sections/<int:section_pk>/new/", views.power_create, name="power_create"
    ),
    path(
        "<int:campaign_pk>/sections/<int:section_pk>/submit/",
        views.catalogue_submit,
        name="catalogue_submit",
    ),
    path(
        "<int:campaign_pk>/sections/<int:section_pk>/approve/",
        views.catalogue_approve,
        name="catalogue_approve",
    ),
    path(
        "<int:campaign_pk>/sections/<int:section_pk>/return/",
        views.catalogue_return,
        name="catalogue_return",
    ),
    path(
        "<int:campaign_pk>/sections/<int:section_pk>/revise/",
        views.catalogue_revise,
        name="catalogue_revise",
    ),
    path(
        "<int:campaign_pk>/sections/<int:section_pk>/history/",
        views.catalogue_history,
        name="catalogue_history",
    ),
    path("<int:campaign_pk>/items/<int:pk>/", views.power_detail, name="power"),
    path("<int:campaign_pk>/items/<int:pk>/edit/", views.power_edit, name="power_edit"),
    path("<int:campaign_pk>/items/<int:pk>/delete/", views.power_delete, name="power_delete"),
    path(
        "<int:campaign_pk>/items/<int:pk>/flowchart.svg",
        views.flowchart_svg,
        name="flowchart_svg",
    ),
]
