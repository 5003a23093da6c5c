"""The roster's columns: the sheet people fill in and the widgets reading it.

:data:`ROSTER_SHEET` is both what :class:`~accounts.imports.roster.RosterImporter`
reads and what its template offers; the widgets turn a row's cells into a
person's section, post, login and e-mail for
:class:`~accounts.imports.roster.RosterResource`.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets

from ..models import Post, User
from .sheets import ColumnSpec, SheetSpec
from .widgets import ChoiceWidget, TextWidget

KEY_TYPE_LABELS = {
    Post.KeyType.PERSONNEL: "管人",
    Post.KeyType.MONEY: "管财",
    Post.KeyType.GOODS: "管物",
    Post.KeyType.APPROVAL: "管审批",
    Post.KeyType.ENFORCEMENT: "管执法",
    Post.KeyType.NONE: "一般",
}
KEY_TYPE_WIDGET = ChoiceWidget(
    list(KEY_TYPE_LABELS.items()), aliases={"一般岗位": Post.KeyType.NONE}
)
RANK_LABELS = tuple(str(label) for label in User.Rank.labels)

ROSTER_SHEET = SheetSpec(
    title=gettext_lazy("人员名册"),
    columns=(
        ColumnSpec(
            "工号",
            required=True,
            example="JC101",
            help=gettext_lazy("每人唯一；再次导入时按工号更新。"),
        ),
        ColumnSpec("姓名", required=True, example="骆嘉禾"),
        ColumnSpec(
            "科室",
            aliases=("部门", "处室", "科室名称"),
            example="办公室",
            help=gettext_lazy("科室名称；领导班子成员可不填。"),
        ),
        ColumnSpec(
            "科室编码",
            example="BGS",
            help=gettext_lazy(
                "本单位内唯一，如 BGS；名册中出现新的编码时按“科室”一列的名称新建科室。"
            ),
        ),
        ColumnSpec(
            "岗位", example="办公室主任", help=gettext_lazy("科室内的岗位名称，没有的会新建。")
        ),
        ColumnSpec(
            "重点岗位类型",
            example="管人",
            choices=tuple(KEY_TYPE_LABELS.values()),
            help=gettext_lazy("不填则新岗位为一般岗位、已有岗位保持不变。"),
        ),
        ColumnSpec("职级", required=True, example="中层干部", choices=RANK_LABELS),
        ColumnSpec(
            "职务",
            example="办公室主任",
            help=gettext_lazy("如科长、副主任、科员。职务、电话、邮箱不填时保持原有内容。"),
        ),
        ColumnSpec("电话", example="0571-88001101"),
        ColumnSpec(
            "邮箱",
            aliases=("电子邮箱", "Email", "E-mail"),
            example="luojiahe@example.gov.cn",
            width=26,
        ),
        ColumnSpec(
            "用户名",
            aliases=("登录名", "账号"),
            example="",
            help=gettext_lazy("登录用的用户名；不填时新人员为工号的小写形式，已有人员保持不变。"),
        ),
        ColumnSpec(
            "在职",
            example="是",
            choices=("是", "否"),
            help=gettext_lazy("不填为“是”；填“否”的人员不能再登录。"),
        ),
    ),
)


class _SectionWidget(widgets.Widget):
    def __init__(self, resource):
        self.resource = resource
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        return self.resource.section_of(row)


class _PostWidget(widgets.Widget):
    def __init__(self, resource):
        self.resource = resource
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        return self.resource.post_of(row)


class _UsernameWidget(TextWidget):
    def __init__(self):
        super().__init__(max_length=150)

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text and not re.fullmatch(r"[\w.@+-]+", text):
            raise ValueError(_("只能包含字母、数字和 @ . + - _"))
        return text or None


class _EmailWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text:
            try:
                validate_email(text)
            except ValidationError as exc:
                raise ValueError(_("“%(value)s”不是有效的邮箱地址") % {"value": text}) from exc
        return text
