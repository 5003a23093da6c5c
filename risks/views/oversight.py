"""Oversight pages: a section's filing progress with its one-click reminder,
the unit-wide register of risk points, the list of filings, the coverage
gaps, and the short-cuts the navigation bar points to.

Who sees what:

* a section page: the section's head and supervising leaders, and whoever
  sees every filing of the campaign (the office, the leading group,
  discipline inspection); anyone else of the unit gets 403;
* the reminder: the section's head and supervising leaders, and the office;
* the register and the coverage lists: the campaign's watchers
  (``campaign.access.may_watch``); each sees the risk points of the filings
  they may open (auditors: approved filings only);
* the list of filings: everybody of the unit, each seeing what they may open.

Another unit's campaign is a 404 everywhere.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Notification, Post, Section
from accounts.pagination import page_of
from accounts.roles import standing
from accounts.services import notify
from campaign.access import current_campaign, get_campaign, may_administer, may_watch
from campaign.audit import record
from campaign.models import AuditEntry, LeadingGroupMember, Stage
from powers.models import Power

from ..access import sees_all, visible_filings
from ..models import Filing, Measure, RiskPoint
from ..panels import CURRENT_GRADE
from ..services import filers_of
from . import states
from .oversight_forms import FilingFilter, RegisterFilter

REMINDED = "filing.reminded"
PAGE_SIZE = 50


# Who may do what ----------------------------------------------------------


def may_see_section(user, campaign, section) -> bool:
    return standing(user).oversees(section) or sees_all(user, campaign)


def may_remind(user, campaign, section) -> bool:
    return standing(user).oversees(section) or may_administer(user, campaign)


def _section(user, campaign_pk, section_pk):
    campaign = get_campaign(user, campaign_pk)
    section = (
        Section.objects.filter(unit_id=campaign.unit_id, pk=section_pk)
        .select_related("head")
        .first()
    )
    if section is None:
        raise Http404
    if not may_see_section(user, campaign, section):
        raise PermissionDenied
    return campaign, section


def _sections_for(user, campaign):
    """The sections this person may open a page for, for the switcher."""
    sections = Section.objects.filter(unit_id=campaign.unit_id, is_active=True).order_by(
        "display_order", "pk"
    )
    if sees_all(user, campaign):
        return sections
    return sections.filter(pk__in=standing(user).overseen_section_ids)


# Short-cuts from the navigation bar ----------------------------------------


def mine(request):
    """The person's own personal filing in the current campaign."""
    campaign = current_campaign(request.user)
    filing = None
    if campaign is not None:
        filing = Filing.objects.filter(
            campaign=campaign, kind=Filing.Kind.PERSONAL, owner=request.user
        ).first()
    if filing is not None:
        return redirect(filing)
    started = (
        campaign is not None
        and campaign.stages.filter(
            kind=Stage.Kind.RISKS, status__in=[Stage.Status.ACTIVE, Stage.Status.DONE]
        ).exists()
    )
    return render(
        request,
        "risks/register_mine.html",
        {
            "campaign": campaign,
            "started": started,
            "files": filers_of(campaign).filter(pk=request.user.pk).exists() if campaign else False,
        },
    )


def section_current(request):
    """A section head's section in the current campaign."""
    user = request.user
    campaign = current_campaign(user)
    who = standing(user)
    if campaign is not None:
        ids = who.headed_section_ids or who.supervised_section_ids
        section = (
            Section.objects.filter(pk__in=ids, unit_id=campaign.unit_id)
            .order_by("display_order", "pk")
            .first()
        )
        if section is None and sees_all(user, campaign) and user.section_id:
            section = user.section
        if section is not None:
            return redirect("risks:section", campaign.pk, section.pk)
    return render(request, "risks/section_none.html", {"campaign": campaign}, status=404)


def register_current(request):
    """The register of the current campaign."""
    campaign = current_campaign(request.user)
    if campaign is None:
        return render(request, "risks/register_none.html", {}, status=404)
    return redirect("risks:register", campaign.pk)


# A section's page -----------------------------------------------------------


def _people_rows(campaign, section):
    people = list(
        get_user_model()
        .objects.filter(section=section, is_active=True)
        .select_related("post")
        .order_by("rank", "employee_no", "pk")
    )
    filings = {
        f.owner_id: f
        for f in Filing.objects.filter(
            campaign=campaign, kind=Filing.Kind.PERSONAL, owner__in=[p.pk for p in people]
        ).annotate(points=Count("risk_points"))
    }
    steps = states.open_steps(filings.values())
    returns = states.return_reasons(filings.values())
    rows = []
    for person in people:
        filing = filings.get(person.pk)
        step = steps.get(filing.pk) if filing else None
        rows.append(
            {
                "person": person,
                "filing": filing,
                "state": states.state_of(filing),
                "step": step,
                "with_whom": states.with_whom(step),
                "returned": returns.get(filing.pk) if filing else None,
            }
        )
    return rows


