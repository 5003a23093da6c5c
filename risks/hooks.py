"""Filled in by the risks pages: signals, navigation, panels, work items."""

from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import home, navigation
from accounts.models import User
from accounts.navigation import NavItem
from accounts.roles import standing
from campaign import audit, dashboard, progress
from campaign.models import Campaign, Stage
from campaign.signals import stage_started
from powers import extensions

from . import panels
from .access import visible_filings
from .models import Filing, RiskPoint


@receiver(stage_started)
def _create_filings(sender, stage, **kwargs):
    # "Who has not filed" must be a query: everyone gets a filing when the
    # find-risks stage starts.
    if stage.kind == Stage.Kind.RISKS:
        from .services import ensure_filings

        ensure_filings(stage.campaign)


# Open work per stage (campaign.progress) -----------------------------------


def _filings_url(campaign, **query):
    return f"{reverse('risks:filings', args=[campaign.pk])}?{urlencode(query)}"


def _register_url(campaign, **query):
    return f"{reverse('risks:register', args=[campaign.pk])}?{urlencode(query)}"


def _open_risks(campaign):
    """Filings not yet handed in, per kind."""
    from .models import Filing

    counts = dict(
        Filing.objects.filter(campaign=campaign, status__in=Filing.EDITABLE)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    labels = {
        Filing.Kind.PERSONAL: _("未提交的个人登记表"),
        Filing.Kind.SECTION: _("未提交的科室登记表"),
        Filing.Kind.UNIT: _("未提交的单位（领导班子）登记表"),
    }
    for kind, label in labels.items():
        yield progress.OpenWork(
            label, counts.get(kind, 0), _filings_url(campaign, kind=kind, state="behind")
        )


def _open_grades(campaign):
    from .models import Filing, RiskPoint

    waiting = (
        Filing.objects.filter(campaign=campaign).exclude(status=Filing.Status.APPROVED).count()
    )
    yield progress.OpenWork(
        _("尚未审定的登记表"), waiting, _filings_url(campaign, state="unapproved")
    )
    unfinal = RiskPoint.objects.filter(campaign=campaign, final_grade__isnull=True).count()
    yield progress.OpenWork(
        _("尚未评定等级的风险点"), unfinal, _register_url(campaign, unfinal="on")
    )


def _open_measures(campaign):
    from .models import Measure, RiskPoint

    lines = [
        Exists(Measure.objects.filter(risk_point=OuterRef("pk"), line=line))
        for line in Measure.Line.values
    ]
    incomplete = RiskPoint.objects.filter(campaign=campaign).filter(~Q(*lines)).count()
    yield progress.OpenWork(
        _("三道防线措施不全的风险点"), incomplete, _register_url(campaign, measures="incomplete")
    )
    ownerless = Measure.objects.filter(risk_point__campaign=campaign, owner__isnull=True).count()
    yield progress.OpenWork(
        _("未确定责任人的防控措施"), ownerless, _register_url(campaign, measures="no_owner")
    )


progress.register(Stage.Kind.RISKS, _open_risks)
progress.register(Stage.Kind.GRADE, _open_grades)
progress.register(Stage.Kind.MEASURES, _open_measures)


# Home work items (accounts.home) ---------------------------------------------


def _filings_to_fill(user):
    """The person's own filing, their sections' filings and (for the office)
    the unit filing, while a campaign runs and they are not handed in."""
    from campaign.access import administered_campaigns

    from .models import Filing

    if not user.is_authenticated or user.unit_id is None:
        return
    who = standing(user)
    rule = Q(kind=Filing.Kind.PERSONAL, owner=user)
    if who.headed_section_ids:
        rule |= Q(kind=Filing.Kind.SECTION, section_id__in=who.headed_section_ids)
    if who.is_office:
        rule |= Q(kind=Filing.Kind.UNIT, campaign__in=administered_campaigns(user))
    due = Stage.objects.filter(campaign=OuterRef("campaign"), kind=Stage.Kind.RISKS).values(
        "due_on"
    )[:1]
    filings = (
        Filing.objects.filter(rule)
        .filter(
            campaign__unit_id=user.unit_id,
            campaign__status=Campaign.Status.RUNNING,
            status__in=Filing.EDITABLE,
        )
        .select_related("campaign", "section", "owner")
        .annotate(due=Subquery(due))
    )
    today = timezone.localdate()
    for filing in filings:
        returned = filing.status == Filing.Status.RETURNED
        if filing.kind == Filing.Kind.PERSONAL:
            title = _("填报个人岗位风险点登记表")
        elif filing.kind == Filing.Kind.SECTION:
            title = _("组织填报%(section)s风险点登记表") % {"section": filing.section}
        else:
            title = _("汇总填报单位（领导班子）风险点登记表")
        if returned:
            title = _("修改被退回的登记表：%(title)s") % {"title": filing.review_title()}
        yield home.WorkItem(
            title=title,
            url=filing.get_absolute_url(),
            kind=_("风险登记"),
            detail=filing.campaign.title,
            due=filing.due,
            urgent=returned or bool(filing.due and filing.due < today),
        )


home.register(_filings_to_fill)


# Navigation (accounts.navigation) ---------------------------------------------


def _files_a_form(who):
    user = who.user
    return bool(user.section_id) or user.rank == User.Rank.LEADER


navigation.register(
    NavItem(
        "risks_mine",
        gettext_lazy("风险登记"),
        "risks:mine",
        _files_a_form,
        order=20,
        icon="journal-text",
        group="risk",
    )
)
navigation.register(
    NavItem(
        "risks_section",
        gettext_lazy("本科室"),
        "risks:section_current",
        lambda who: who.is_section_head,
        order=22,
        icon="people",
        group="risk",
    )
)
navigation.register(
    NavItem(
        "risks_register",
        gettext_lazy("风险点汇总"),
        "risks:register_current",
        lambda who: who.sees_whole_unit,
        order=30,
        icon="table",
        group="risk",
    )
)


# Dashboard panels (campaign.dashboard) -----------------------------------------

for key, title, template, context, order, width in [
    (
        "risks_progress",
        gettext_lazy("登记表填报进度"),
        "progress",
        panels.progress_context,
        40,
        "col-12",
    ),
    (
        "risks_coverage",
        gettext_lazy("覆盖情况：不漏项、不漏岗、不漏人"),
        "coverage",
        panels.coverage_context,
        41,
        "col-xl-6",
    ),
    (
        "risks_high_ratio",
        gettext_lazy("各科室高等级风险点占比"),
        "high_ratio",
        panels.high_ratio_context,
        42,
        "col-xl-6",
    ),
    (
        "risks_distribution",
        gettext_lazy("风险点分布"),
        "distribution",
        panels.distribution_context,
        43,
        "col-xl-6",
    ),
    (
        "risks_heatmap",
        gettext_lazy("风险矩阵：发生可能性 × 危害程度"),
        "heatmap",
        panels.heatmap_context,
        44,
        "col-xl-6",
    ),
]:
    dashboard.register(
        dashboard.Panel(
            key=key,
            title=title,
            template=f"risks/panels/{template}.html",
            context=context,
            order=order,
            width=width,
            visible=panels.visible,
        )
    )


# The risk points of a power, on its page (powers.extensions) ---------------


def _power_points(power, user):
    """The points linked to this power in the filings this person may open
    (a draft or a colleague's form in review is theirs and their reviewers'
    only); how many others there are is a count, without titles or names."""
    points = RiskPoint.objects.filter(power=power)
    shown = list(
        points.filter(filing__in=visible_filings(user, power.campaign))
        .select_related(
            "filing__owner",
            "filing__section",
            "power_step",
            "final_grade",
            "reviewed_grade",
            "self_grade",
        )
        .order_by("filing__kind", "filing__section__display_order", "filing_id", "position")
    )
    return {"points": shown, "hidden": points.count() - len(shown)}


extensions.register_power_page_section(
    extensions.PowerPageSection(
        key="risks",
        title=gettext_lazy("本项职权的廉政风险点"),
        template="risks/power_points.html",
        context=_power_points,
        order=10,
    )
)


# The campaign history quotes filings (who, return reasons, opinions): only
# the lines about the filings a person may open.
def _readable_filings(user, campaign):
    return visible_filings(user, campaign).values("pk")


audit.register_reader(Filing, _readable_filings)
