"""State changes of publicity windows: opening, closing (early, or by the
clock), the public link, feedback and its answers.

Every change by a person checks the campaign is open and that the person
runs its office, runs in one transaction with the window (or feedback) row
locked, and writes a line in the campaign's history. The closing job is the
clock, not a person: it also ends the windows of a campaign closed since.
"""

import hashlib
import hmac
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.services import Message, notify, notify_many
from campaign.approvals import ReviewError
from campaign.audit import record
from campaign.models import Campaign, LeadingGroupMember

from .access import may_manage
from .models import Feedback, Window, new_token

# Feedback through the public link: at most this many per address and hour.
PUBLIC_FEEDBACK_LIMIT = 5
PUBLIC_FEEDBACK_PERIOD = timedelta(hours=1)
MAX_FEEDBACK_LENGTH = 2000


class RateLimited(ReviewError):
    def __init__(self):
        super().__init__(_("提交过于频繁，请稍后再试。"), code="rate_limited")


def _require_office(campaign, by):
    if not may_manage(by, campaign):
        raise ReviewError(_("只有本次活动的领导小组办公室可以办理公示。"))


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def default_title(campaign, scope, section=None) -> str:
    if scope == Window.Scope.SECTION and section is not None:
        what = _("%(section)s廉政风险点和防控措施") % {"section": section.name}
    else:
        what = str(Window.Scope(scope).label)
    return _("关于%(what)s的公示") % {"what": what}


def _office_people(campaign):
    ids = campaign.leading_group.filter(role__in=LeadingGroupMember.OFFICE_ROLES).values(
        "person_id"
    )
    return list(User.objects.filter(pk__in=ids, is_active=True))


# Opening and closing ------------------------------------------------------------


@transaction.atomic
def open_window(
    campaign,
    by,
    *,
    scope,
    section=None,
    starts_on=None,
    show_names=False,
    public=False,
    title="",
    note="",
    supervision_phone=None,
) -> Window:
    """Open a notice window of ``campaign.publicity_days`` days.

    It starts now when ``starts_on`` is today (the default), else at the
    start of that day, and runs to the end of its last day. The unit is told
    of it when it starts: at once, or for a later start by the hourly job
    (:func:`announce_started`) — until then only the office sees it.
    """
    campaign.ensure_open()
    _require_office(campaign, by)
    if scope not in Window.Scope.values:
        raise ReviewError(_("请选择公示内容。"))
    if scope == Window.Scope.SECTION:
        if section is None or section.unit_id != campaign.unit_id:
            raise ReviewError(_("请选择本单位的一个科室。"))
    else:
        section = None
    if public and scope != Window.Scope.POWERS:
        raise ReviewError(_("只有职权目录和权力运行流程图可以向社会公开。"))
    now = timezone.now()
    today = timezone.localdate(now)
    starts_on = starts_on or today
    if starts_on < today:
        raise ReviewError(_("公示开始日期不能早于今天。"))
    # Two people opening the same notice at once: the campaign row serialises them.
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    running = Window.objects.filter(
        campaign=campaign, scope=scope, section=section, status=Window.Status.OPEN, ends_at__gt=now
    )
    if running.exists():
        raise ReviewError(_("同一内容已有尚未结束的公示；请先结束它，再发布新的公示。"))
    starts_at = now if starts_on == today else _midnight(starts_on)
    window = Window.objects.create(
        campaign=campaign,
        scope=scope,
        section=section,
        title=(title or "").strip() or default_title(campaign, scope, section),
        note=(note or "").strip(),
        show_names=show_names,
        public=bool(public),
        token=new_token() if public else None,
        supervision_phone=(
            campaign.supervision_phone if supervision_phone is None else supervision_phone.strip()
        ),
        starts_at=starts_at,
        ends_at=_midnight(starts_on + timedelta(days=campaign.publicity_days)),
        opened_by=by,
        opened_at=now,
        announced_at=now if starts_at <= now else None,
    )
    record(
        campaign,
        by,
        "publicity.opened",
        _("发布公示“%(title)s”（%(first)s 至 %(last)s）")
        % {"title": window.title, "first": window.first_day, "last": window.last_day},
        target=window,
        detail=_("已生成公开链接") if window.public else "",
    )
    if window.announced_at is not None:
        _announce(window)
    return window


def _announce(window):
    """Every active person of the unit gets the notice in their inbox."""
    people = User.objects.filter(unit_id=window.campaign.unit_id, is_active=True).values_list(
        "pk", flat=True
    )
    title = _("公示：%(title)s") % {"title": window.title}
    body = _("公示期 %(first)s 至 %(last)s，欢迎提出意见建议。") % {
        "first": window.first_day,
        "last": window.last_day,
    }
    notify_many(
        Message(
            recipient_id=pk,
            kind=Notification.Kind.PUBLICITY,
            title=title,
            body=body,
            url=window.get_absolute_url(),
        )
        for pk in people.iterator(chunk_size=2000)
    )


def _locked(window_id) -> Window:
    return (
        Window.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=window_id)
    )


@transaction.atomic
def close_window(window_id, by) -> Window:
    """The office ends a window before its time."""
    window = _locked(window_id)
    window.campaign.ensure_open()
    _require_office(window.campaign, by)
    if window.state() == Window.State.ENDED:
        raise ReviewError(_("这次公示已经结束。"))
    window.status = Window.Status.CLOSED
    window.closed_at = timezone.now()
    window.closed_by = by
    window.save(update_fields=["status", "closed_at", "closed_by"])
    record(
        window.campaign,
        by,
        "publicity.closed",
        _("提前结束公示“%(title)s”") % {"title": window.title},
        target=window,
    )
    return window


