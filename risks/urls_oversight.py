"""URLs of the section pages, the register, the list of filings and the
coverage gaps, and the short-cuts the navigation bar points to."""

from django.urls import path

from .views import filings, register, section, shortcuts

urlpatterns = [
    path("mine/", shortcuts.mine, name="mine"),
    path("section/", shortcuts.section_current, name="section_current"),
    path("register/", shortcuts.register_current, name="register_current"),
    path(
        "campaigns/<int:campaign_pk>/sections/<int:section_pk>/",
        section.section,
        name="section",
    ),
    path(
        "campaigns/<int:campaign_pk>/sections/<int:section_pk>/remind/",
        section.section_remind,
        name="section_remind",
    ),
    path("campaigns/<int:campaign_pk>/register/", register.register, name="register"),
    # GET: the list; POST (the office): create the filings of people added since.
    path("campaigns/<int:campaign_pk>/filings/", filings.filings, name="filings"),
    path("campaigns/<int:campaign_pk>/coverage/", filings.coverage, name="coverage"),
]
