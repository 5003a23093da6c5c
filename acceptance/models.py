"""The closing check of a campaign (检查验收), its rectifications (整改), and
the markers of what was carried into next year's campaign (动态管理).

* :class:`SelfAssessment` — the self-assessment report: a draft generated
  from the campaign's own figures and the text the office edits from it.
* :class:`AcceptanceCheck` and :class:`ChecklistItem` — the acceptance
  checklist: items with maximum scores (copied from last year's list or the
  defaults, edited by the office), the scores given and remarks.
* :class:`Rectification` — a defect found, with its owner, deadline, the
  owner's report and the office's verification:
  open → reported → closed (verified), or reported → open again (rejected).
* :class:`CarriedFiling` / :class:`CarriedPoint` — a filing (a risk point)
  of the new year copied from last year's: the new rows are the risks app's
  own and share nothing with last year's; these only remember where a copy
  came from, for the owner's "confirm or change" and the year-over-year page.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Section
from campaign.models import Campaign
from risks.models import Filing, RiskPoint

SCORE_MAX = Decimal("100")


class SelfAssessment(models.Model):
    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="self_assessment"
    )
    draft = models.TextField(_("系统生成的草稿"), blank=True)
    text = models.TextField(_("自查报告"), blank=True)
    figures = models.JSONField(_("生成草稿时的数据"), default=dict, blank=True)
    generated_at = models.DateTimeField(_("草稿生成时间"), null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Raised at every change of ``text``: the page sends the version it
    # showed, and a save from a stale page is refused instead of
    # overwriting what someone else saved meanwhile.
    version = models.PositiveIntegerField(_("版本"), default=0, editable=False)

    class Meta:
        verbose_name = _("自查报告")
        verbose_name_plural = _("自查报告")

    def __str__(self):
        return _("%(campaign)s自查报告") % {"campaign": self.campaign}

    @property
    def edited(self) -> bool:
        return bool(self.text) and self.text != self.draft


class AcceptanceCheck(models.Model):
    """The check itself: when, by whom, and its conclusion."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="acceptance_check"
    )
    checked_on = models.DateField(_("验收日期"), null=True, blank=True)
    inspectors = models.CharField(_("验收人员"), max_length=200, blank=True)
    conclusion = models.TextField(_("验收意见"), blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("检查验收")
        verbose_name_plural = _("检查验收")

    def __str__(self):
        return _("%(campaign)s检查验收") % {"campaign": self.campaign}


class ChecklistItem(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="checklist_items")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    area = models.CharField(_("考核项目"), max_length=40)
    criteria = models.TextField(_("考核内容及评分标准"), blank=True)
    max_score = models.DecimalField(
        _("分值"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(SCORE_MAX)],
    )
    score = models.DecimalField(
        _("得分"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    remarks = models.TextField(_("扣分说明"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("验收评分项目")
        verbose_name_plural = _("验收评分项目")
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_score__gt=0), name="checklist_max_positive"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=F("max_score"))),
                name="checklist_score_within_max",
            ),
        ]

    def __str__(self):
        return self.area

    @property
    def is_scored(self) -> bool:
        return self.score is not None

    @property
    def deducted(self):
        return None if self.score is None else self.max_score - self.score


class Rectification(models.Model):
    """A defect found and its rectification (缺陷跟踪及整改)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        REPORTED = "reported", _("已报告待验证")
        CLOSED = "closed", _("已验证销号")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rectifications")
    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectifications",
        verbose_name=_("来源（验收项目）"),
    )
    source = models.CharField(
        _("问题来源"),
        max_length=100,
        blank=True,
        help_text=_("如：检查验收、公示意见、回头看；留空则取验收项目名称。"),
    )
    description = models.TextField(_("存在问题"))
    requirement = models.TextField(_("整改要求"), blank=True)
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任科室"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("整改责任人"),
    )
    due_on = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    report = models.TextField(_("整改情况"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    verification = models.TextField(_("验证意见"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    rejections = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["campaign", "created_at", "id"]
        indexes = [
            models.Index(fields=["campaign", "status"], name="rectification_status_idx"),
            models.Index(fields=["owner", "status"], name="rectification_owner_idx"),
        ]

    def __str__(self):
        return self.description[:40]

    def get_absolute_url(self):
        return reverse("acceptance:rectification", args=[self.pk])

    @property
    def source_label(self) -> str:
        if self.source:
            return self.source
        return self.item.area if self.item_id else str(_("检查验收"))

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


class CarriedFiling(models.Model):
    """A filing started from last year's: the owner confirms or changes it."""

    filing = models.OneToOneField(Filing, on_delete=models.CASCADE, related_name="carried_from")
    source = models.ForeignKey(
        Filing, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    carried_at = models.DateTimeField(_("带入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("上年度带入的登记表")
        verbose_name_plural = _("上年度带入的登记表")

    def __str__(self):
        return f"{self.source_id}→{self.filing_id}"


class CarriedPoint(models.Model):
    """A risk point copied from last year's (the explicit year-over-year link)."""

    point = models.OneToOneField(RiskPoint, on_delete=models.CASCADE, related_name="carried_from")
    source = models.ForeignKey(
        RiskPoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("上年度带入的风险点")
        verbose_name_plural = _("上年度带入的风险点")

    def __str__(self):
        return f"{self.source_id}→{self.point_id}"
