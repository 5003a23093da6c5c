"""Warnings (:class:`EarlyWarning`) and what is done about them
(:class:`Disposal`): together the warning disposal record (预警处置记录),
see ``earlywarnings/records.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .common import (
    LEVEL_RANK,
    Level,
    Targeted,
    TargetKind,
)
from .scores import Deduction
from .signals import WarningSignal


class EarlyWarning(Targeted):
    """A warning (预警) of one of four levels.

    Scope names the seeds use: a warning to a person or a post is a 岗位预警,
    to a section (科室 or 直属单位) a 单位预警, to the whole unit a 综合预警.

    Automatic warnings come from deductions (``origin`` auto, ``deduction``
    set); a named constraint allows one per person, year and level.
    """

    class Origin(models.TextChoices):
        AUTO = "auto", _("扣分自动预警")
        MANUAL = "manual", _("人工预警")

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")
        CLOSED = "closed", _("已办结")

    level = models.CharField(_("预警等级"), max_length=1, choices=Level.choices)
    origin = models.CharField(
        _("产生方式"), max_length=10, choices=Origin.choices, default=Origin.MANUAL
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    signal = models.ForeignKey(
        WarningSignal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="warnings",
        verbose_name=_("来源线索"),
    )
    deduction = models.ForeignKey(
        Deduction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="warnings",
        verbose_name=_("触发扣分"),
    )
    title = models.CharField(_("标题"), max_length=150)
    message = models.TextField(_("预警内容"))
    respond_by = models.DateField(_("答复期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("当事人答复"), blank=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发出人"),
    )
    raised_at = models.DateTimeField(_("发出时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closing_note = models.TextField(_("办结说明"), blank=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "level"],
                condition=Q(origin="auto"),
                name="warning_auto_once_per_person_year_level",
            ),
            models.CheckConstraint(
                condition=(
                    Q(target_kind="unit")
                    | Q(target_kind="person", person__isnull=False)
                    | Q(target_kind="post", post__isnull=False)
                    | Q(target_kind="section", section__isnull=False)
                ),
                name="warning_target_is_set",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "level"], name="warning_unit_status_idx"),
            models.Index(fields=["person", "year"], name="warning_person_year_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("earlywarnings:detail", args=[self.pk])

    @property
    def scope_label(self):
        if self.target_kind in (TargetKind.PERSON, TargetKind.POST):
            return _("岗位预警")
        if self.target_kind == TargetKind.SECTION:
            return _("单位预警")
        return _("综合预警")

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def level_rank(self):
        return LEVEL_RANK[self.level]


class Disposal(models.Model):
    """One action taken on a warning (处置).

    planned (待报告) → reported (已报告: the concerned person's report) →
    evaluated (已评估: the office's evaluation) → closed (已办结). An
    evaluation that finds the report wanting still ends in "evaluated" with
    ``adequate`` off; the office then adds a further disposal.
    """

    class Kind(models.TextChoices):
        RISK_REMINDER = "risk_reminder", _("风险提示")
        REMINDER_TALK = "reminder_talk", _("提醒谈话")
        WRITTEN_INQUIRY = "written_inquiry", _("函询")
        ADMONISHMENT = "admonishment", _("诫勉谈话")
        ORDERED_RECTIFICATION = "ordered_rectification", _("责令纠错（整改）")
        DEADLINE_RECTIFICATION = "deadline_rectification", _("限期整改")
        ORGANISATIONAL = "organisational", _("组织处理")

    class Status(models.TextChoices):
        PLANNED = "planned", _("待报告")
        REPORTED = "reported", _("已报告")
        EVALUATED = "evaluated", _("已评估")
        CLOSED = "closed", _("已办结")

    warning = models.ForeignKey(EarlyWarning, on_delete=models.CASCADE, related_name="disposals")
    kind = models.CharField(_("处置方式"), max_length=30, choices=Kind.choices)
    instructions = models.TextField(_("处置要求"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("责任人"),
        help_text=_("组织实施本项处置的人，如谈话人。"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("报告人"),
        help_text=_("需要报告整改或落实情况的当事人。"),
    )
    due_on = models.DateField(_("完成期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    report = models.TextField(_("落实情况报告"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    evaluation = models.TextField(_("评估意见"), blank=True)
    adequate = models.BooleanField(_("整改到位"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("评估时间"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预警处置")
        verbose_name_plural = _("预警处置")
        ordering = ["warning", "created_at", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="disposal_status_due_idx"),
            models.Index(fields=["reporter", "status"], name="disposal_reporter_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.warning}）"

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.PLANNED and self.due_on < today
