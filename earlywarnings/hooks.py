"""What early warning adds to the shared frame: navigation entries, the
home page's work items and the warnings panel on the campaign dashboard."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts import home, navigation
from accounts.navigation import NavItem
from accounts.roles import standing
from campaign import dashboard
from campaign.access import may_watch

from . import access
from .models import (
    LEVEL_COLOURS,
    LEVELS_GRAVEST_FIRST,
    Disposal,
    EarlyWarning,
    Level,
    TargetKind,
    WarningSignal,
)

# Navigation ------------------------------------------------------------------

navigation.register(
    NavItem(
        "earlywarnings",
        _lazy("预警"),
        "earlywarnings:list",
        lambda s: s.is_office or s.is_discipline or s.is_leading_group,
        order=40,
        icon="shield-exclamation",
        group="warning",
    )
)
navigation.register(
    NavItem(
        "my_warnings",
        _lazy("我的预警"),
        "earlywarnings:mine",
        lambda s: True,
        order=45,
        icon="person-exclamation",
        group="warning",
    )
)
navigation.register(
    NavItem(
        "integrity_file",
        _lazy("廉政档案"),
        "earlywarnings:my_file",
        lambda s: True,
        order=46,
        icon="journal-text",
        group="warning",
    )
)


# Home work items ---------------------------------------------------------------


def _warnings_to_answer(user):
    if not user.is_authenticated or user.unit_id is None:
        return
    who = standing(user)
    rule = Q(target_kind=TargetKind.PERSON, person_id=user.pk)
    if user.post_id:
        rule |= Q(target_kind=TargetKind.POST, post_id=user.post_id)
    if who.headed_section_ids:
        rule |= Q(target_kind=TargetKind.SECTION, section_id__in=who.headed_section_ids)
    today = timezone.localdate()
    for warning in EarlyWarning.objects.filter(
        rule, unit_id=user.unit_id, status=EarlyWarning.Status.OPEN
    ):
        yield home.WorkItem(
            title=_("%(level)s：%(title)s")
            % {"level": warning.get_level_display(), "title": warning.title},
            url=reverse("earlywarnings:my_warning", args=[warning.pk]),
            kind=_("待答复预警"),
            detail=_("请在答复期限前作出说明"),
            due=warning.respond_by,
            urgent=warning.respond_by <= today + timedelta(days=3),
        )


def _disposals_to_report(user):
    if not user.is_authenticated:
        return
    today = timezone.localdate()
    disposals = Disposal.objects.filter(
        reporter_id=user.pk, status=Disposal.Status.PLANNED
    ).select_related("warning")
    for disposal in disposals:
        yield home.WorkItem(
            title=_("报告处置落实情况：%(kind)s") % {"kind": disposal.get_kind_display()},
            url=reverse("earlywarnings:my_warning", args=[disposal.warning_id]),
            kind=_("待报告处置"),
            detail=disposal.warning.title,
            due=disposal.due_on,
            urgent=disposal.due_on <= today + timedelta(days=3),
        )


def _disposals_to_evaluate(user):
    if not access.may_manage(user):
        return
    disposals = Disposal.objects.filter(
        warning__unit_id=user.unit_id,
        status__in=[Disposal.Status.REPORTED, Disposal.Status.EVALUATED],
    ).select_related("warning", "reporter")
    for disposal in disposals:
        evaluate = disposal.status == Disposal.Status.REPORTED
        yield home.WorkItem(
            title=(
                _("评估处置落实情况：%(who)s · %(kind)s")
                if evaluate
                else _("办结处置：%(who)s · %(kind)s")
            )
            % {"who": disposal.reporter, "kind": disposal.get_kind_display()},
            url=reverse("earlywarnings:detail", args=[disposal.warning_id]),
            kind=_("待评估处置") if evaluate else _("待办结处置"),
            detail=disposal.warning.title,
        )


home.register(_warnings_to_answer)
home.register(_disposals_to_report)
home.register(_disposals_to_evaluate)


# The campaign dashboard's warnings panel ----------------------------------------


def panel_context(campaign, user):
    """Open warnings by level, disposals overdue or waiting for evaluation,
    and (for those who handle them) signals waiting to be assessed — four
    queries at most, whatever the unit's size. The signal count goes through
    ``access.visible_signals``: confidential signals are counted only for
    those who may see them."""
    today = timezone.localdate()
    warnings = EarlyWarning.objects.filter(unit_id=campaign.unit_id).exclude(
        status=EarlyWarning.Status.CLOSED
    )
    counts = dict(
        warnings.order_by().values_list("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    disposals = Disposal.objects.filter(warning__unit_id=campaign.unit_id).aggregate(
        overdue=Count("pk", filter=Q(status=Disposal.Status.PLANNED, due_on__lt=today)),
        to_evaluate=Count("pk", filter=Q(status=Disposal.Status.REPORTED)),
        open=Count("pk", filter=~Q(status=Disposal.Status.CLOSED)),
    )
    new_signals = None
    if access.may_manage(user) and user.unit_id == campaign.unit_id:
        new_signals = access.visible_signals(user).filter(status=WarningSignal.Status.NEW).count()
    levels = [
        {
            "level": level,
            "label": Level(level).label,
            "count": counts.get(level, 0),
            "colour": LEVEL_COLOURS[level][0],
            "ink": LEVEL_COLOURS[level][1],
        }
        for level in LEVELS_GRAVEST_FIRST
    ]
    return {
        "levels": levels,
        "open_total": sum(counts.values()),
        "overdue_disposals": disposals["overdue"],
        "disposals_to_evaluate": disposals["to_evaluate"],
        "open_disposals": disposals["open"],
        "new_signals": new_signals,
        "list_url": reverse("earlywarnings:list"),
    }


def panel_visible(campaign, user):
    return may_watch(user, campaign)


dashboard.register(
    dashboard.Panel(
        key="earlywarnings",
        title=_lazy("预警与处置"),
        template="earlywarnings/panels/warnings.html",
        context=panel_context,
        order=60,
        width="col-xl-6",
        visible=panel_visible,
    )
)
