"""The default power categories (职权类别) a campaign starts with.

The codes are stable: the common risk library refers to them.
"""

from django.utils.translation import gettext_lazy as _

from .models import PowerCategory

A = PowerCategory.Group.ADMINISTRATIVE
I = PowerCategory.Group.INTERNAL  # noqa: E741

CATEGORIES = [
    ("licensing", _("行政许可"), A),
    ("penalty", _("行政处罚"), A),
    ("collection", _("行政征收"), A),
    ("enforcement", _("行政强制"), A),
    ("payment", _("行政给付"), A),
    ("inspection", _("行政检查"), A),
    ("confirmation", _("行政确认"), A),
    ("reward", _("行政奖励"), A),
    ("ruling", _("行政裁决"), A),
    ("other_admin", _("其他行政权力"), A),
    ("internal_personnel", _("人事管理"), I),
    ("internal_finance", _("财务管理"), I),
    ("internal_assets", _("资产管理与采购"), I),
    ("internal_projects", _("项目管理"), I),
    ("internal_major_decisions", _("“三重一大”决策"), I),
]
