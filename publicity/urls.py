from django.urls import path

from . import views

app_name = "publicity"

urlpatterns = [
    path("", views.notices, name="list"),
    path("campaigns/<int:campaign_pk>/", views.manage, name="manage"),
    path("<int:pk>/", views.notice, name="notice"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/manage/", views.window, name="window"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/link/", views.regenerate, name="regenerate"),
    path("feedback/<int:pk>/answer/", views.answer, name="answer"),
    # The public link: no login, an unguessable token (never the pk).
    path("p/<slug:token>/", views.public, name="public"),
]
