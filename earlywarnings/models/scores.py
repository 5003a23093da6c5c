"""The yearly integrity score: a person's :class:`YearlyScore` per year
(the row a deduction locks) and the :class:`Deduction` records that take
points off it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit

from .common import (
    Level,
)
from .signals import WarningSignal


class YearlyScore(models.Model):
    """A person's integrity score for one year: base points minus deductions.

    Created with the unit's base points at the first deduction of the year;
    a deduction locks this row, so two deductions at once are counted in
    turn. ``level`` is the gravest fault level the year's total has reached.
    """

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("单位")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="integrity_scores",
        verbose_name=_("人员"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    base_points = models.PositiveSmallIntegerField(_("基础分"))
    deducted = models.PositiveSmallIntegerField(_("累计扣分"), default=0)
    level = models.CharField(_("已达预警等级"), max_length=1, choices=Level.choices, blank=True)

    class Meta:
        verbose_name = _("年度廉政积分")
        verbose_name_plural = _("年度廉政积分")
        ordering = ["person", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"], name="yearly_score_unique_person_year"
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.year}：{self.score}"

    @property
    def score(self) -> int:
        return max(self.base_points - self.deducted, 0)


class Deduction(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("单位")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="integrity_deductions",
        verbose_name=_("人员"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    points = models.PositiveSmallIntegerField(
        _("扣分"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    reason = models.CharField(
        _("扣分事由"),
        max_length=300,
        help_text=_("当事人本人可以看到；请勿写入举报人或信访举报的内容。"),
    )
    signal = models.ForeignKey(
        WarningSignal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deductions",
        verbose_name=_("依据线索"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("扣分记录")
        verbose_name_plural = _("扣分记录")
        ordering = ["person", "-year", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "year"], name="deduction_person_year_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=1), name="deduction_points_positive")
        ]

    def __str__(self):
        return f"{self.person} {self.year} -{self.points}"
