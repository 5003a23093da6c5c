"""Publicity (公示): notice windows, the feedback they receive, and who has
read them.

The office opens a :class:`Window` for one scope of the campaign's results
(the unit-wide register, one section's register, or the power catalogue with
its flowcharts) for the campaign's number of days. Staff read it after
signing in; a window over the power catalogue may also be published to the
public at an unguessable link (``token``), which shows only the external
powers the catalogue marks as public. Feedback (:class:`Feedback`) comes in
while the window is open and is answered by the office. The window closes by
itself at ``ends_at`` (``publicity.tasks.close_expired_windows``); pages
decide "open or ended" from the time, so a window is never shown as open
after its end even before the job has run.

What a window shows is read live from the campaign and filtered in
``publicity/content.py``: approved filings only, never an unpublished power,
never anything from early warning.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Section
from campaign.models import Campaign

# 32 random bytes: 256 bits, URL-safe, about 43 characters.
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class Window(models.Model):
    class Scope(models.TextChoices):
        REGISTER = "register", _("全单位廉政风险点和防控措施")
        SECTION = "section", _("科室廉政风险点和防控措施")
        POWERS = "powers", _("职权目录和权力运行流程图")

    class Status(models.TextChoices):
        OPEN = "open", _("公示中")
        CLOSED = "closed", _("公示已结束")

    class State(models.TextChoices):
        """What a page shows: computed from the status and the time."""

        UPCOMING = "upcoming", _("即将开始")
        OPEN = "open", _("公示中")
        ENDED = "ended", _("公示已结束")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="publicity_windows"
    )
    scope = models.CharField(_("公示内容"), max_length=10, choices=Scope.choices)
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("科室"),
    )
    title = models.CharField(_("公示标题"), max_length=150)
    note = models.TextField(_("公示说明"), blank=True)
    show_names = models.BooleanField(
        _("显示人员姓名"),
        default=False,
        help_text=_("不勾选时只显示科室和岗位，不显示填报人和责任人的姓名。"),
    )
    public = models.BooleanField(
        _("同时向社会公开"),
        default=False,
        help_text=_(
            "仅限职权目录：生成一个无需登录的公开链接，只显示“向社会公开”的外部权力及其流程图。"
        ),
    )
    token = models.CharField(
        _("公开链接令牌"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    supervision_phone = models.CharField(_("监督电话"), max_length=40, blank=True)
    starts_at = models.DateTimeField(_("公示开始"))
    ends_at = models.DateTimeField(_("公示结束"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("发布人"),
    )
    opened_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    # When the unit was told of the notice: at opening for a window that
    # starts at once, else by the hourly job once it has started.
    announced_at = models.DateTimeField(_("通知时间"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提前结束人"),
        help_text=_("为空表示到期自动结束。"),
    )

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope="section") | Q(section__isnull=False),
                name="publicity_section_scope_has_section",
            ),
            models.CheckConstraint(
                condition=Q(public=False) | Q(scope="powers"),
                name="publicity_only_powers_go_public",
            ),
            models.CheckConstraint(
                condition=Q(public=False) | Q(token__isnull=False),
                name="publicity_public_has_token",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="publicity_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "ends_at"], name="publicity_status_end_idx"),
            models.Index(fields=["campaign", "-starts_at"], name="publicity_campaign_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("publicity:notice", args=[self.pk])

    def public_url(self) -> str:
        """The path of the public link ("" when not published to the public)."""
        if not (self.public and self.token):
            return ""
        return reverse("publicity:public", args=[self.token])

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.status == self.Status.CLOSED or now >= self.ends_at:
            return self.State.ENDED
        if now < self.starts_at:
            return self.State.UPCOMING
        return self.State.OPEN

    def state_label(self, now=None) -> str:
        return str(self.State(self.state(now)).label)

    def is_open(self, now=None) -> bool:
        """Takes feedback now: started, not yet at its end, not closed early."""
        return self.state(now) == self.State.OPEN

    @property
    def last_day(self):
        """The last day of the notice period, as the printed notice shows it."""
        return timezone.localtime(self.ends_at - timedelta(seconds=1)).date()

    @property
    def first_day(self):
        return timezone.localtime(self.starts_at).date()

    @property
    def closed_early(self) -> bool:
        return self.closed_by_id is not None


class Feedback(models.Model):
    """An opinion sent in during a window (name and contact optional)."""

    class Channel(models.TextChoices):
        INTERNAL = "internal", _("单位内部")
        PUBLIC = "public", _("公开链接")

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="feedback")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    name = models.CharField(_("姓名"), max_length=60, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    content = models.TextField(_("意见建议"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    # A keyed hash of the sender's address: enough to limit how often one
    # address may write, without keeping the address itself.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("答复人"),
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示意见")
        verbose_name_plural = _("公示意见")
        ordering = ["window", "submitted_at", "id"]
        indexes = [
            models.Index(
                fields=["source_hash", "submitted_at"], name="publicity_feedback_rate_idx"
            ),
        ]

    def __str__(self):
        return self.content[:40]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class NoticeRead(models.Model):
    """A staff member opened an internal notice (so the home page stops asking)."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="reads")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("阅读时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公示阅读记录")
        verbose_name_plural = _("公示阅读记录")
        constraints = [
            models.UniqueConstraint(fields=["window", "person"], name="publicity_read_once"),
        ]

    def __str__(self):
        return f"{self.person_id}→{self.window_id}"
