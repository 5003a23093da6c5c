"""A section's filing progress page, with its one-click reminder.

* the page: the section's head and supervising leaders, and whoever sees
  every filing of the campaign (the office, the leading group, discipline
  inspection); anyone else of the unit gets 403;
* the reminder: the section's head and supervising leaders, and the office.

Another unit's campaign is a 404.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Section
from accounts.roles import standing
from campaign.access import get_campaign, may_watch
from campaign.models import Stage

from .. import services, states
from ..access import may_remind, may_see_section, sees_all
from ..models import Filing
from .common import messages_of


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
    reminded = services.reminded_today(campaign, [row["filing"] for row in behind if row["filing"]])
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
    try:
        sent = services.remind_section(campaign, section, request.user)
    except ValidationError as exc:
        for message in messages_of(exc):
            messages.error(request, message)
        return back
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
