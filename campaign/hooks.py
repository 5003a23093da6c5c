"""What the campaign app adds to the shared frame: navigation entries, the
home page's work items (reviews waiting, materials to study) and its own
dashboard panel (mobilisation participation)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts import home, navigation
from accounts.navigation import NavItem

from . import dashboard

# The home page lists this many of the oldest reviews waiting for a person;
# the rest are counted in one item leading to the full queue (a leading-group
# member of a city bureau may have hundreds waiting).
HOME_REVIEWS = 20


def _reviews_waiting(user):
    from .approvals import steps_waiting_for, with_subjects

    waiting = steps_waiting_for(user).order_by("opened_at", "pk")
    steps = with_subjects(waiting[: HOME_REVIEWS + 1])
    if len(steps) > HOME_REVIEWS:
        steps = steps[:HOME_REVIEWS]
        more = waiting.count() - HOME_REVIEWS
        yield home.WorkItem(
            title=_("另有 %(count)d 项等待您审核，请到“待审核”页面查看") % {"count": more},
            url=reverse("campaign:reviews"),
            kind=_("待我审核"),
            urgent=True,
        )
    for step in steps:
        review = step.review
        subject = review.subject
        title = subject.review_title() if hasattr(subject, "review_title") else str(subject)
        url = (
            subject.get_absolute_url()
            if hasattr(subject, "get_absolute_url")
            else reverse("campaign:reviews")
        )
        yield home.WorkItem(
            title=title,
            url=url,
            kind=_("待我审核"),
            detail=_("%(role)s · %(when)s 到达")
            % {"role": step.get_role_display(), "when": step.opened_at.strftime("%m-%d")},
            urgent=True,
        )


def _materials_to_study(user):
    from .access import visible_campaigns
    from .models import Campaign, StudyMaterial

    materials = (
        StudyMaterial.objects.filter(
            campaign__in=visible_campaigns(user).filter(status=Campaign.Status.RUNNING),
            required=True,
        )
        .exclude(confirmations__person=user)
        .select_related("campaign")
    )
    for material in materials:
        yield home.WorkItem(
            title=_("学习：%(title)s") % {"title": material.title},
            url=reverse("campaign:mobilisation", args=[material.campaign_id])
            + f"#material-{material.pk}",
            kind=_("学习确认"),
            detail=material.campaign.title,
        )


home.register(_reviews_waiting)
home.register(_materials_to_study)

navigation.register(
    NavItem("campaign", _lazy("防控活动"), "campaign:list", lambda s: True, order=10, icon="flag")
)
navigation.register(
    NavItem(
        "reviews",
        _lazy("待审核"),
        "campaign:reviews",
        lambda s: s.is_section_head or s.is_supervising_leader or s.sees_whole_unit,
        order=15,
        icon="check2-square",
    )
)


def _participation_panel(campaign, user):
    from .services import participation

    rows = participation(campaign)  # one query
    people = sum(row["total"] for row in rows)
    done = sum(row["confirmed"] for row in rows)
    required = rows[0]["required"] if rows else 0
    return {
        "rows": rows,
        "people": people,
        "done": done,
        "required": required,
        "overall": (done / people) if people and required else None,
    }


dashboard.register(
    dashboard.Panel(
        key="mobilisation",
        title=_lazy("宣传动员：学习确认"),
        template="campaign/panels/participation.html",
        context=_participation_panel,
        order=10,
        width="col-xl-6",
    )
)
