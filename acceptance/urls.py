from django.urls import path

from . import views

app_name = "acceptance"

urlpatterns = [
    path("<int:campaign_pk>/", views.overview, name="overview"),
    path("<int:campaign_pk>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("<int:campaign_pk>/checklist/", views.checklist, name="checklist"),
    path("<int:campaign_pk>/checklist/items/", views.checklist_items, name="checklist_items"),
    path("<int:campaign_pk>/rectifications/", views.rectifications, name="rectifications"),
    path(
        "<int:campaign_pk>/rectifications/new/",
        views.rectification_create,
        name="rectification_create",
    ),
    path("rectifications/<int:pk>/", views.rectification, name="rectification"),
    path("<int:campaign_pk>/summary/", views.summary_page, name="summary"),
    path("<int:campaign_pk>/summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("<int:campaign_pk>/next-year/", views.next_year, name="next_year"),
    path(
        "<int:campaign_pk>/sections/<int:section_pk>/year-over-year/",
        views.year_over_year,
        name="year_over_year",
    ),
]
