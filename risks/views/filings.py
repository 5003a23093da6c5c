"""The list of filings and the coverage gaps.

* the list: everybody of the unit, each seeing what they may open; the
  office also creates the filings of people and sections added since the
  find-risks stage started (a POST to the same page);
* the coverage lists: the campaign's watchers (``campaign.access.may_watch``).

Another unit's campaign is a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Post
from campaign.access import get_campaign, may_administer, may_watch
from campaign.models import Stage
from powers.models import Power

from .. import services, states
from ..access import visible_filings
from ..forms import FilingFilter
from ..models import Filing, RiskPoint
from .common import PAGE_SIZE, list_page, messages_of

ADD_FILINGS = "add_filings"


def _risks_started(campaign) -> bool:
    return campaign.stages.filter(
        kind=Stage.Kind.RISKS, status__in=[Stage.Status.ACTIVE, Stage.Status.DONE]
    ).exists()


def _add_filings(request, campaign):
    """The office's "为新增人员补建登记表": filings for the people and sections
    added since the find-risks stage started."""
    if not may_administer(request.user, campaign):
        raise PermissionDenied
    if request.POST.get("action") != ADD_FILINGS:
        return redirect("risks:filings", campaign.pk)
    if campaign.is_closed:
        messages.error(request, _("本次活动已结束并锁定，不能再补建登记表。"))
    elif not _risks_started(campaign):
        messages.error(
            request, _("查找风险阶段尚未开始；阶段开始时系统会为所有人员和科室生成登记表。")
        )
    else:
        try:
            created = services.ensure_filings(campaign, by=request.user)
        except ValidationError as exc:
            for message in messages_of(exc):
                messages.error(request, message)
        else:
            if created:
                messages.success(
                    request,
                    _("已为新增人员和科室补建登记表 %(n)d 份。") % {"n": created},
                )
            else:
                messages.info(request, _("所有人员和科室都已有登记表，无需补建。"))
    return redirect("risks:filings", campaign.pk)


def filings(request, campaign_pk):
    campaign = get_campaign(request.user, campaign_pk)
    if request.method == "POST":
        # The page's only form that posts: the office's button.
        return _add_filings(request, campaign)
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
    page = list_page(
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
            "may_add_filings": not campaign.is_closed
            and may_administer(request.user, campaign)
            and _risks_started(campaign),
            "add_filings": ADD_FILINGS,
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
            services.filers_of(campaign)
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
