"""Risk filings (登记表 / 承诺表) at three levels, their risk points,
measures, evidence, pledges, and the common risk library.

A filing is one person's (personal), one section's (section) or the
leadership team's (unit) form for a campaign. It holds risk points, each
with grading factors and up to three grades: the filer's self grade, the
reviewers' grade and the leading group's final grade. Each risk point has
measures in three lines of defence.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Post, Section
from campaign.models import Campaign, GradeLevel, RiskCategory
from powers.models import Power, PowerStep


class Factor(models.TextChoices):
    """The grading factors the seed plans name; each is rated 1, 2 or 3."""

    LIKELIHOOD = "likelihood", _("发生可能性")
    HARM = "harm", _("危害程度")
    IMPORTANCE = "importance", _("权力重要程度")
    DISCRETION = "discretion", _("自由裁量空间")
    MONEY = "money", _("资金流量")
    FREQUENCY = "frequency", _("行使频率")
    CONCEALMENT = "concealment", _("隐蔽程度")
    ACCOUNTABILITY = "accountability", _("追责严重程度")


class Rating(models.IntegerChoices):
    LOW = 1, _("低")
    MEDIUM = 2, _("中")
    HIGH = 3, _("高")


class ScoringModel(models.Model):
    """A campaign's weights and thresholds for the suggested grade.

    See ``risks/scoring.py`` for how they are used; the defaults live there.
    """

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="scoring")
    weights = models.JSONField(_("因素权重"), default=dict)
    high_threshold = models.DecimalField(
        _("最高等级分数线"), max_digits=3, decimal_places=2, default=2.30
    )
    medium_threshold = models.DecimalField(
        _("中间等级分数线"), max_digits=3, decimal_places=2, default=1.70
    )
    severity_floor = models.BooleanField(
        _("按追责程度保底"),
        default=True,
        help_text=_("可能追究刑事责任的至少定为最高等级，可能受党纪政务处分的至少定为中间等级。"),
    )

    class Meta:
        verbose_name = _("风险评分模型")
        verbose_name_plural = _("风险评分模型")

    def __str__(self):
        return _("%(campaign)s的评分模型") % {"campaign": self.campaign}


class Filing(models.Model):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("个人岗位")
        SECTION = "section", _("科室（部门）")
        UNIT = "unit", _("单位（领导班子）")

    class Status(models.TextChoices):
        DRAFT = "draft", _("填写中")
        SUBMITTED = "submitted", _("已提交")
        IN_REVIEW = "in_review", _("审核中")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已审定")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="filings")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filings",
        verbose_name=_("填报人"),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filings",
        verbose_name=_("科室"),
    )
    post = models.ForeignKey(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("岗位"),
    )
    rank = models.CharField(_("职级"), max_length=10, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    revision = models.PositiveSmallIntegerField(_("版本"), default=1)
    version = models.PositiveIntegerField(_("保存次数"), default=0)
    started_at = models.DateTimeField(_("开始填写"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    section_meeting_on = models.DateField(_("科室集体研究日期"), null=True, blank=True)
    pledge_text = models.TextField(_("廉政承诺"), blank=True)
    pledge_addressee = models.CharField(_("承诺对象"), max_length=100, blank=True)
    pledge_signed_at = models.DateTimeField(_("承诺签署时间"), null=True, blank=True)
    pledge_ip = models.GenericIPAddressField(_("签署地址"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("风险点登记表")
        verbose_name_plural = _("风险点登记表")
        ordering = ["campaign", "kind", "section__display_order", "owner__employee_no", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "owner"],
                condition=Q(kind="personal"),
                name="filing_one_personal_per_person",
            ),
            models.UniqueConstraint(
                fields=["campaign", "section"],
                condition=Q(kind="section"),
                name="filing_one_per_section",
            ),
            models.UniqueConstraint(
                fields=["campaign"], condition=Q(kind="unit"), name="filing_one_unit_filing"
            ),
            models.CheckConstraint(
                condition=~Q(kind="personal") | Q(owner__isnull=False),
                name="filing_personal_has_owner",
            ),
            models.CheckConstraint(
                condition=~Q(kind="section") | Q(section__isnull=False),
                name="filing_section_has_section",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "kind", "status"], name="filing_campaign_status_idx"),
            models.Index(fields=["campaign", "section"], name="filing_campaign_section_idx"),
        ]

    # What review_title() reads, for campaign.approvals.with_subjects.
    review_title_related = ("owner", "section")

    def __str__(self):
        return self.review_title()

    def get_absolute_url(self):
        return reverse("risks:filing", args=[self.pk])

    def review_title(self):
        if self.kind == self.Kind.PERSONAL:
            return _("%(name)s的个人岗位风险点登记表") % {"name": self.owner}
        if self.kind == self.Kind.SECTION:
            return _("%(section)s风险点登记表") % {"section": self.section}
        return str(_("单位（领导班子）风险点登记表"))

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    # Hooks called by campaign.approvals; the work is in risks/services.py.
    def on_review_submitted(self, review):
        from . import services

        services.on_submitted(self, review)

    def on_review_step_opened(self, step):
        from . import services

        services.on_step_opened(self, step)

    def on_review_step_approved(self, step, user, data):
        from . import services

        services.on_step_approved(self, step, user, data)

    def on_review_returned(self, review, step):
        from . import services

        services.on_returned(self, review, step)

    def on_review_approved(self, review):
        from . import services

        services.on_approved(self, review)


class RiskPoint(models.Model):
    class FoundBy(models.TextChoices):
        SELF = "self", _("自己找")
        COLLEAGUES = "colleagues", _("群众帮")
        LEADERS = "leaders", _("领导点")
        COLLECTIVE = "collective", _("集体定")

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="risk_points")
    # Copied from the filing so unit-wide statistics need no join.
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="risk_points", editable=False
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    category = models.ForeignKey(
        RiskCategory,
        on_delete=models.PROTECT,
        related_name="risk_points",
        verbose_name=_("风险类别"),
    )
    title = models.CharField(_("风险点"), max_length=120)
    content = models.TextField(_("风险内容及表现形式"))
    power = models.ForeignKey(
        Power,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risk_points",
        verbose_name=_("涉及职权"),
    )
    power_step = models.ForeignKey(
        PowerStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risk_points",
        verbose_name=_("流程环节"),
    )
    found_by = models.JSONField(_("查找方式"), default=list, blank=True)
    likelihood = models.PositiveSmallIntegerField(
        Factor.LIKELIHOOD.label, choices=Rating.choices, null=True, blank=True
    )
    harm = models.PositiveSmallIntegerField(
        Factor.HARM.label, choices=Rating.choices, null=True, blank=True
    )
    importance = models.PositiveSmallIntegerField(
        Factor.IMPORTANCE.label, choices=Rating.choices, null=True, blank=True
    )
    discretion = models.PositiveSmallIntegerField(
        Factor.DISCRETION.label, choices=Rating.choices, null=True, blank=True
    )
    money = models.PositiveSmallIntegerField(
        Factor.MONEY.label, choices=Rating.choices, null=True, blank=True
    )
    frequency = models.PositiveSmallIntegerField(
        Factor.FREQUENCY.label, choices=Rating.choices, null=True, blank=True
    )
    concealment = models.PositiveSmallIntegerField(
        Factor.CONCEALMENT.label, choices=Rating.choices, null=True, blank=True
    )
    accountability = models.PositiveSmallIntegerField(
        Factor.ACCOUNTABILITY.label,
        choices=[(1, _("一般违规")), (2, _("党纪政务处分")), (3, _("刑事责任"))],
        null=True,
        blank=True,
    )
    suggested_grade = models.ForeignKey(
        GradeLevel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("建议等级"),
    )
    suggestion_reason = models.CharField(_("建议依据"), max_length=300, blank=True)
    self_grade = models.ForeignKey(
        GradeLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("自评等级"),
    )
    reviewed_grade = models.ForeignKey(
        GradeLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核等级"),
    )
    reviewed_reason = models.TextField(_("审核调整理由"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    final_grade = models.ForeignKey(
        GradeLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("评定等级"),
    )
    final_reason = models.TextField(_("评定调整理由"), blank=True)
    final_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    library_entry = models.ForeignKey(
        "LibraryEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("参考条目"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        ordering = ["filing", "position", "id"]
        indexes = [
            models.Index(fields=["filing", "position"], name="risk_point_order_idx"),
            models.Index(fields=["campaign", "final_grade"], name="risk_point_grade_idx"),
            models.Index(fields=["campaign", "category"], name="risk_point_category_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.campaign_id = self.filing.campaign_id
        super().save(*args, **kwargs)

    def factor_ratings(self) -> dict:
        return {factor: getattr(self, factor) for factor in Factor.values}

    @property
    def grade(self):
        """The grade that counts now: final, else reviewed, else self."""
        return self.final_grade or self.reviewed_grade or self.self_grade

    def found_by_labels(self):
        labels = dict(self.FoundBy.choices)
        return [labels[key] for key in self.found_by if key in labels]


class Measure(models.Model):
    class Line(models.TextChoices):
        PREVENTION = "prevention", _("前期预防")
        MONITORING = "monitoring", _("中期监控")
        HANDLING = "handling", _("后期处置")

    class Status(models.TextChoices):
        PLANNED = "planned", _("未开始")
        IN_PROGRESS = "in_progress", _("落实中")
        DONE = "done", _("已落实")

    risk_point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="measures")
    line = models.CharField(_("防线"), max_length=12, choices=Line.choices)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    text = models.TextField(_("防控措施"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_measures",
        verbose_name=_("责任人"),
    )
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(
        _("落实情况"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    indicator = models.CharField(_("监测指标"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("防控措施")
        verbose_name_plural = _("防控措施")
        ordering = ["risk_point", "line", "position", "id"]
        indexes = [
            models.Index(fields=["risk_point", "line", "position"], name="measure_order_idx"),
            models.Index(fields=["due_on", "status"], name="measure_due_idx"),
        ]

    def __str__(self):
        return self.text[:40]


def evidence_path(instance, filename):
    # Random names: a stored file's path can never be guessed, and files are
    # only ever sent through a view that checks who is asking.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{secrets.token_hex(2)}/{secrets.token_hex(16)}.{suffix}"


class Evidence(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("附件"), upload_to=evidence_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["measure", "uploaded_at"]

    def __str__(self):
        return self.original_name


class PledgeTemplate(models.Model):
    """The campaign's pledge text, per kind of filer."""

    class Audience(models.TextChoices):
        GENERAL = "general", _("一般干部")
        MIDDLE = "middle", _("中层干部")
        LEADER = "leader", _("领导班子成员")
        SECTION = "section", _("科室（部门）")
        UNIT = "unit", _("单位领导班子")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="pledge_templates"
    )
    audience = models.CharField(_("适用对象"), max_length=10, choices=Audience.choices)
    text = models.TextField(_("承诺内容"))

    class Meta:
        verbose_name = _("廉政承诺模板")
        verbose_name_plural = _("廉政承诺模板")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "audience"], name="pledge_template_unique"),
        ]

    def __str__(self):
        return f"{self.campaign}·{self.get_audience_display()}"


