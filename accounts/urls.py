from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_import

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox_mark_read"),
    path("inbox/<int:pk>/", views.open_notification, name="open_notification"),
    path("inbox/preferences/", views.notification_preferences, name="notification_preferences"),
    path("accounts/import/roster/", views_import.roster, name="roster_import"),
    path(
        "accounts/import/roster/template/",
        views_import.roster_template,
        name="roster_import_template",
    ),
]
