"""The reminder jobs' bookkeeping: :class:`ReminderLog` (what was sent,
the key that keeps a job from sending it twice) and :class:`JobRun` (each
run, shown to the office). The jobs themselves are in
``earlywarnings/reminders/``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit


class ReminderLog(models.Model):
    """One reminder sent: the key that keeps a job from sending it twice.

    ``kind`` names the job and phase (``measure.due``, ``milestone.overdue``
    …), ``object_id`` the thing reminded of (0 when none), ``day`` the day
    the reminder stands for (today for daily reminders, the first of the
    month for the monthly one, the holiday's date for holiday reminders).
    """

    kind = models.CharField(_("类别"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("对象"), default=0)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "person", "day"], name="reminder_log_once_per_day"
            ),
        ]
        indexes = [models.Index(fields=["day", "kind"], name="reminder_log_day_idx")]

    def __str__(self):
        return f"{self.kind}#{self.object_id}→{self.person_id} {self.day}"


class JobRun(models.Model):
    """One run of a reminder job, shown to the office on the job-run page.

    ``unit`` is set when the job ran for one unit only; an office sees its
    own unit's runs and the runs over all units, and only the system
    administrator reads the error text (it may name other units' rows)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("运行中")
        OK = "ok", _("成功")
        PARTIAL = "partial", _("部分失败")
        FAILED = "failed", _("失败")

    job = models.CharField(_("任务"), max_length=60)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("单位"),
        help_text=_("只为一个单位运行时记录该单位；为空表示全部单位。"),
    )
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(
        _("结果"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    sent_count = models.PositiveIntegerField(_("发送提醒数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    error_text = models.TextField(_("错误信息"), blank=True)

    class Meta:
        verbose_name = _("提醒任务运行记录")
        verbose_name_plural = _("提醒任务运行记录")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["job", "-started_at"], name="job_run_job_idx")]

    def __str__(self):
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at
