"""What signals, scores and warnings share: the four warning levels (with
their rank and colours) and whom a signal or a warning concerns (the
abstract :class:`Targeted`).

Kept apart so that every other models module, the forms and the templates
read the levels from one place without pulling in any concrete model.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
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