def section(request, campaign_pk, section_pk):
    campaign, section = _section(request.user, campaign_pk, section_pk)
    rows = _people_rows(campaign, section)
    counts = states.counts(row["state"].key for row in rows)
    chosen = request.GET.get("state", "")
    if chosen == "behind":
        shown = [row for row in rows if row["state"].key in states.BEHIND]
    elif chosen in states.BY_KEY:
        shown = [row for row in rows if row["state"].key == chosen]
    else:
        chosen, shown = "", rows
    section_filing = Filing.objects.filter(
        campaign=campaign, kind=Filing.Kind.SECTION, section=section
    ).first()
    section_step = (
        states.open_steps([section_filing]).get(section_filing.pk) if section_filing else None
    )
    behind = [row for row in rows if row["state"].key in states.BEHIND]
    reminded = _reminded_today(campaign, [row["filing"] for row in behind if row["filing"]])
    return render(
        request,
        "risks/section.html",
        {
            "campaign": campaign,
            "section": section,
            "rows": shown,
            "total": len(rows),
            "counts": [{"state": s, "count": counts[s.key]} for s in states.STATES],
            "behind_count": len(behind),
            "chosen": chosen,
            "section_filing": section_filing,
            "section_state": states.state_of(section_filing),
            "section_step": section_step,
            "section_with_whom": states.with_whom(section_step),
            "may_remind": may_remind(request.user, campaign, section) and not campaign.is_closed,
            "to_remind": len(
                [row for row in behind if row["filing"] and row["filing"].pk not in reminded]
            ),
            "reminded_today": len(reminded),
            "sections": _sections_for(request.user, campaign),
            "may_watch": may_watch(request.user, campaign),
            "due": campaign.stages.filter(kind=Stage.Kind.RISKS)
            .values_list("due_on", flat=True)
            .first(),
        },
    )


def _today_start():
    now = timezone.localtime()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def _reminded_today(campaign, filings) -> set:
    """Ids of the filings among ``filings`` whose owner was reminded today."""
    ids = [f.pk for f in filings]
    if not ids:
        return set()
    return set(
        AuditEntry.objects.filter(
            campaign=campaign,
            action=REMINDED,
            target_type__app_label="risks",
            target_type__model="filing",
            target_id__in=ids,
            at__gte=_today_start(),
        ).values_list("target_id", flat=True)
    )


@require_POST
def section_remind(request, campaign_pk, section_pk):
    """Remind everyone of the section whose filing is not handed in; once a day each."""
    campaign, section = _section(request.user, campaign_pk, section_pk)
    if not may_remind(request.user, campaign, section):
        raise PermissionDenied
    back = redirect("risks:section", campaign.pk, section.pk)
    if campaign.is_closed:
        messages.error(request, _("本次活动已结束并锁定，不能再发送提醒。"))
        return back
    sent = remind_section(campaign, section, request.user)
    if sent is None:
        messages.info(request, _("本科室所有人员的个人登记表都已提交，无需提醒。"))
    elif not sent:
        messages.error(
            request,
            _("今天已经提醒过所有尚未提交的人员，同一人每天只提醒一次，请明天再发送。"),
        )
    else:
        messages.success(
            request,
            _("已提醒 %(count)d 人尽快填报并提交个人登记表：%(names)s。")
            % {"count": len(sent), "names": "、".join(str(f.owner) for f in sent)},
        )
    return back


