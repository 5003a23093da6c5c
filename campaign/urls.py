from django.urls import path

from .views import calendar, campaigns, dashboard, mobilisation, plan, reviews, setup

app_name = "campaign"

urlpatterns = [
    path("", campaigns.campaign_list, name="list"),
    path("new/", campaigns.create, name="create"),
    path("reviews/", reviews.reviews, name="reviews"),
    path("reviews/<int:step_pk>/delegate/", reviews.delegate, name="delegate"),
    path("calendar/<str:token>.ics", calendar.feed, name="ical"),
    path("<int:pk>/", campaigns.detail, name="detail"),
    path("<int:pk>/edit/", campaigns.edit, name="edit"),
    path("<int:pk>/close/", campaigns.close, name="close"),
    path("<int:pk>/history/", campaigns.history, name="history"),
    path("<int:pk>/dashboard/", dashboard.dashboard, name="dashboard"),
    # plan and stages
    path("<int:pk>/plan/", plan.plan, name="plan"),
    path("<int:pk>/stages/<int:stage_pk>/start/", plan.stage_start, name="stage_start"),
    path("<int:pk>/stages/<int:stage_pk>/complete/", plan.stage_complete, name="stage_complete"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/toggle/",
        plan.milestone_toggle,
        name="milestone_toggle",
    ),
    # set-up
    path("<int:pk>/leading-group/", setup.leading_group, name="leading_group"),
    path(
        "<int:pk>/leading-group/<int:member_pk>/remove/",
        setup.leading_group_remove,
        name="leading_group_remove",
    ),
    path("<int:pk>/grading/", setup.grading, name="grading"),
    path("<int:pk>/chains/", setup.chains, name="chains"),
    path("<int:pk>/chains/new/", setup.chain_edit, name="chain_create"),
    path("<int:pk>/chains/<int:chain_pk>/", setup.chain_edit, name="chain_edit"),
    path("<int:pk>/chains/<int:chain_pk>/delete/", setup.chain_delete, name="chain_delete"),
    # mobilisation
    path("<int:pk>/mobilisation/", mobilisation.mobilisation, name="mobilisation"),
    path("<int:pk>/mobilisation/meetings/new/", mobilisation.meeting_edit, name="meeting_create"),
    path(
        "<int:pk>/mobilisation/meetings/<int:meeting_pk>/",
        mobilisation.meeting_edit,
        name="meeting_edit",
    ),
    path(
        "<int:pk>/mobilisation/meetings/<int:meeting_pk>/delete/",
        mobilisation.meeting_delete,
        name="meeting_delete",
    ),
    path(
        "<int:pk>/mobilisation/materials/new/", mobilisation.material_edit, name="material_create"
    ),
    path(
        "<int:pk>/mobilisation/materials/<int:material_pk>/",
        mobilisation.material_edit,
        name="material_edit",
    ),
    path(
        "<int:pk>/mobilisation/materials/<int:material_pk>/delete/",
        mobilisation.material_delete,
        name="material_delete",
    ),
    path(
        "<int:pk>/mobilisation/materials/<int:material_pk>/confirm/",
        mobilisation.confirm_study,
        name="confirm_study",
    ),
    path("<int:pk>/files/<str:kind>/<int:file_pk>/", mobilisation.download, name="file"),
]
