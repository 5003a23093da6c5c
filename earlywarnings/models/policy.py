"""A unit's own warning settings: its rules (:class:`WarningPolicy`: base
points, the 扣分线 and the reminder days), its holiday list and the log of
the office's changes to both (:class:`SettingsChange`).

These belong to the unit, not to any signal or warning, and are what the
office edits on its settings pages.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit

from .common import (
    Level,
)


class WarningPolicy(models.Model):
    """A unit's rules for the yearly integrity score and the reminders.

    Every person starts the year with ``base_points`` (12 by default, after
    the seed plan's 12-point system). The *total deducted in the year* turns
    into a warning level:

    ========================  ==========================
    total deducted            level
    ========================  ==========================
    ``>= level_c_at`` (3)     C 蓝色 — a quarter of 12 gone
    ``>= level_b_at`` (6)     B 黄色 — half gone
    ``>= level_a_at`` (9)     A 红色 — three quarters gone
    ========================  ==========================

    The defaults split the 12 points into four even bands: 0–2 deducted is
    no fault-level warning, and each further 3 points is one level graver.
    D 绿色 is never reached by deductions: it is the reminder before any
    fault and is raised by hand (and is the style of the monthly reminder).

    The row is created lazily with these defaults by :meth:`for_unit`.
    """

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="warning_policy", verbose_name=_("单位")
    )
    base_points = models.PositiveSmallIntegerField(
        _("年度基础分"), default=12, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    level_c_at = models.PositiveSmallIntegerField(
        _("C级（蓝色）预警扣分线"), default=3, help_text=_("年度累计扣分达到此分值时发出C级预警。")
    )
    level_b_at = models.PositiveSmallIntegerField(
        _("B级（黄色）预警扣分线"), default=6, help_text=_("年度累计扣分达到此分值时发出B级预警。")
    )
    level_a_at = models.PositiveSmallIntegerField(
        _("A级（红色）预警扣分线"), default=9, help_text=_("年度累计扣分达到此分值时发出A级预警。")
    )
    response_days = models.PositiveSmallIntegerField(
        _("答复期限（天）"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("自动预警要求当事人答复的天数。"),
    )
    reviewer_waiting_days = models.PositiveSmallIntegerField(
        _("审核催办天数"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("待审核事项等待超过此天数时提醒审核人，此后每隔同样天数再提醒一次。"),
    )
    holiday_notice_days = models.PositiveSmallIntegerField(
        _("节前提醒提前天数"), default=2, validators=[MinValueValidator(0), MaxValueValidator(30)]
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最近修改人"),
    )
    changed_at = models.DateTimeField(_("最近修改时间"), null=True, blank=True)

    # The fields the office edits on the rules page (and the change log names).
    EDITABLE = (
        "base_points",
        "level_c_at",
        "level_b_at",
        "level_a_at",
        "response_days",
        "reviewer_waiting_days",
        "holiday_notice_days",
    )

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(level_c_at__gte=1)
                & Q(level_b_at__gt=F("level_c_at"))
                & Q(level_a_at__gt=F("level_b_at")),
                name="warning_policy_thresholds_ascending",
            ),
        ]

    def __str__(self):
        return _("%(unit)s的预警规则") % {"unit": self.unit}

    def clean(self):
        if not (1 <= self.level_c_at < self.level_b_at < self.level_a_at):
            raise ValidationError(_("扣分线须满足：1 ≤ C级 < B级 < A级。"))
        if self.level_a_at > self.base_points:
            raise ValidationError({"level_a_at": _("A级扣分线不能超过年度基础分。")})

    @classmethod
    def for_unit(cls, unit_or_id):
        unit_id = unit_or_id if isinstance(unit_or_id, int) else unit_or_id.pk
        policy, _created = cls.objects.get_or_create(unit_id=unit_id)
        return policy

    def thresholds(self) -> list[tuple[str, int]]:
        """(level, points) from the mildest to the gravest."""
        return [(Level.C, self.level_c_at), (Level.B, self.level_b_at), (Level.A, self.level_a_at)]

    def level_for(self, deducted: int) -> str:
        """The gravest level reached by ``deducted`` points, or "" for none."""
        reached = ""
        for level, points in self.thresholds():
            if deducted >= points:
                reached = level
        return reached


class Holiday(models.Model):
    """A public holiday on the office's list; staff are reminded before it."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("单位")
    )
    date = models.DateField(_("日期"))
    name = models.CharField(_("节日"), max_length=40)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["unit", "date"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "date"], name="holiday_unique_date_in_unit")
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class SettingsChange(models.Model):
    """One change the office made to its unit's warning settings: the rules
    (扣分线 and the rest of :class:`WarningPolicy`) or the holiday list.

    Warnings belong to the unit, not to a campaign, so these changes are not
    in a campaign's history; this log is where who changed what is kept.
    """

    class Kind(models.TextChoices):
        POLICY = "policy", _("修改预警规则")
        HOLIDAY_SAVED = "holiday_saved", _("保存节假日")
        HOLIDAY_DELETED = "holiday_deleted", _("删除节假日")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("单位")
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    summary = models.CharField(_("内容"), max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("修改人"),
    )
    at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预警设置修改记录")
        verbose_name_plural = _("预警设置修改记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["unit", "-at"], name="settings_change_unit_idx")]

    def __str__(self):
        return self.summary
