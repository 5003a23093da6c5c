"""Early warning (预警): signals, the yearly integrity score, warnings and
their disposals, the holiday list, and the reminder jobs' bookkeeping.

* A :class:`WarningSignal` (预警信息 / 线索) is a fact that came in from an
  audit, an inspection, a petition … about a person, post, section or the
  whole unit. Petition and report signals (信访举报) are confidential: see
  ``earlywarnings/access.py`` for who may see them.
* Each person starts the year with the unit's base points; a
  :class:`Deduction` takes points off. :class:`YearlyScore` keeps the running
  total per person and year, and is the row a deduction locks.
* An :class:`EarlyWarning` has one of four levels, D (green) before any fault
  and C, B, A (blue, yellow, red) after faults. It is raised automatically
  when the year's deductions cross a threshold of the unit's
  :class:`WarningPolicy`, or by hand by the office or discipline inspection.
* A :class:`Disposal` (处置) is what is done about a warning: a reminder
  talk, a written inquiry, an admonishment … with a deadline, the concerned
  person's report and the office's evaluation. Warnings and disposals
  together are the warning disposal record (预警处置记录), see
  ``earlywarnings/records.py``.
* :class:`ReminderLog` and :class:`JobRun` belong to the Celery beat jobs in
  ``earlywarnings/reminders.py``.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Post, Section, Unit


class Level(models.TextChoices):
    """The four warning levels. D comes before any fault (事前预警); C, B and
    A follow faults (事后预警), A being the gravest."""

    D = "D", _("D级（绿色）")
    C = "C", _("C级（蓝色）")
    B = "B", _("B级（黄色）")
    A = "A", _("A级（红色）")


# Higher is graver; "" (no level yet) is below every level.
LEVEL_RANK = {"": 0, Level.D: 1, Level.C: 2, Level.B: 3, Level.A: 4}
LEVEL_COLOURS = {
    Level.D: ("#2e7d32", "#ffffff", _("绿色")),
    Level.C: ("#1565c0", "#ffffff", _("蓝色")),
    Level.B: ("#f9c80e", "#3b2f00", _("黄色")),
    Level.A: ("#c62828", "#ffffff", _("红色")),
}
# The graver levels first, as lists and panels show them.
LEVELS_GRAVEST_FIRST = [Level.A, Level.B, Level.C, Level.D]
# The levels a deduction can raise by itself; D is a reminder raised by hand.
FAULT_LEVELS = [Level.C, Level.B, Level.A]


class TargetKind(models.TextChoices):
    PERSON = "person", _("个人")
    POST = "post", _("岗位")
    SECTION = "section", _("科室（部门）")
    UNIT = "unit", _("单位")


class Targeted(models.Model):
    """Whom a signal or a warning concerns: a person, a post, a section or
    the whole unit. The person's post and section are copied when known, so
    lists filter by section without joins and keep the picture of the day."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("单位")
    )
    target_kind = models.CharField(
        _("对象类别"), max_length=10, choices=TargetKind.choices, default=TargetKind.PERSON
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("涉及人员"),
    )
    post = models.ForeignKey(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("涉及岗位"),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("涉及科室"),
    )

    class Meta:
        abstract = True

    def target_label(self) -> str:
        if self.target_kind == TargetKind.PERSON and self.person_id:
            return str(self.person)
        if self.target_kind == TargetKind.POST and self.post_id:
            return str(self.post)
        if self.target_kind == TargetKind.SECTION and self.section_id:
            return str(self.section)
        return str(_("全单位"))

    def clean_target(self):
        needed = {
            TargetKind.PERSON: ("person", _("请选择涉及人员。")),
            TargetKind.POST: ("post", _("请选择涉及岗位。")),
            TargetKind.SECTION: ("section", _("请选择涉及科室。")),
        }.get(self.target_kind)
        if needed and not getattr(self, f"{needed[0]}_id"):
            raise ValidationError({needed[0]: needed[1]})


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