class LibraryEntry(models.Model):
    """One typical risk point with its measures (常见廉政风险点库).

    Shipped as ``fixtures/risk_library.json``, loaded by a data migration and
    editable by the office afterwards. Filers copy an entry into their form
    and then adapt it.
    """

    class Grade(models.TextChoices):
        HIGH = "high", _("高")
        MEDIUM = "medium", _("中")
        LOW = "low", _("低")

    code = models.CharField(_("编号"), max_length=10, unique=True)
    area = models.CharField(_("领域"), max_length=40)
    category_name = models.CharField(_("风险类别"), max_length=30)
    post_types = models.JSONField(_("适用岗位类型"), default=list)
    power_categories = models.JSONField(_("适用职权类别"), default=list)
    keywords = models.JSONField(_("关键词"), default=list)
    title = models.CharField(_("风险点"), max_length=120)
    content = models.TextField(_("风险内容及表现形式"))
    suggested_grade = models.CharField(_("参考等级"), max_length=10, choices=Grade.choices)
    prevention = models.TextField(_("前期预防"))
    monitoring = models.TextField(_("中期监控"))
    handling = models.TextField(_("后期处置"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("常见风险点")
        verbose_name_plural = _("常见风险点库")
        ordering = ["code"]
        indexes = [models.Index(fields=["area"], name="library_area_idx")]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def grade_rank(self):
        return {"high": 1, "medium": 2, "low": 3}[self.suggested_grade]