@transaction.atomic
def regenerate_link(window_id, by) -> Window:
    """Revoke the public link: a new token replaces it, the old link is dead."""
    window = _locked(window_id)
    window.campaign.ensure_open()
    _require_office(window.campaign, by)
    if not window.public:
        raise ReviewError(_("这次公示没有向社会公开的链接。"))
    window.token = new_token()
    window.save(update_fields=["token"])
    record(
        window.campaign,
        by,
        "publicity.link_regenerated",
        _("撤销并重新生成公示“%(title)s”的公开链接") % {"title": window.title},
        target=window,
    )
    return window


def close_expired(now=None) -> int:
    """Close every window whose time is up; returns how many it closed.

    Idempotent: each window is locked and re-checked, so two runs at once
    (or one run after another) close it once.
    """
    now = now or timezone.now()
    due = list(
        Window.objects.filter(status=Window.Status.OPEN, ends_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    closed = 0
    for pk in due:
        with transaction.atomic():
            window = (
                Window.objects.select_for_update(of=("self",))
                .select_related("campaign")
                .filter(pk=pk, status=Window.Status.OPEN, ends_at__lte=now)
                .first()
            )
            if window is None:
                continue
            window.status = Window.Status.CLOSED
            window.closed_at = now
            window.save(update_fields=["status", "closed_at"])
            record(
                window.campaign,
                None,
                "publicity.ended",
                _("公示“%(title)s”期满，自动结束") % {"title": window.title},
                target=window,
            )
            closed += 1
    return closed


def announce_started(now=None) -> int:
    """Tell the unit of the windows that have started since they were opened
    for a later day; returns how many. Idempotent like :func:`close_expired`:
    each window is locked and re-checked, and announced once."""
    now = now or timezone.now()
    due = list(
        Window.objects.filter(
            announced_at__isnull=True,
            status=Window.Status.OPEN,
            starts_at__lte=now,
            ends_at__gt=now,
        )
        .exclude(campaign__status=Campaign.Status.CLOSED)
        .values_list("pk", flat=True)
    )
    announced = 0
    for pk in due:
        with transaction.atomic():
            window = (
                Window.objects.select_for_update(of=("self",))
                .select_related("campaign")
                .filter(pk=pk, announced_at__isnull=True)
                .first()
            )
            if window is None:
                continue
            window.announced_at = now
            window.save(update_fields=["announced_at"])
            _announce(window)
            announced += 1
    return announced


# Feedback --------------------------------------------------------------------------


def source_hash(address: str) -> str:
    """A keyed hash of a client address, for the rate limit only."""
    if not address:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"publicity-feedback:{address}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def submit_feedback(window_id, *, channel, content, name="", contact="", address="") -> Feedback:
    """Take an opinion while the window is open (name and contact optional).

    Through the public link, one address may send at most
    :data:`PUBLIC_FEEDBACK_LIMIT` opinions per :data:`PUBLIC_FEEDBACK_PERIOD`.
    """
    window = _locked(window_id)
    window.campaign.ensure_open()
    now = timezone.now()
    if not window.is_open(now):
        if window.state(now) == Window.State.UPCOMING:
            raise ReviewError(_("公示尚未开始，暂不接收意见。"))
        raise ReviewError(_("公示已结束，不再接收意见。"))
    if channel == Feedback.Channel.PUBLIC and not window.public:
        raise ReviewError(_("这次公示不接收公开意见。"))
    content = (content or "").strip()
    if not content:
        raise ReviewError(_("请填写意见建议。"))
    if len(content) > MAX_FEEDBACK_LENGTH:
        raise ReviewError(_("意见建议请不超过 %(n)d 字。") % {"n": MAX_FEEDBACK_LENGTH})
    digest = source_hash(address) if channel == Feedback.Channel.PUBLIC else ""
    if digest:
        recent = Feedback.objects.filter(
            source_hash=digest, submitted_at__gt=now - PUBLIC_FEEDBACK_PERIOD
        )
        if recent.count() >= PUBLIC_FEEDBACK_LIMIT:
            raise RateLimited()
    feedback = Feedback.objects.create(
        window=window,
        channel=channel,
        name=(name or "").strip()[:60],
        contact=(contact or "").strip()[:100],
        content=content,
        submitted_at=now,
        source_hash=digest,
    )
    notify(
        _office_people(window.campaign),
        Notification.Kind.PUBLICITY,
        _("公示“%(title)s”收到新的意见") % {"title": window.title},
        body=content[:200],
        url=window_url(window),
    )
    return feedback


def window_url(window) -> str:
    return reverse("publicity:window", args=[window.pk])


@transaction.atomic
def answer_feedback(feedback_id, by, *, answer) -> Feedback:
    feedback = (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("window__campaign")
        .get(pk=feedback_id)
    )
    window = feedback.window
    window.campaign.ensure_open()
    _require_office(window.campaign, by)
    answer = (answer or "").strip()
    if not answer:
        raise ReviewError(_("请填写答复内容。"))
    replaced = feedback.is_answered
    feedback.answer = answer
    feedback.answered_by = by
    feedback.answered_at = timezone.now()
    feedback.save(update_fields=["answer", "answered_by", "answered_at"])
    record(
        window.campaign,
        by,
        "publicity.feedback_answered",
        (_("修改对公示意见的答复（%(title)s）") if replaced else _("答复公示意见（%(title)s）"))
        % {"title": window.title},
        target=feedback,
    )
    return feedback


def mark_read(window, person) -> None:
    """Remember that ``person`` opened the notice (nothing on a closed campaign)."""
    from .models import NoticeRead

    if window.campaign.is_closed or not person.is_authenticated:
        return
    NoticeRead.objects.get_or_create(window=window, person=person)
