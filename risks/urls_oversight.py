"""URLs of the section pages, the register, the list of filings and the
coverage gaps, and the short-cuts the navigation bar points to."""

from django.urls import path

from .views import oversight

urlpatterns = [
    path("mine/", oversight.mine, name="mine"),
    path("section/", oversight.section_current, name="section_current"),
    path("register/", oversight.register_current, name="register_current"),
    path(
        "campaigns/<int:campaign_pk>/sections/<int:section_pk>/",
        oversight.section,
        name="section",
    ),
    path(
        "campaigns/<int:campaign_pk>/sections/<int:section_pk>/remind/",
        oversight.section_remind,
        name="section_remind",
    ),
    path("campaigns/<int:campaign_pk>/register/", oversight.register, name="register"),
    path("campaigns/<int:campaign_pk>/filings/", oversight.filings, name="filings"),
    path("campaigns/<int:campaign_pk>/coverage/", oversight.coverage, name="coverage"),
]
