"""Models of the approval-chain engine: chain templates and reviews.

One mechanism serves every reviewed thing (a section's power catalogue, a
personal, section or unit filing). A chain template lists the roles that
review, in order; when a thing is submitted a :class:`Review` opens its
steps one by one, resolving each role to concrete people at the moment the
step opens. ``campaign/approvals.py`` holds the services that move it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Section

from .plan import Campaign


class Subject(models.TextChoices):
    CATALOGUE = "catalogue", _("职权目录")
    PERSONAL = "personal", _("个人登记表")
    SECTION = "section", _("科室登记表")
    UNIT = "unit", _("单位（领导班子）登记表")


class FilerRank(models.TextChoices):
    ANY = "any", _("不限")
    LEADER = "leader", _("领导班子成员")
    MIDDLE = "middle", _("中层干部")
    GENERAL = "general", _("一般干部")


class StepRole(models.TextChoices):
    SECTION_HEAD = "section_head", _("科室负责人")
    SUPERVISING_LEADER = "supervising_leader", _("分管领导")
    OFFICE = "office", _("领导小组办公室")
    LEADING_GROUP = "leading_group", _("领导小组")
    PARTY_COMMITTEE = "party_committee", _("党委（党组）")


# Steps whose decision fixes the final result (e.g. the final risk grade).
FINAL_ROLES = frozenset({StepRole.LEADING_GROUP, StepRole.PARTY_COMMITTEE})


class ChainTemplate(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="chains")
    subject = models.CharField(_("审核对象"), max_length=20, choices=Subject.choices)
    filer_rank = models.CharField(
        _("填报人职级"), max_length=10, choices=FilerRank.choices, default=FilerRank.ANY
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("审核流程")
        verbose_name_plural = _("审核流程")
        ordering = ["campaign", "subject", "filer_rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subject", "filer_rank"], name="chain_unique_subject_rank"
            ),
        ]

    def __str__(self):
        if self.filer_rank == FilerRank.ANY:
            return str(self.get_subject_display())
        return f"{self.get_subject_display()}（{self.get_filer_rank_display()}）"

    def describe(self):
        steps = [str(step.get_role_display()) for step in self.steps.all()]
        return " → ".join([str(_("本人提交")), *steps])


class ChainStep(models.Model):
    template = models.ForeignKey(ChainTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("顺序"))
    role = models.CharField(_("审核角色"), max_length=20, choices=StepRole.choices)

    class Meta:
        verbose_name = _("审核步骤")
        verbose_name_plural = _("审核步骤")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="chain_step_unique_position"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.get_role_display()}"


class Review(models.Model):
    """One thing's path through its chain, across every submission round."""

    class Status(models.TextChoices):
        IN_REVIEW = "in_review", _("审核中")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已通过")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reviews")
    subject_kind = models.CharField(_("审核对象"), max_length=20, choices=Subject.choices)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    template = models.ForeignKey(ChainTemplate, on_delete=models.PROTECT, related_name="reviews")
    filer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提交人"),
    )
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices)
    round = models.PositiveSmallIntegerField(_("提交轮次"), default=0)
    current_position = models.PositiveSmallIntegerField(_("当前步骤"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审核")
        verbose_name_plural = _("审核")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"], name="review_one_per_subject"
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "subject_kind", "status"], name="review_campaign_idx")
        ]

    def __str__(self):
        return f"{self.get_subject_kind_display()}#{self.subject_id}"


class ReviewStep(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("未到达")
        OPEN = "open", _("待审核")
        APPROVED = "approved", _("同意")
        RETURNED = "returned", _("退回")
        SKIPPED = "skipped", _("跳过")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField(_("提交轮次"))
    position = models.PositiveSmallIntegerField(_("顺序"))
    role = models.CharField(_("审核角色"), max_length=20, choices=StepRole.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="review_assignments",
        verbose_name=_("审核人"),
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("受托人"),
    )
    opened_at = models.DateTimeField(_("到达时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    opinion = models.TextField(_("审核意见"), blank=True)
    meeting_date = models.DateField(_("党委（党组）会议日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("审核步骤记录")
        verbose_name_plural = _("审核步骤记录")
        ordering = ["review", "round", "position"]
        permissions = [("act_on_reviewstep", _("处理此审核步骤"))]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "round", "position"], name="review_step_unique_position"
            ),
        ]
        indexes = [models.Index(fields=["status", "opened_at"], name="review_step_open_idx")]

    def __str__(self):
        return f"{self.get_role_display()}（第{self.round}轮）"

    @property
    def is_final(self):
        return self.role in FINAL_ROLES