@transaction.atomic
def remind_section(campaign, section, by):
    """Notify the section's people whose personal filing is not handed in.

    Returns the filings reminded now, ``[]`` when all of them were already
    reminded today, ``None`` when nobody is behind. Each reminder is a line
    in the campaign's history against the filing, which is also how a second
    reminder on the same day is recognised.
    """
    # Lock the section's filings so two clicks at once cannot both send.
    behind = list(
        Filing.objects.select_for_update(of=("self",))
        .filter(
            campaign=campaign,
            kind=Filing.Kind.PERSONAL,
            owner__section=section,
            owner__is_active=True,
            status__in=states.BEHIND_STATUSES,
        )
        .select_related("owner")
        .order_by("owner__rank", "owner__employee_no", "pk")
    )
    if not behind:
        return None
    reminded = _reminded_today(campaign, behind)
    due = campaign.stages.filter(kind=Stage.Kind.RISKS).values_list("due_on", flat=True).first()
    sent = []
    for filing in behind:
        if filing.pk in reminded:
            continue
        body = _(
            "%(who)s提醒：您在“%(campaign)s”中的个人岗位风险点登记表%(state)s，请尽快填写并提交。"
        ) % {
            "who": by,
            "campaign": campaign,
            "state": states.state_of(filing).label,
        }
        if due:
            body += _("查找风险阶段截止日期：%(date)s。") % {"date": due.isoformat()}
        notify(
            [filing.owner],
            Notification.Kind.DEADLINE,
            _("请尽快提交个人岗位风险点登记表"),
            body,
            filing.get_absolute_url(),
        )
        record(
            campaign,
            by,
            REMINDED,
            _("%(who)s 提醒 %(owner)s（%(section)s）提交个人登记表")
            % {"who": by, "owner": filing.owner, "section": section},
            target=filing,
        )
        sent.append(filing)
    return sent


# The unit-wide register ------------------------------------------------------


def _measure_lines():
    lines = {}
    for line in Measure.Line.values:
        lines[line] = Exists(Measure.objects.filter(risk_point=OuterRef("pk"), line=line))
    return lines


def register_points(user, campaign, form):
    """The risk points of the register for this person, filtered."""
    points = RiskPoint.objects.filter(campaign=campaign)
    if not sees_all(user, campaign):
        # Those who see every filing need no filter: counting and sorting the
        # campaign's points then uses its index alone.
        points = points.filter(filing__in=visible_filings(user, campaign))
    points = points.annotate(current_grade=CURRENT_GRADE)
    if not form.is_valid():
        return points.none()
    data = form.cleaned_data
    if data.get("section"):
        points = points.filter(filing__section=data["section"])
    if data.get("category"):
        points = points.filter(category=data["category"])
    grade = data.get("grade")
    if grade == "none":
        points = points.filter(current_grade__isnull=True)
    elif grade:
        points = points.filter(current_grade=grade)
    if data.get("kind"):
        points = points.filter(filing__kind=data["kind"])
    if data.get("status"):
        points = points.filter(filing__status=data["status"])
    if data.get("unfinal"):
        points = points.filter(final_grade__isnull=True)
    measures = data.get("measures")
    if measures == "incomplete":
        lines = _measure_lines()
        points = points.filter(~Q(*lines.values()))
    elif measures == "no_owner":
        points = points.filter(
            Exists(Measure.objects.filter(risk_point=OuterRef("pk"), owner__isnull=True))
        )
    if data.get("q"):
        q = data["q"]
        points = points.filter(
            Q(title__icontains=q)
            | Q(content__icontains=q)
            | Q(filing__owner__full_name__icontains=q)
            | Q(filing__post__name__icontains=q)
            | Q(filing__section__name__icontains=q)
        )
    return points.order_by(
        F("filing__section__display_order").asc(nulls_first=True),
        "filing__section_id",
        "filing__kind",
        "filing__owner__employee_no",
        "filing_id",
        "position",
        "pk",
    )


def _decorate(points, campaign):
    """Grades, measures per line and the people responsible, for one page."""
    levels = {level.pk: level for level in campaign.grade_levels.all()}
    ids = [p.pk for p in points]
    lines = {}
    for row in (
        Measure.objects.filter(risk_point_id__in=ids)
        .values("risk_point_id", "line")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        lines[(row["risk_point_id"], row["line"])] = row["n"]
    section_ids = {p.filing.section_id for p in points if p.filing.section_id}
    leaders = {}
    for link in (
        Section.supervising_leaders.through.objects.filter(section_id__in=section_ids)
        .select_related("user")
        .order_by("user__employee_no", "user_id")
    ):
        leaders.setdefault(link.section_id, []).append(str(link.user))
    secretary = (
        LeadingGroupMember.objects.filter(campaign=campaign, role=LeadingGroupMember.Role.LEADER)
        .select_related("person")
        .first()
    )
    for point in points:
        filing = point.filing
        point.current_level = levels.get(point.current_grade)
        point.line_counts = [lines.get((point.pk, line), 0) for line in Measure.Line.values]
        if filing.section_id:
            point.responsible_head = filing.section.head
            point.responsible_leader = "、".join(leaders.get(filing.section_id, []))
        else:
            point.responsible_head = None
            if filing.kind == Filing.Kind.PERSONAL:
                point.responsible_leader = str(filing.owner)
            else:
                point.responsible_leader = str(secretary.person) if secretary else ""
    return points


def _page_of(queryset, number, *, load):
    """The page picked on ids only, then its rows loaded in full
    (see ``accounts.pagination``)."""
    return page_of(queryset, number, PAGE_SIZE, load=load)


def register(request, campaign_pk):
    campaign = get_campaign(request.user, campaign_pk, watch=True)
    form = RegisterFilter(request.GET, campaign=campaign)
    page = _page_of(
        register_points(request.user, campaign, form),
        request.GET.get("page"),
        load=lambda ids: (
            RiskPoint.objects.filter(pk__in=ids)
            .annotate(current_grade=CURRENT_GRADE)
            .select_related("filing__owner", "filing__section__head", "filing__post", "category")
        ),
    )
    _decorate(page.object_list, campaign)
    return render(
        request,
        "risks/register.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "lines": Measure.Line.choices,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "approved_only": standing(request.user).is_auditor
            and not sees_all(request.user, campaign),
        },
    )


