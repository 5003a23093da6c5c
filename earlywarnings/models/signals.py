"""Warning signals (预警信息 / 线索) and the files attached to them.

A signal is where confidentiality starts (petition signals are always
confidential); its attachments are stored under random names and are only
ever sent through the permission-checked download view.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .common import (
    Targeted,
)


class WarningSignal(Targeted):
    """A warning signal (预警信息 / 线索)."""

    class Source(models.TextChoices):
        AUDIT = "audit", _("审计")
        INSPECTION = "inspection", _("巡察 / 监督检查")
        SPECIAL_CHECK = "special_check", _("专项检查")
        EFFICIENCY = "efficiency", _("效能监督")
        DEMOCRATIC_LIFE = "democratic_life", _("民主生活会")
        DUTY_REPORT = "duty_report", _("述职述廉")
        STAFF_EVALUATION = "staff_evaluation", _("民主测评")
        PETITION = "petition", _("信访举报")
        CASE = "case", _("案件查办")
        SURVEY = "survey", _("问卷调查")
        PUBLIC_OPINION = "public_opinion", _("舆情")

    # Sources whose signals are confidential whatever the recorder ticks.
    CONFIDENTIAL_SOURCES = frozenset({Source.PETITION})

    class Status(models.TextChoices):
        NEW = "new", _("待研判")
        WARNED = "warned", _("已预警")
        FILED = "filed", _("已存档")

    source = models.CharField(_("信息来源"), max_length=20, choices=Source.choices)
    title = models.CharField(_("摘要"), max_length=150)
    description = models.TextField(_("具体情况"))
    received_on = models.DateField(_("收到日期"))
    risk_point = models.ForeignKey(
        "risks.RiskPoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("相关风险点"),
    )
    confidential = models.BooleanField(
        _("保密"),
        default=False,
        help_text=_(
            "保密线索只有纪检组和办公室主任可见，涉及人员及其科室负责人永远不可见。信访举报线索一律保密。"
        ),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.NEW)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预警线索")
        verbose_name_plural = _("预警线索")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "confidential", "-received_on"], name="signal_unit_idx"),
            models.Index(fields=["person"], name="signal_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="petition") | Q(confidential=True),
                name="signal_petition_is_confidential",
            ),
        ]

    def __str__(self):
        # A confidential signal's title never appears where the object is
        # merely named (the admin's lists of related objects on a delete
        # page, log entries …); pages that may show it use ``title``.
        if self.confidential:
            return str(_("保密线索"))
        return self.title

    def save(self, *args, **kwargs):
        if self.source in self.CONFIDENTIAL_SOURCES:
            self.confidential = True
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("earlywarnings:signal", args=[self.pk])


def signal_file_path(instance, filename):
    # A random name: stored paths are never guessable, and files are only
    # ever sent through the permission-checked download view.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"earlywarnings/{secrets.token_hex(2)}/{secrets.token_hex(16)}.{suffix}"


class SignalAttachment(models.Model):
    signal = models.ForeignKey(WarningSignal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("附件"), upload_to=signal_file_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("线索附件")
        verbose_name_plural = _("线索附件")
        ordering = ["signal", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name
