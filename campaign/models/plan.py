"""The campaign (实施方案): its plan, grading scheme, categories, leading
group, stages and milestones, mobilisation and its history.

The approval-chain engine's models live in ``campaign/models/approvals.py``
so this file stays about the plan itself.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Section, Unit

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("颜色请用 #RRGGBB 形式，如 #c62828。"))


class CampaignClosed(ValidationError):
    """Raised by every service that would change a closed campaign."""

    def __init__(self, campaign=None):
        super().__init__(_("本次活动已结束并锁定，不能再修改。"), code="campaign_closed")


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        RUNNING = "running", _("进行中")
        CLOSED = "closed", _("已结束")

    class Scheme(models.TextChoices):
        HIGH_MEDIUM_LOW = "hml", _("高 / 中 / 低")
        NUMBERED = "numbered", _("一级 / 二级 / 三级")
        COLOURED = "coloured", _("红 / 黄 / 橙")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("单位")
    )
    title = models.CharField(_("活动名称"), max_length=150)
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    basis_doc_no = models.CharField(
        _("依据文件文号"), max_length=80, blank=True, help_text=_("如：普纪[2012]6号")
    )
    basis_doc_title = models.CharField(_("依据文件名称"), max_length=200, blank=True)
    aims = models.TextField(_("工作目标"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    grading_scheme = models.CharField(
        _("风险等级方案"), max_length=10, choices=Scheme.choices, default=Scheme.HIGH_MEDIUM_LOW
    )
    starts_on = models.DateField(_("开始日期"))
    publicity_days = models.PositiveSmallIntegerField(
        _("公示天数"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    supervision_phone = models.CharField(_("监督电话"), max_length=40, blank=True)
    high_grade_ratio = models.DecimalField(
        _("高等级风险点占比参考上限"),
        max_digits=4,
        decimal_places=2,
        default=0.20,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("提示性指标，不是硬性限制；如 0.20 表示约 20%。"),
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("上一年度活动"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("廉政风险防控活动")
        verbose_name_plural = _("廉政风险防控活动")
        ordering = ["-year", "-id"]
        permissions = [("administer_campaign", _("管理本次活动（领导小组办公室）"))]
        constraints = [
            models.UniqueConstraint(fields=["unit", "title"], name="campaign_unique_title_in_unit"),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="campaign_unit_status_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaign:detail", args=[self.pk])

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    def ensure_open(self):
        if self.is_closed:
            raise CampaignClosed(self)

    def current_stage(self):
        """The active stage, else the first not yet done."""
        stages = list(self.stages.all())
        for stage in stages:
            if stage.status == Stage.Status.ACTIVE:
                return stage
        return next((s for s in stages if s.status == Stage.Status.PENDING), None)


def lock_open(campaign) -> "Campaign":
    """The campaign (given or its id) re-read with its row locked, refused
    with :class:`CampaignClosed` if it has closed meanwhile.

    Every service that changes a campaign's content takes it first, inside
    its transaction and before any other row's lock, so closing the campaign
    (which takes the same lock) waits for it, or it for the closing.

    FOR NO KEY UPDATE: it excludes closing and the other services, but not
    rows elsewhere that merely point to the campaign (their foreign-key check
    takes a KEY SHARE lock, which a plain FOR UPDATE would block).
    """
    pk = campaign.pk if isinstance(campaign, Campaign) else campaign
    fresh = Campaign.objects.select_for_update(no_key=True).get(pk=pk)
    fresh.ensure_open()
    return fresh


class GradeLevel(models.Model):
    """One level of the campaign's grading scheme, in the unit's own words.

    ``rank`` 1 is the highest risk. The rank, not the label, decides the
    supervision tier, so 高, 一级 and 红 behave alike.
    """

    class Tier(models.TextChoices):
        HIGH = "high", _("重点监管：单位主要负责人和纪检组持续监督")
        MEDIUM = "medium", _("强化管理：纪检组或分管领导定期检查")
        LOW = "low", _("常规管理：科室负责人日常管理")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="grade_levels")
    rank = models.PositiveSmallIntegerField(_("序位"), help_text=_("1 为最高风险"))
    label = models.CharField(_("名称"), max_length=10)
    colour = models.CharField(_("颜色"), max_length=7, validators=[hex_colour])
    tier = models.CharField(_("监管层级"), max_length=10, choices=Tier.choices)

    class Meta:
        verbose_name = _("风险等级")
        verbose_name_plural = _("风险等级")
        ordering = ["campaign", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "rank"], name="grade_unique_rank"),
            models.UniqueConstraint(fields=["campaign", "label"], name="grade_unique_label"),
        ]

    def __str__(self):
        return self.label

    def is_higher_than(self, other):
        return other is None or self.rank < other.rank


class RiskCategory(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="risk_categories")
    name = models.CharField(_("类别名称"), max_length=30)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    display_order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("风险类别")
        verbose_name_plural = _("风险类别")
        ordering = ["campaign", "display_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="risk_category_unique_name"),
        ]

    def __str__(self):
        return self.name


class LeadingGroupMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("组长")
        DEPUTY = "deputy", _("副组长")
        MEMBER = "member", _("成员")
        OFFICE_HEAD = "office_head", _("办公室主任")
        OFFICE_MEMBER = "office_member", _("办公室成员")

    OFFICE_ROLES = (Role.OFFICE_HEAD, Role.OFFICE_MEMBER)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="leading_group")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="leading_group_seats",
        verbose_name=_("人员"),
    )
    role = models.CharField(_("职务"), max_length=20, choices=Role.choices)
    duty = models.CharField(_("分工"), max_length=200, blank=True)
    display_order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        ordering = ["campaign", "display_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "person"], name="leading_group_unique_person"
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}：{self.person}"

    @property
    def is_office(self):
        return self.role in self.OFFICE_ROLES


class Stage(models.Model):
    class Kind(models.TextChoices):
        MOBILISE = "mobilise", _("宣传动员")
        POWERS = "powers", _("清权确权")
        RISKS = "risks", _("查找风险")
        GRADE = "grade", _("评估定级")
        MEASURES = "measures", _("制定措施")
        PUBLICITY = "publicity", _("公示")
        REVIEW = "review", _("检查验收")

    ORDER = {kind: position for position, kind in enumerate(Kind.values, start=1)}

    class Status(models.TextChoices):
        PENDING = "pending", _("未开始")
        ACTIVE = "active", _("进行中")
        DONE = "done", _("已完成")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("阶段"), max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("顺序"), editable=False)
    starts_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("截止日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    description = models.TextField(_("工作内容"), blank=True)
    started_at = models.DateTimeField(_("实际开始"), null=True, blank=True)
    completed_at = models.DateTimeField(_("实际完成"), null=True, blank=True)
    completion_reason = models.TextField(_("未完成事项说明"), blank=True)

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="stage_unique_kind"),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("starts_on")), name="stage_due_after_start"
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    def save(self, *args, **kwargs):
        self.position = self.ORDER[self.kind]
        super().save(*args, **kwargs)

    def clean(self):
        if self.starts_on and self.due_on and self.due_on < self.starts_on:
            raise ValidationError({"due_on": _("截止日期不能早于开始日期。")})

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.status != self.Status.DONE and self.due_on < today


class Milestone(models.Model):
    class Responsible(models.TextChoices):
        OFFICE = "office", _("领导小组办公室")
        LEADING_GROUP = "leading_group", _("领导小组")
        PARTY_COMMITTEE = "party_committee", _("党委（党组）")
        SECTION_HEADS = "section_heads", _("各科室负责人")
        ALL_STAFF = "all_staff", _("全体干部职工")
        SECTION = "section", _("指定科室")

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点任务"), max_length=150)
    due_on = models.DateField(_("完成时限"))
    responsible = models.CharField(
        _("责任主体"), max_length=20, choices=Responsible.choices, default=Responsible.OFFICE
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任科室"),
    )
    done = models.BooleanField(_("已完成"), default=False)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    display_order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")
        ordering = ["stage__position", "due_on", "display_order", "id"]
        indexes = [models.Index(fields=["due_on", "done"], name="milestone_due_idx")]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.responsible == self.Responsible.SECTION and not self.section_id:
            errors["section"] = _("责任主体为“指定科室”时请选择科室。")
        if (
            self.stage_id
            and self.due_on
            and not (self.stage.starts_on <= self.due_on <= self.stage.due_on)
        ):
            errors["due_on"] = _("时间节点须在所属阶段的起止日期（%(start)s 至 %(end)s）之内。") % {
                "start": self.stage.starts_on.isoformat(),
                "end": self.stage.due_on.isoformat(),
            }
        if errors:
            raise ValidationError(errors)

    def responsible_label(self):
        if self.responsible == self.Responsible.SECTION and self.section_id:
            return self.section.name
        return self.get_responsible_display()

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return not self.done and self.due_on < today


def attachment_path(instance, filename):
    # A random folder: the stored path is never guessable, and files are only
    # ever sent through permission-checked views anyway.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"campaign/{instance.campaign_id}/{secrets.token_hex(16)}.{suffix}"


class Meeting(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("会议日期"))
    topic = models.CharField(_("会议主题"), max_length=150)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="campaign_meetings",
        verbose_name=_("参会人员"),
    )
    notes = models.TextField(_("会议内容摘要"), blank=True)
    minutes = models.FileField(_("会议纪要"), upload_to=attachment_path, blank=True)
    minutes_name = models.CharField(max_length=200, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("动员会议")
        verbose_name_plural = _("动员会议")
        ordering = ["campaign", "-held_on", "-id"]

    def __str__(self):
        return self.topic


class StudyMaterial(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("学习材料"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    file = models.FileField(_("附件"), upload_to=attachment_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True, editable=False)
    required = models.BooleanField(_("必学"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学习材料")
        verbose_name_plural = _("学习材料")
        ordering = ["campaign", "created_at", "id"]

    def __str__(self):
        return self.title


class StudyConfirmation(models.Model):
    material = models.ForeignKey(
        StudyMaterial, on_delete=models.CASCADE, related_name="confirmations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_confirmations"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("学习确认")
        verbose_name_plural = _("学习确认")
        constraints = [
            models.UniqueConstraint(fields=["material", "person"], name="study_confirmed_once"),
        ]

    def __str__(self):
        return f"{self.person}·{self.material}"


class AuditEntry(models.Model):
    """The campaign's history: who did what, when, to which object."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("动作"), max_length=40)
    summary = models.CharField(_("摘要"), max_length=300)
    detail = models.TextField(_("说明"), blank=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "-at"], name="audit_campaign_at_idx"),
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
        ]

    def __str__(self):
        return self.summary
