"""Every route of the site, and who may open it.

:func:`all_routes` walks ``django.urls.get_resolver()`` recursively. Each
route must have an entry in :data:`ROUTES` (keyed by its namespaced name):
how to fill its path parameters from the world in ``world.py``, which
method to use (POST for routes that only accept POST), and the expected
access. The admin site's routes are covered by one generic rule
(:func:`admin_cases`): every one of them is for the system administrator
only, whatever model a new ModelAdmin adds. To the admin site every role
but the administrator is the same (no ``is_staff``): anonymous people, the
outsider and the office head walk all of it, the other roles its index and
lists (:func:`walks_admin_route`).

A new route without an entry fails ``test_every_route_is_in_the_table``:
add it below with its parameters and its expected access.

Roles (see ``world.ROLES``): anonymous; outsider (the office head and
discipline inspector of another unit); staff (general staff of section A,
the person named in the confidential petition); head (heads section A);
supervisor (supervising leader of section A); office (an office member, not
its head); office_head; leading_group; committee (party committee, the
leading group's leader); discipline; auditor; superuser (no role, in ours).
"""

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver

from campaign import exports

from .world import ROLES

# Role groups ---------------------------------------------------------------------

# Everyone of our unit: every role the checks sign in as but the two outsiders.
UNIT = frozenset(ROLES) - {"anonymous", "outsider"}
OFFICE = frozenset({"office", "office_head"})
# campaign.access.may_watch: the office and whoever sees the whole unit.
WATCHERS = OFFICE | {"leading_group", "committee", "discipline", "auditor"}
# risks.access.sees_all: every filing of the campaign.
SEES_ALL = OFFICE | {"leading_group", "discipline"}
# earlywarnings.access.may_manage: signals, deductions, disposals.
MANAGERS = OFFICE | {"discipline"}
# Only these see a confidential signal (never the person named, nor their head).
CONFIDENTIAL = frozenset({"office_head", "discipline"})
# campaign.exports.may_export: the office and auditors, discipline inspection, the leading group.
EXPORTERS = OFFICE | {"leading_group", "discipline", "auditor"}
# Heads section A or runs the office: edits section A's catalogue.
EDITORS_A = OFFICE | {"head"}
# Who sees the staff member's personal filing (in review at their head's step).
SEES_STAFF_FILING = SEES_ALL | {"staff", "head", "supervisor"}
# Who sees the colleague's approved filing (auditors and the committee: approved ones).
SEES_APPROVED = SEES_ALL | {"head", "supervisor", "committee", "auditor"}
# Who sees section A's own filing (a draft).
SEES_SECTION_FILING = SEES_ALL | {"head", "supervisor"}
NOBODY = frozenset()


@dataclass(frozen=True)
class Access:
    """Who may open a route.

    ``allowed`` roles get anything but 403/404/405/500; the other roles of
    the unit get 403 if they are in ``sees`` (they may see but not act), else
    404. ``anonymous`` is "login" (a redirect to the sign-in page) or "ok";
    ``outsider`` is 404 for anything of ours, "ok" for pages about one's own
    unit (the outsider holds every role there), or another documented code.
    """

    allowed: frozenset
    sees: frozenset = UNIT
    anonymous: str = "login"
    outsider: Any = 404
    admin_guarded: bool = False  # the admin site's own guard: is_staff

    def expected(self, role):
        if role == "anonymous":
            return self.anonymous
        if self.admin_guarded and role != "superuser":
            # Signed in without is_staff: the admin's own sign-in page.
            return "admin_login"
        if role == "outsider":
            return self.outsider
        if role in self.allowed:
            return "ok"
        return 403 if role in self.sees else 404


PUBLIC = Access(UNIT, anonymous="ok", outsider="ok")
SIGNED_IN = Access(UNIT, outsider="ok")
UNIT_STAFF = Access(UNIT)
OFFICE_ONLY = Access(OFFICE)
WATCH = Access(WATCHERS)


