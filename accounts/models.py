from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """The organisation that runs campaigns (a bureau, an office, a factory)."""

    name = models.CharField(_("单位名称"), max_length=120, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    supervision_phone = models.CharField(_("监督电话"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Section(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "internal", _("内设科室")
        SUBORDINATE = "subordinate", _("直属单位")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="sections", verbose_name=_("单位")
    )
    name = models.CharField(_("名称"), max_length=120)
    code = models.CharField(
        _("编码"),
        max_length=12,
        help_text=_("职权编码的前缀，如 BGS；在本单位内唯一。"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.INTERNAL)
    head = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_sections",
        verbose_name=_("科室负责人"),
    )
    supervising_leaders = models.ManyToManyField(
        "User",
        blank=True,
        related_name="supervised_sections",
        verbose_name=_("分管领导"),
    )
    display_order = models.PositiveIntegerField(_("显示顺序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("科室（部门）")
        verbose_name_plural = _("科室（部门）")
        ordering = ["unit", "display_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="section_unique_name_in_unit"),
            models.UniqueConstraint(fields=["unit", "code"], name="section_unique_code_in_unit"),
        ]

    def __str__(self):
        return self.name


class Post(models.Model):
    class KeyType(models.TextChoices):
        NONE = "none", _("一般岗位")
        PERSONNEL = "personnel", _("管人")
        MONEY = "money", _("管财")
        GOODS = "goods", _("管物")
        APPROVAL = "approval", _("管审批")
        ENFORCEMENT = "enforcement", _("管执法")

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="posts", verbose_name=_("科室")
    )
    name = models.CharField(_("岗位名称"), max_length=120)
    duties = models.TextField(_("岗位职责"), blank=True)
    key_type = models.CharField(
        _("重点岗位类型"), max_length=20, choices=KeyType.choices, default=KeyType.NONE
    )
    display_order = models.PositiveIntegerField(_("显示顺序"), default=0)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["section", "display_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "name"], name="post_unique_name_in_section"),
        ]
        indexes = [models.Index(fields=["key_type"], name="post_key_type_idx")]

    def __str__(self):
        return f"{self.section.name}·{self.name}"

    @property
    def is_key(self):
        return self.key_type != self.KeyType.NONE


class PeopleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_unit(self, unit):
        return self.filter(unit=unit)

    def leaders(self):
        return self.filter(rank=User.Rank.LEADER)


class PeopleManager(UserManager.from_queryset(PeopleQuerySet)):
    pass


class User(AbstractUser):
    """A staff member (干部职工). Signs in with ``username``."""

    class Rank(models.TextChoices):
        LEADER = "leader", _("领导班子成员")
        MIDDLE = "middle", _("中层干部")
        GENERAL = "general", _("一般干部")

    full_name = models.CharField(_("姓名"), max_length=60)
    employee_no = models.CharField(_("工号"), max_length=30, unique=True, null=True, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    rank = models.CharField(_("职级"), max_length=10, choices=Rank.choices, default=Rank.GENERAL)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("单位"),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("科室"),
    )
    post = models.ForeignKey(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="holders",
        verbose_name=_("岗位"),
    )
    title = models.CharField(_("职务"), max_length=60, blank=True)

    objects = PeopleManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("干部职工")
        verbose_name_plural = _("干部职工")
        ordering = ["section__display_order", "rank", "employee_no", "id"]
        indexes = [
            models.Index(fields=["unit", "is_active", "rank"], name="user_unit_active_rank_idx"),
            models.Index(fields=["section", "is_active"], name="user_section_active_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(full_name=""), name="user_full_name_not_empty"),
        ]

    def __str__(self):
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # A blank employee number means "none"; store NULL so blanks never clash.
        if not self.employee_no:
            self.employee_no = None
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name or self.username


class Notification(models.Model):
    """One message in a person's in-app inbox; may also go out by e-mail."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("待我审核")
        DECISION = "decision", _("审核结果")
        DEADLINE = "deadline", _("时间节点提醒")
        MEASURE = "measure", _("防控措施到期")
        RISK_REMINDER = "risk_reminder", _("廉政风险提醒")
        WARNING = "warning", _("预警")
        DISPOSAL = "disposal", _("预警处置")
        PUBLICITY = "publicity", _("公示")
        GENERAL = "general", _("其他通知")

    # Kinds that go out by e-mail unless the person turns them off.
    EMAIL_BY_DEFAULT = frozenset(
        {Kind.REVIEW, Kind.DECISION, Kind.DEADLINE, Kind.WARNING, Kind.DISPOSAL}
    )

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("人员"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Notification.Kind.choices)
    by_email = models.BooleanField(_("同时发送邮件"), default=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_unique_kind"),
        ]

    def __str__(self):
        return f"{self.user}·{self.get_kind_display()}"