# The list of filings ---------------------------------------------------------


def filings(request, campaign_pk):
    campaign = get_campaign(request.user, campaign_pk)
    form = FilingFilter(request.GET, campaign=campaign)
    found = visible_filings(request.user, campaign)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("state"):
            found = found.filter(states.query_for(data["state"]))
        if data.get("kind"):
            found = found.filter(kind=data["kind"])
        if data.get("section"):
            found = found.filter(section=data["section"])
        if data.get("q"):
            found = found.filter(
                Q(owner__full_name__icontains=data["q"]) | Q(section__name__icontains=data["q"])
            )
    else:
        found = found.none()
    found = found.order_by(
        F("section__display_order").asc(nulls_first=True),
        "section_id",
        "kind",
        "owner__employee_no",
        "pk",
    )
    # The points are counted for the page's filings only, not for every
    # filing of the campaign before the page is picked.
    page = _page_of(
        found,
        request.GET.get("page"),
        load=lambda ids: (
            Filing.objects.filter(pk__in=ids)
            .select_related("owner", "section", "post")
            .annotate(points=Count("risk_points"))
        ),
    )
    rows = page.object_list
    steps = states.open_steps(rows)
    for filing in rows:
        filing.state = states.state_of(filing)
        filing.step = steps.get(filing.pk)
        filing.with_whom = states.with_whom(filing.step)
    return render(
        request,
        "risks/register_filings.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "rows": rows,
            "may_watch": may_watch(request.user, campaign),
        },
    )


# Coverage gaps: no item, no post, no person left out -------------------------

GAPS = {
    "people": gettext_lazy("尚未提交登记表的人员"),
    "posts": gettext_lazy("没有风险点的重点岗位"),
    "powers": gettext_lazy("没有风险点的职权事项"),
}


def coverage(request, campaign_pk):
    campaign = get_campaign(request.user, campaign_pk, watch=True)
    gap = request.GET.get("gap")
    if gap not in GAPS:
        gap = "people"
    if gap == "people":
        handed_in = Filing.objects.filter(
            campaign=campaign, kind=Filing.Kind.PERSONAL, status__in=states.HANDED_IN_STATUSES
        ).values("owner_id")
        people = (
            filers_of(campaign)
            .exclude(pk__in=handed_in)
            .select_related("section", "post")
            .order_by(
                F("section__display_order").asc(nulls_first=True), "rank", "employee_no", "pk"
            )
        )
        page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
        filings_by_owner = {
            f.owner_id: f
            for f in Filing.objects.filter(
                campaign=campaign,
                kind=Filing.Kind.PERSONAL,
                owner__in=[p.pk for p in page.object_list],
            )
        }
        for person in page.object_list:
            person.filing = filings_by_owner.get(person.pk)
            person.state = states.state_of(person.filing)
    elif gap == "posts":
        covered = RiskPoint.objects.filter(campaign=campaign, filing__post__isnull=False).values(
            "filing__post_id"
        )
        posts = (
            Post.objects.filter(section__unit_id=campaign.unit_id, section__is_active=True)
            .exclude(key_type=Post.KeyType.NONE)
            .exclude(pk__in=covered)
            .select_related("section")
            .prefetch_related("holders")
            .order_by("section__display_order", "display_order", "pk")
        )
        page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        powers = (
            Power.objects.filter(campaign=campaign, risk_points__isnull=True)
            .select_related("section", "category")
            .order_by("section__display_order", "sequence", "pk")
        )
        page = Paginator(powers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "risks/register_coverage.html",
        {
            "campaign": campaign,
            "gap": gap,
            "gaps": GAPS.items(),
            "gap_label": GAPS[gap],
            "page": page,
        },
    )