@dataclass(frozen=True)
class Case:
    """One request: path parameters (from the world), method, data, query."""

    kwargs: Any = None  # world -> dict
    access: Access = SIGNED_IN
    method: str = "get"
    data: Any = None  # world -> dict (POST data)
    query: str = ""
    label: str = ""
    expect_login: bool = False  # everybody ends on the sign-in page (signing out)
    expect_redirect: bool = False  # everybody signed in is sent on somewhere

    def params(self, w):
        return self.kwargs(w) if self.kwargs else {}

    def post_data(self, w):
        return self.data(w) if self.data else {}


def get(access, kwargs=None, **extra):
    return Case(kwargs=kwargs, access=access, **extra)


def post(access, kwargs=None, **extra):
    return Case(kwargs=kwargs, access=access, method="post", **extra)


def campaign(w):
    return {"campaign_pk": w.campaign.pk}


def campaign_section(w):
    return {"campaign_pk": w.campaign.pk, "section_pk": w.section.pk}


def pk(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


def camp(**more):
    """The campaign as ``pk`` plus other objects: ``camp(stage_pk="mobilise")``."""
    return lambda w: {"pk": w.campaign.pk, **{k: getattr(w, v).pk for k, v in more.items()}}


def _export(key, access):
    return get(
        access,
        lambda w: {"campaign_pk": w.campaign.pk, "key": key},
        label=f"export {key}",
    )


# The table -------------------------------------------------------------------------

ROUTES = {
    # accounts
    "home": [get(SIGNED_IN)],
    "healthz": [get(PUBLIC)],
    "login": [get(PUBLIC)],  # signed-in people are sent on to their home page
    # Signs out and sends everybody to the sign-in page.
    "logout": [post(Access(NOBODY, sees=NOBODY, outsider="login"), expect_login=True)],
    "password_change": [get(SIGNED_IN)],
    "password_change_done": [get(SIGNED_IN)],
    "inbox": [get(SIGNED_IN)],
    "inbox_mark_read": [post(SIGNED_IN)],
    "open_notification": [get(Access(frozenset({"staff"}), sees=NOBODY), pk("notification"))],
    "notification_preferences": [get(SIGNED_IN)],
    # The unit's office (a unit-wide role, no campaign): the outsider's own unit.
    "roster_import": [get(Access(OFFICE, outsider="ok"))],
    "roster_import_template": [get(Access(OFFICE, outsider="ok"))],
    # campaign
    "campaign:list": [get(SIGNED_IN)],
    "campaign:create": [get(Access(OFFICE, outsider="ok"))],
    "campaign:reviews": [get(SIGNED_IN)],
    "campaign:delegate": [post(OFFICE_ONLY, lambda w: {"step_pk": w.catalogue_step.pk})],
    # The calendar client cannot sign in: the token is the key.
    "campaign:ical": [get(PUBLIC, lambda w: {"token": w.ical_token})],
    "campaign:detail": [get(UNIT_STAFF, camp())],
    "campaign:edit": [get(OFFICE_ONLY, camp())],
    "campaign:close": [post(OFFICE_ONLY, camp())],
    "campaign:history": [get(WATCH, camp())],
    "campaign:dashboard": [get(WATCH, camp())],
    "campaign:plan": [get(OFFICE_ONLY, camp())],
    "campaign:stage_start": [post(OFFICE_ONLY, camp(stage_pk="mobilise"))],
    "campaign:stage_complete": [get(OFFICE_ONLY, camp(stage_pk="mobilise"))],
    "campaign:milestone_toggle": [post(OFFICE_ONLY, camp(milestone_pk="milestone"))],
    "campaign:leading_group": [get(UNIT_STAFF, camp())],
    "campaign:leading_group_remove": [post(OFFICE_ONLY, camp(member_pk="member"))],
    "campaign:grading": [get(OFFICE_ONLY, camp())],
    "campaign:chains": [get(UNIT_STAFF, camp())],
    "campaign:chain_create": [get(OFFICE_ONLY, camp())],
    "campaign:chain_edit": [get(OFFICE_ONLY, camp(chain_pk="chain"))],
    "campaign:chain_delete": [post(OFFICE_ONLY, camp(chain_pk="chain"))],
    "campaign:mobilisation": [get(UNIT_STAFF, camp())],
    "campaign:meeting_create": [get(OFFICE_ONLY, camp())],
    "campaign:meeting_edit": [get(OFFICE_ONLY, camp(meeting_pk="meeting"))],
    "campaign:meeting_delete": [post(OFFICE_ONLY, camp(meeting_pk="meeting"))],
    "campaign:material_create": [get(OFFICE_ONLY, camp())],
    "campaign:material_edit": [get(OFFICE_ONLY, camp(material_pk="material"))],
    "campaign:material_delete": [post(OFFICE_ONLY, camp(material_pk="material"))],
    "campaign:confirm_study": [post(UNIT_STAFF, camp(material_pk="material"))],
    "campaign:file": [
        get(
            UNIT_STAFF,
            lambda w: {"pk": w.campaign.pk, "kind": "material", "file_pk": w.material.pk},
            label="material",
        ),
        get(
            UNIT_STAFF,
            lambda w: {"pk": w.campaign.pk, "kind": "minutes", "file_pk": w.meeting.pk},
            label="minutes",
        ),
    ],
    # powers
    "powers:current": [get(SIGNED_IN)],
    "powers:overview": [get(WATCH, campaign)],
    "powers:compare": [get(WATCH, campaign)],
    "powers:categories": [get(WATCH, campaign)],
    "powers:carry_over": [post(OFFICE_ONLY, campaign)],
    "powers:catalogue": [get(UNIT_STAFF, campaign_section)],
    "powers:power_create": [get(Access(EDITORS_A), campaign_section)],
    "powers:catalogue_submit": [post(Access(EDITORS_A), campaign_section)],
    # Reviewing a catalogue: the view lets everyone of the unit post; the
    # approval engine refuses all but the open step's reviewers (the office
    # here) with a message, and the catalogue does not move.
    "powers:catalogue_approve": [
        post(
            UNIT_STAFF,
            lambda w: {"campaign_pk": w.campaign.pk, "section_pk": w.other_section.pk},
            data=lambda w: {"step": w.catalogue_step.pk},
        )
    ],
    "powers:catalogue_return": [
        post(
            UNIT_STAFF,
            lambda w: {"campaign_pk": w.campaign.pk, "section_pk": w.other_section.pk},
            data=lambda w: {"step": w.catalogue_step.pk, "reason": "退回"},
        )
    ],
    "powers:catalogue_revise": [post(Access(EDITORS_A), campaign_section)],
    "powers:catalogue_history": [get(UNIT_STAFF, campaign_section)],
    "powers:power": [get(UNIT_STAFF, lambda w: {"campaign_pk": w.campaign.pk, "pk": w.power.pk})],
    "powers:power_edit": [
        get(Access(EDITORS_A), lambda w: {"campaign_pk": w.campaign.pk, "pk": w.power.pk})
    ],
    "powers:power_delete": [
        get(Access(EDITORS_A), lambda w: {"campaign_pk": w.campaign.pk, "pk": w.power.pk})
    ],
    "powers:flowchart_svg": [
        get(UNIT_STAFF, lambda w: {"campaign_pk": w.campaign.pk, "pk": w.power.pk})
    ],
    "powers_import:catalogue": [get(OFFICE_ONLY, campaign)],
    "powers_import:catalogue_template": [get(OFFICE_ONLY, campaign)],
    # risks: filings
    "risks:filing": [
        get(Access(SEES_STAFF_FILING, sees=NOBODY), pk("filing"), label="in review"),
        get(Access(SEES_APPROVED, sees=NOBODY), pk("approved"), label="approved"),
    ],
    "risks:filing_edit": [
        get(Access(frozenset({"head"}), sees=SEES_SECTION_FILING), pk("section_filing")),
        # In review, nobody edits it: the filer too gets the 403 "locked" page.
        get(Access(NOBODY, sees=SEES_STAFF_FILING), pk("filing"), label="in review"),
    ],
    "risks:suggest": [get(Access(SEES_STAFF_FILING, sees=NOBODY), pk("filing"))],
    "risks:filing_submit": [
        get(Access(frozenset({"head"}), sees=SEES_SECTION_FILING), pk("section_filing"))
    ],
    "risks:filing_revise": [
        post(Access(frozenset({"staff"}), sees=SEES_STAFF_FILING), pk("filing"))
    ],
    "risks:review": [get(Access(frozenset({"head"}), sees=SEES_STAFF_FILING), pk("filing"))],
    "risks:reviews": [get(SIGNED_IN)],
    "risks:evidence_upload": [
        post(Access(frozenset({"staff"}), sees=SEES_STAFF_FILING), pk("measure"))
    ],
    "risks:evidence": [get(Access(SEES_STAFF_FILING, sees=NOBODY), pk("evidence"))],
    "risks:measure_evidence": [get(Access(SEES_STAFF_FILING, sees=NOBODY), pk("measure"))],
    "risks:evidence_delete": [
        post(Access(frozenset({"staff"}), sees=SEES_STAFF_FILING), pk("evidence"))
    ],
    "risks:library": [get(SIGNED_IN)],
    "risks:mine": [get(SIGNED_IN)],
    # A section to show: one headed or supervised, or one's own for those who
    # see every filing; anyone else gets the 404 "no section" page.
    "risks:section_current": [
        get(
            Access(
                frozenset({"head", "supervisor", "office", "office_head"}),
                sees=NOBODY,
                outsider="ok",
            )
        )
    ],
    "risks:register_current": [get(SIGNED_IN)],  # a redirect to the campaign's register
    "risks:section": [get(Access(SEES_ALL | {"head", "supervisor"}), campaign_section)],
    "risks:section_remind": [post(Access(OFFICE | {"head", "supervisor"}), campaign_section)],
    "risks:register": [
        get(WATCH, campaign),
        get(WATCH, campaign, query="q=%E5%85%AC%E6%AC%BE", label="search"),
    ],
    "risks:filings": [get(UNIT_STAFF, campaign)],
    "risks:coverage": [get(WATCH, campaign)],
    "risks_import:register": [get(OFFICE_ONLY, campaign)],
    "risks_import:register_template": [get(OFFICE_ONLY, campaign)],
    # early warnings (no campaign: the outsider reaches their own unit's pages)
    "earlywarnings:start": [get(SIGNED_IN)],
    "earlywarnings:list": [
        get(Access(WATCHERS, outsider="ok")),
        get(Access(WATCHERS, outsider="ok"), query="source=petition", label="by source"),
        get(Access(WATCHERS, outsider="ok"), query="q=%E5%85%AC%E6%AC%BE", label="search"),
    ],
    "earlywarnings:create": [get(Access(MANAGERS, outsider="ok"))],
    "earlywarnings:detail": [
        get(Access(WATCHERS, sees=NOBODY), pk("warning")),
        get(Access(WATCHERS, sees=NOBODY), pk("secret_warning"), label="from the petition"),
    ],
    "earlywarnings:close": [post(Access(MANAGERS, sees=WATCHERS), pk("warning"))],
    "earlywarnings:disposal_add": [post(Access(MANAGERS, sees=WATCHERS), pk("warning"))],
    "earlywarnings:disposal_evaluate": [post(Access(MANAGERS, sees=WATCHERS), pk("disposal"))],
    "earlywarnings:disposal_close": [post(Access(MANAGERS, sees=WATCHERS), pk("disposal"))],
    "earlywarnings:disposal_urge": [post(Access(MANAGERS, sees=WATCHERS), pk("disposal"))],
    "earlywarnings:signals": [
        get(Access(MANAGERS, outsider="ok")),
        get(Access(MANAGERS, outsider="ok"), query="source=petition", label="by source"),
        get(Access(MANAGERS, outsider="ok"), query="q=%E5%85%AC%E6%AC%BE", label="search"),
    ],
    "earlywarnings:signal_create": [get(Access(MANAGERS, outsider="ok"))],
    # The signal form's risk-point options for the chosen person (htmx).
    "earlywarnings:signal_risk_points": [
        get(Access(MANAGERS, outsider="ok")),
        get(Access(MANAGERS, outsider="ok"), query="person={staff}", label="staff"),
    ],
    "earlywarnings:signal": [
        get(Access(MANAGERS, sees=NOBODY), pk("signal")),
        get(Access(CONFIDENTIAL, sees=NOBODY), pk("petition"), label="petition"),
    ],
    "earlywarnings:signal_status": [
        post(Access(MANAGERS, sees=NOBODY), pk("signal")),
        post(Access(CONFIDENTIAL, sees=NOBODY), pk("petition"), label="petition"),
    ],
    "earlywarnings:signal_attachment": [
        get(
            Access(MANAGERS, sees=NOBODY),
            lambda w: {"pk": w.signal.pk, "attachment_pk": w.attachment.pk},
        ),
        get(
            Access(CONFIDENTIAL, sees=NOBODY),
            lambda w: {"pk": w.petition.pk, "attachment_pk": w.petition_attachment.pk},
            label="petition",
        ),
    ],
    "earlywarnings:deduction_create": [
        get(Access(MANAGERS, outsider="ok")),
        get(
            Access(MANAGERS, outsider="ok"),
            query="signal={petition}",
            label="from the petition",
        ),
    ],
    "earlywarnings:files": [
        get(Access(MANAGERS, outsider="ok")),
        get(Access(MANAGERS, outsider="ok"), query="q=%E8%B4%BA", label="search"),
    ],
    "earlywarnings:job_runs": [get(Access(OFFICE, outsider="ok"))],
    "earlywarnings:holidays": [get(Access(OFFICE, outsider="ok"))],
    # Scoped to the person's own unit: another unit's holiday is simply not
    # found and nothing is deleted (a redirect, documented here).
    "earlywarnings:holiday_delete": [post(Access(OFFICE, outsider="ok"), pk("holiday"))],
    "earlywarnings:policy": [get(Access(OFFICE, outsider="ok"))],
    "earlywarnings:mine": [get(SIGNED_IN)],
    # The person warned (staff) and the disposal's responsible official (head).
    "earlywarnings:my_warning": [
        get(Access(frozenset({"staff", "head"}), sees=NOBODY), pk("warning")),
        get(
            Access(frozenset({"staff", "discipline"}), sees=NOBODY),
            pk("secret_warning"),
            label="from the petition",
        ),
    ],
    # Answering: the view lets both post; the service refuses the head with a message.
    "earlywarnings:answer": [
        post(Access(frozenset({"staff", "head"}), sees=NOBODY), pk("warning"))
    ],
    "earlywarnings:report": [post(Access(frozenset({"staff"}), sees=NOBODY), pk("disposal"))],
    "earlywarnings:my_file": [get(SIGNED_IN)],
    "earlywarnings:file": [
        get(Access(MANAGERS | {"staff"}, sees=NOBODY), lambda w: {"person_id": w.staff.pk})
    ],
    # publicity
    "publicity:list": [get(SIGNED_IN)],
    "publicity:manage": [get(OFFICE_ONLY, campaign)],
    "publicity:notice": [
        get(UNIT_STAFF, pk("window")),
        get(UNIT_STAFF, pk("public_window"), label="powers"),
    ],
    "publicity:feedback": [post(UNIT_STAFF, pk("window"))],  # an empty opinion: 400
    "publicity:window": [get(OFFICE_ONLY, pk("window"))],
    "publicity:close": [post(OFFICE_ONLY, pk("window"))],
    "publicity:regenerate": [post(OFFICE_ONLY, pk("public_window"))],
    "publicity:answer": [post(OFFICE_ONLY, pk("feedback"))],
    # The public link: anybody with the token, without signing in.
    "publicity:public": [get(PUBLIC, lambda w: {"token": w.public_window.token})],
    # acceptance
    "acceptance:overview": [get(WATCH, campaign)],
    "acceptance:self_assessment": [get(WATCH, campaign)],
    "acceptance:checklist": [get(WATCH, campaign)],
    "acceptance:checklist_items": [get(OFFICE_ONLY, campaign)],
    "acceptance:rectifications": [get(Access(WATCHERS | {"staff"}), campaign)],
    "acceptance:rectification_create": [get(OFFICE_ONLY, campaign)],
    "acceptance:rectification": [
        get(Access(WATCHERS | {"staff"}, sees=NOBODY), pk("rectification"))
    ],
    "acceptance:summary": [get(WATCH, campaign)],
    "acceptance:summary_xlsx": [get(WATCH, campaign)],
    "acceptance:next_year": [get(OFFICE_ONLY, campaign)],
    "acceptance:year_over_year": [get(Access(WATCHERS | {"head", "supervisor"}), campaign_section)],
    # exports
    "exports:index": [get(Access(EXPORTERS, outsider="ok"))],
    "exports:centre": [get(Access(EXPORTERS), campaign)],
    "exports:download": [
        *[
            _export(export.key, Access(EXPORTERS))
            for export in exports.all_exports()
            if export.key != "publicity_feedback"
        ],
        _export("publicity_feedback", Access(OFFICE | {"discipline"})),
        # An unknown table: 404 to those who may open the centre.
        get(
            Access(NOBODY, sees=UNIT - EXPORTERS),
            lambda w: {"campaign_pk": w.campaign.pk, "key": "no-such-table"},
            label="unknown table",
        ),
    ],
}


# The admin site ---------------------------------------------------------------------

# Anonymous people meet a sign-in page: the admin's own for the site's pages
# (their login_url), the site's for the models' pages (LoginRequiredMiddleware).
ADMIN = Access(frozenset({"superuser"}), anonymous="any_login", admin_guarded=True)
# A model's admin that allows no adding or deleting (read-only records).
ADMIN_REFUSED = Access(
    NOBODY, sees=frozenset({"superuser"}), anonymous="any_login", admin_guarded=True
)
# The admin's own sign-in and sign-out pages are for anybody signed in.
ADMIN_SIGN_IN = Access(UNIT, anonymous="ok", outsider="ok")
# Roles that walk the whole admin site (every route); the others, whose
# standing is the same to the admin site (no is_staff), walk a sample of it.
ADMIN_FULL_WALK = ("anonymous", "outsider", "office_head", "superuser")


def _pick(model, w):
    """The object of ``model`` the admin pages open: ours, and the ones the
    confidentiality check cares most about (the person named in the petition,
    the warning raised from it, its deduction, the office head's notice)."""
    from accounts.models import Notification, Section, Unit, User
    from campaign.models import Campaign
    from earlywarnings.models import Deduction, EarlyWarning, WarningSignal

    chosen = {
        User: w.staff,
        Unit: w.unit,
        Section: w.section,
        Campaign: w.campaign,
        WarningSignal: w.signal,
        EarlyWarning: w.secret_warning,
        Deduction: w.deduction,
        Notification: Notification.objects.filter(
            recipient=w.office_head, url__contains=f"/signals/{w.petition.pk}/"
        ).first(),
    }
    if chosen.get(model) is not None:
        return chosen[model]
    return model._default_manager.order_by("pk").first()


def _model_for(name, pattern):
    """The model a ModelAdmin route belongs to, from its name or its path."""
    if name == "admin:auth_user_password_change":  # UserAdmin names it so whatever the model
        return get_user_model()
    for model in admin.site._registry:
        opts = model._meta
        if name and name.startswith(f"admin:{opts.app_label}_{opts.model_name}_"):
            return model
        if not name and pattern.startswith(f"admin/{opts.app_label}/{opts.model_name}/"):
            return model
    return None


def admin_kwargs(route, w):
    """Path parameters of an admin route: an existing object of its model."""
    model = _model_for(route.name, route.pattern)
    obj = _pick(model, w) if model else None
    values = {}
    for key in route.params:
        if key in ("object_id", "object_pk", "id"):
            values[key] = obj.pk if obj is not None else 0
        elif key == "app_label":
            values[key] = "earlywarnings"
        elif key == "content_type_id":
            values[key] = ContentType.objects.get_for_model(type(w.campaign)).pk
        elif key == "history_id":
            values[key] = model.history.filter(id=obj.pk).order_by("history_id").first().history_id
        elif key == "user_id":
            values[key] = w.office_head.pk
        elif key == "group_id":
            values[key] = Group.objects.order_by("pk").first().pk
        elif key == "url":
            values[key] = "no-such-page/"
        else:
            raise KeyError(f"admin route {route.key}: no value for <{key}>")
    if route.name == "admin:view_on_site":
        values["object_id"] = w.campaign.pk
    return values


def _refused_to_superuser(route):
    """Adding or deleting where the ModelAdmin allows it to nobody."""
    model = _model_for(route.name, route.pattern)
    if model is None or not route.name.endswith(("_add", "_delete")):
        return False
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    if route.name.endswith("_add"):
        return not model_admin.has_add_permission(request)
    return not model_admin.has_delete_permission(request)


def admin_cases(route):
    if route.name == "admin:login":
        return [Case(access=ADMIN_SIGN_IN)]
    if route.name == "admin:logout":
        # Signs out; where to depends on who asks, always a redirect.
        return [
            Case(
                access=Access(UNIT, anonymous="any_login", outsider="redirect"),
                method="post",
                expect_redirect=True,
            )
        ]
    if _refused_to_superuser(route):
        return [Case(access=ADMIN_REFUSED)]
    if route.name == "admin:autocomplete":
        return [Case(access=ADMIN, query="app_label=accounts&model_name=section&field_name=head")]
    if not route.name and route.params == ("url",):
        # The catch-all: a page that does not exist is a 404, for the administrator too.
        return [Case(access=Access(NOBODY, sees=NOBODY, anonymous="any_login", admin_guarded=True))]
    return [Case(access=ADMIN)]


def in_admin_sample(route):
    """The admin routes every role walks: the index and each model's list."""
    return route.name in ("admin:index", "admin:login") or route.name.endswith("_changelist")


# Admin pages of other projects' models: the administrator walks their lists only.
THIRD_PARTY_ADMIN = ("admin/auth/", "admin/axes/", "admin/django_celery_beat/")


def walks_admin_route(role, route):
    """Does ``role`` request this admin route in the walk? Everybody walks a
    sample; the roles in ADMIN_FULL_WALK walk every route, the administrator
    every page of our models and the lists of the other projects' models."""
    if in_admin_sample(route):
        return True
    if role not in ADMIN_FULL_WALK:
        return False
    return role != "superuser" or not route.pattern.startswith(THIRD_PARTY_ADMIN)


# Walking the URL configuration ----------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", "" when the pattern has no name
    pattern: str  # the full path pattern, e.g. "campaigns/<int:pk>/"
    params: tuple
    callback: Any

    @property
    def key(self):
        return self.name or self.pattern

    @property
    def is_admin(self):
        return self.pattern.startswith("admin/")

    def url(self, values, query=""):
        """The path for these parameter values (also for unnamed and regex patterns)."""
        path = self.pattern

        def fill(match):
            return str(values[match.group("name")])

        path = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", fill, path)
        path = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", fill, path)
        path = "/" + path.replace("^", "").replace("$", "")
        return f"{path}?{query}" if query else path


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            joined = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _walk(entry, prefix + str(entry.pattern), joined)
        else:
            pattern = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            groups = re.findall(r"\(\?P<(\w+)>", pattern)
            plain = re.sub(r"\(\?P<\w+>[^)]*\)", "", pattern)
            params = tuple(groups + re.findall(r"<(?:\w+:)?(\w+)>", plain))
            yield Route(name, pattern, params, entry.callback)


def all_routes():
    return list(_walk(get_resolver()))


def cases_for(route):
    """The table's cases for a route (the generic rule for the admin site)."""
    if route.is_admin:
        return admin_cases(route)
    return ROUTES.get(route.key)


def expected(route, case, role):
    if role != "anonymous":
        if case.expect_login:
            return "login"
        if case.expect_redirect:
            return "redirect"
    return case.access.expected(role)


def params_for(route, case, w):
    if route.is_admin:
        return admin_kwargs(route, w)
    return case.params(w)


def query_for(case, w):
    return case.query.format(petition=w.petition.pk, staff=w.staff.pk) if case.query else ""
