"""The power catalogue (职权目录) and power flowcharts (权力运行流程图).

Each section compiles one catalogue per campaign; it goes through the
approval-chain engine (subject ``catalogue``). An approved catalogue is
locked: a change opens a new revision, and each approval keeps a snapshot so
the history can show what changed between revisions.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Post, Section
from campaign.models import Campaign


class PowerCategory(models.Model):
    class Group(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("行政权力")
        INTERNAL = "internal", _("内部管理")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="power_categories"
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=40)
    group = models.CharField(_("大类"), max_length=20, choices=Group.choices)
    display_order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("职权类别")
        verbose_name_plural = _("职权类别")
        ordering = ["campaign", "display_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="power_category_unique_code"),
            models.UniqueConstraint(fields=["campaign", "name"], name="power_category_unique_name"),
        ]

    def __str__(self):
        return self.name


class Catalogue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("编制中")
        IN_REVIEW = "in_review", _("审核中")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已审定")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="catalogues")
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="catalogues", verbose_name=_("科室")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    revision = models.PositiveSmallIntegerField(_("版本"), default=1)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("科室职权目录")
        verbose_name_plural = _("科室职权目录")
        ordering = ["campaign", "section__display_order", "section_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "section"], name="catalogue_one_per_section"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="catalogue_status_idx")]

    # What review_title() reads, for campaign.approvals.with_subjects.
    review_title_related = ("section",)

    def __str__(self):
        return _("%(section)s职权目录") % {"section": self.section.name}

    def get_absolute_url(self):
        return reverse("powers:catalogue", args=[self.campaign_id, self.section_id])

    def review_title(self):
        return _("%(section)s职权目录（第%(revision)d版）") % {
            "section": self.section.name,
            "revision": self.revision,
        }

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    # Hooks of the approval-chain engine (campaign.approvals), called inside
    # its transaction.

    def on_review_submitted(self, review):
        from . import services

        services.on_submitted(self, review)

    def on_review_returned(self, review, step):
        from . import services

        services.on_returned(self, review, step)

    def on_review_approved(self, review):
        from . import services

        services.on_approved(self, review)


class CatalogueRevision(models.Model):
    """What an approved catalogue held, kept to compare revisions."""

    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("版本"))
    approved_at = models.DateTimeField(_("审定时间"))
    snapshot = models.JSONField(_("内容"), default=list)

    class Meta:
        verbose_name = _("职权目录版本")
        verbose_name_plural = _("职权目录版本")
        ordering = ["catalogue", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "number"], name="catalogue_revision_unique"
            ),
        ]

    def __str__(self):
        return f"{self.catalogue} v{self.number}"


class Power(models.Model):
    class Publicity(models.TextChoices):
        PUBLIC = "public", _("向社会公开")
        INTERNAL = "internal", _("单位内部公开")
        UNPUBLISHED = "unpublished", _("不公开")

    class Direction(models.TextChoices):
        EXTERNAL = "external", _("外部权力（对外行使）")
        INTERNAL = "internal", _("内部权力（内部管理）")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="powers")
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="powers")
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="powers", verbose_name=_("科室")
    )
    code = models.CharField(_("编码"), max_length=30)
    sequence = models.PositiveIntegerField(_("序号"), default=0)
    name = models.CharField(_("职权名称"), max_length=150)
    category = models.ForeignKey(
        PowerCategory, on_delete=models.PROTECT, related_name="powers", verbose_name=_("职权类别")
    )
    content = models.TextField(_("职权内容"))
    legal_basis = models.TextField(_("行使依据"), blank=True)
    posts = models.ManyToManyField(
        Post, blank=True, related_name="powers", verbose_name=_("行使岗位")
    )
    procedure = models.TextField(_("办理程序"), blank=True)
    time_limit = models.CharField(_("办理时限"), max_length=100, blank=True)
    responsibility = models.TextField(_("责任事项"), blank=True)
    supervision_channel = models.CharField(_("监督渠道"), max_length=200, blank=True)
    publicity = models.CharField(
        _("公开范围"), max_length=12, choices=Publicity.choices, default=Publicity.INTERNAL
    )
    unpublished_reason = models.CharField(_("不公开理由"), max_length=200, blank=True)
    direction = models.CharField(
        _("权力性质"), max_length=10, choices=Direction.choices, default=Direction.INTERNAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("职权事项")
        verbose_name_plural = _("职权事项")
        ordering = ["campaign", "section__display_order", "sequence", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "code"], name="power_unique_code_in_campaign"
            ),
            models.CheckConstraint(
                condition=~Q(publicity="unpublished") | ~Q(unpublished_reason=""),
                name="power_unpublished_needs_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "section"], name="power_campaign_section_idx"),
            models.Index(fields=["campaign", "category"], name="power_campaign_category_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("powers:power", args=[self.campaign_id, self.pk])


class PowerStep(models.Model):
    """One box of the power's flowchart, in order."""

    power = models.ForeignKey(Power, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("环节"), max_length=80)
    post = models.ForeignKey(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任岗位"),
    )
    responsible = models.CharField(
        _("责任主体"),
        max_length=60,
        blank=True,
        help_text=_("不是某一岗位承办时填写，如“分管领导”“主任办公会”“党组会议”。"),
    )
    time_limit = models.CharField(_("时限"), max_length=60, blank=True)
    checks = models.TextField(_("审查要点"), blank=True)
    is_risk = models.BooleanField(_("风险环节"), default=False)

    class Meta:
        verbose_name = _("流程环节")
        verbose_name_plural = _("流程环节")
        ordering = ["power", "position", "id"]
        indexes = [models.Index(fields=["power", "position"], name="power_step_order_idx")]

    def __str__(self):
        return f"{self.position}. {self.name}"

    def actor_label(self, section_id=None):
        """Who carries the step out, as the flowchart shows it."""
        if self.post_id is None:
            return self.responsible
        post = self.post
        label = post.name if post.section_id == section_id else f"{post.section.name}·{post.name}"
        return f"{label}（{self.responsible}）" if self.responsible else label
