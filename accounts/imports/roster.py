"""The roster import (人员名册): sections, posts and people of the office's unit.

The roster creates or updates sections, posts and people of the office's
unit. People are matched by employee number (工号), so importing the same
file again updates them. **New people get an unusable password**: the result
lists them so the office can hand out accounts (the system administrator
sets initial passwords in the admin, or a password-reset invitation does).
Generating and showing passwords was rejected: hashing one costs about a
third of a second, so a 3,000-person roster would take over a quarter of an
hour, and the passwords would sit in a web page.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields
from import_export.instance_loaders import BaseInstanceLoader

from ..models import Post, Section, User
from .base import Importer, SheetResource
from .roster_columns import (
    KEY_TYPE_LABELS,
    KEY_TYPE_WIDGET,
    ROSTER_SHEET,
    _EmailWidget,
    _PostWidget,
    _SectionWidget,
    _UsernameWidget,
)
from .sheets import ImportFileError, cell_text
from .widgets import ChoiceWidget, TextWidget, yes_no_widget


class _RosterLoader(BaseInstanceLoader):
    """People of the file found by employee number in one query, in any unit
    (an employee number is unique across the installation)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        numbers = {cell_text(row.get("工号")) for row in dataset.dict} - {""}
        self.people = {
            person.employee_no: person
            for person in User.objects.filter(employee_no__in=numbers).select_related(
                "section", "post"
            )
        }

    def get_instance(self, row):
        return self.people.get(cell_text(row.get("工号")))


class RosterResource(SheetResource):
    employee_no = fields.Field(
        attribute="employee_no", column_name="工号", widget=TextWidget(True, 30)
    )
    full_name = fields.Field(attribute="full_name", column_name="姓名", widget=TextWidget(True, 60))
    rank = fields.Field(
        attribute="rank", column_name="职级", widget=ChoiceWidget(User.Rank.choices, required=True)
    )
    # A blank 职务, 电话 or 邮箱 keeps what the person has: rosters from
    # personnel files often lack contact details the office already holds.
    title = fields.Field(
        attribute="title",
        column_name="职务",
        widget=TextWidget(max_length=60, blank_is_none=True),
        saves_null_values=False,
    )
    phone = fields.Field(
        attribute="phone",
        column_name="电话",
        widget=TextWidget(max_length=30, blank_is_none=True),
        saves_null_values=False,
    )
    email = fields.Field(
        attribute="email",
        column_name="邮箱",
        widget=_EmailWidget(max_length=254, blank_is_none=True),
        saves_null_values=False,
    )
    # A blank 用户名 keeps a person's login; a new person gets the employee number.
    username = fields.Field(
        attribute="username",
        column_name="用户名",
        widget=_UsernameWidget(),
        saves_null_values=False,
    )
    is_active = fields.Field(attribute="is_active", column_name="在职", widget=yes_no_widget())

    class Meta:
        model = User
        fields = (
            "employee_no",
            "full_name",
            "section",
            "post",
            "rank",
            "title",
            "phone",
            "email",
            "username",
            "is_active",
        )
        import_id_fields = ("employee_no",)
        instance_loader_class = _RosterLoader
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        store_instance = True
        use_transactions = True

    def __init__(self, importer=None, **kwargs):
        super().__init__(importer=importer, **kwargs)
        # The section and post of a row span two columns each; they are
        # fields of their own so import-export compares them for "unchanged".
        self.fields["section"] = fields.Field(
            attribute="section", column_name="科室编码", widget=_SectionWidget(self)
        )
        self.fields["post"] = fields.Field(
            attribute="post", column_name="岗位", widget=_PostWidget(self)
        )
        self.unit = importer.unit
        self.new_sections, self.renamed_sections, self.new_posts = [], [], []
        self.retyped_posts = []
        self.new_people = []

    def get_import_order(self):
        return (
            "employee_no",
            "full_name",
            "section",
            "post",
            "rank",
            "title",
            "phone",
            "email",
            "username",
            "is_active",
        )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A column that is missing leaves its field alone, but the section
        # spans two columns: a file with only 科室 still sets it by name.
        if field.attribute == "section" and ("科室" in row or "科室编码" in row):
            instance.section = self.section_of(row)
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    # Set-up -----------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.sections_by_code = {s.code: s for s in Section.objects.filter(unit=self.unit)}
        self.sections_by_name = {s.name: s for s in self.sections_by_code.values()}
        self.posts = {
            (p.section_id, p.name): p for p in Post.objects.filter(section__unit=self.unit)
        }
        self.section_claims = {}  # code → (name, row number) as the file states it
        self.post_claims = {}  # (section code, post) → (key type, row number)
        rows = dataset.dict
        self.first_row_of = {}
        self.duplicate_of = {}
        names = set()
        for number, row in enumerate(rows, start=1):
            employee_no = cell_text(row.get("工号"))
            if employee_no:
                if employee_no in self.first_row_of:
                    self.duplicate_of[number] = self.first_row_of[employee_no]
                else:
                    self.first_row_of[employee_no] = number
            names.add(cell_text(row.get("用户名")))
            names.add(employee_no.lower())
        self.usernames = dict(
            User.objects.filter(username__in=names - {""}).values_list("username", "pk")
        )
        self.usernames_in_file = {}
        self.excel_row = self.importer.sheet.excel_row

    def before_import_row(self, row, **kwargs):
        self.row_number = kwargs.get("row_number")
        self._section_cache = None

    # Sections and posts -------------------------------------------------------

    def section_of(self, row):
        """The row's section from 科室编码 and 科室, created or renamed as the
        file says; None for people outside any section."""
        if self._section_cache is not None:
            return self._section_cache[0]
        self._section_cache = (None,)
        code = cell_text(row.get("科室编码"))
        name = cell_text(row.get("科室"))
        if not code and not name:
            return None
        if code and len(code) > 12:
            raise ValidationError({"科室编码": _("编码过长，最多 12 个字符")})
        if name and len(name) > 120:
            raise ValidationError({"科室": _("名称过长，最多 120 字")})
        if code:
            claim = self.section_claims.get(code)
            if name and claim and claim[0] != name:
                raise ValidationError(
                    {
                        "科室": _("与第 %(row)d 行不一致：编码“%(code)s”在该行是“%(name)s”")
                        % {"row": self.excel_row(claim[1]), "code": code, "name": claim[0]}
                    }
                )
            section = self.sections_by_code.get(code)
            if section is None:
                if not name:
                    raise ValidationError(
                        {
                            "科室编码": _(
                                "本单位没有编码为“%(code)s”的科室；新建科室时请同时填写「科室」"
                            )
                            % {"code": code}
                        }
                    )
                other = self.sections_by_name.get(name)
                if other is not None:
                    raise ValidationError(
                        {
                            "科室编码": _(
                                "科室“%(name)s”的编码是“%(code)s”，与填写的“%(given)s”不一致"
                            )
                            % {"name": name, "code": other.code, "given": code}
                        }
                    )
                section = Section.objects.create(
                    unit=self.unit,
                    code=code,
                    name=name,
                    display_order=(
                        max((s.display_order for s in self.sections_by_code.values()), default=0)
                        + 10
                    ),
                )
                self.sections_by_code[code] = self.sections_by_name[name] = section
                self.new_sections.append(section)
            elif name and section.name != name:
                other = self.sections_by_name.get(name)
                if other is not None and other.pk != section.pk:
                    raise ValidationError(
                        {
                            "科室": _(
                                "科室“%(name)s”已存在，编码为“%(code)s”，与填写的“%(given)s”不一致"
                            )
                            % {"name": name, "code": other.code, "given": code}
                        }
                    )
                old = section.name
                self.sections_by_name.pop(old, None)
                section.name = name
                section.save(update_fields=["name"])
                self.sections_by_name[name] = section
                self.renamed_sections.append((old, name))
            if name and code not in self.section_claims:
                self.section_claims[code] = (name, self.row_number)
        else:
            section = self.sections_by_name.get(name)
            if section is None:
                raise ValidationError(
                    {"科室编码": _("新科室“%(name)s”须填写科室编码") % {"name": name}}
                )
        self._section_cache = (section,)
        return section

    def post_of(self, row):
        name = cell_text(row.get("岗位"))
        key_label = cell_text(row.get("重点岗位类型"))
        key_type = None
        if key_label:
            try:
                key_type = KEY_TYPE_WIDGET.clean(key_label)
            except ValueError as exc:
                raise ValidationError({"重点岗位类型": str(exc)}) from exc
        if not name:
            return None
        if len(name) > 120:
            raise ValueError(_("名称过长，最多 120 字"))
        try:
            section = self.section_of(row)
        except ValidationError:
            return None  # reported under the section's columns
        if section is None:
            raise ValueError(_("填写岗位时须同时填写科室"))
        if key_type is not None:
            claim = self.post_claims.get((section.code, name))
            if claim and claim[0] != key_type:
                raise ValidationError(
                    {
                        "重点岗位类型": _("与第 %(row)d 行不一致：该行填写的是“%(label)s”")
                        % {"row": self.excel_row(claim[1]), "label": KEY_TYPE_LABELS[claim[0]]}
                    }
                )
            self.post_claims.setdefault((section.code, name), (key_type, self.row_number))
        post = self.posts.get((section.pk, name))
        if post is None:
            post = Post.objects.create(
                section=section, name=name, key_type=key_type or Post.KeyType.NONE
            )
            self.posts[(section.pk, name)] = post
            self.new_posts.append(post)
        elif key_type is not None and post.key_type != key_type:
            self.retyped_posts.append(
                (post, KEY_TYPE_LABELS[post.key_type], KEY_TYPE_LABELS[key_type])
            )
            post.key_type = key_type
            post.save(update_fields=["key_type"])
        return post

    # People -----------------------------------------------------------------------

    def check_row(self, instance, row, errors, **kwargs):
        number = kwargs.get("row_number")
        employee_no = cell_text(row.get("工号"))
        if number in self.duplicate_of:
            errors["工号"].append(
                _("与第 %(row)d 行的工号“%(no)s”重复")
                % {"row": self.excel_row(self.duplicate_of[number]), "no": employee_no}
            )
        if instance.pk and instance.unit_id != self.unit.pk:
            errors["工号"].append(_("工号“%(no)s”已被其他单位的人员使用") % {"no": employee_no})
        if not instance.username and employee_no:
            instance.username = employee_no.lower()
        username = instance.username
        if username and number not in self.duplicate_of:
            owner = self.usernames.get(username)
            column = "用户名" if cell_text(row.get("用户名")) else "工号"
            if owner is not None and owner != instance.pk:
                errors[column].append(_("用户名“%(name)s”已被其他人员使用") % {"name": username})
            earlier = self.usernames_in_file.get(username)
            if earlier is not None and earlier != number:
                errors[column].append(
                    _("用户名“%(name)s”与第 %(row)d 行重复")
                    % {"name": username, "row": self.excel_row(earlier)}
                )
            self.usernames_in_file.setdefault(username, number)
        if instance.post_id is not None and instance.post.section_id != instance.section_id:
            # Moved to another section without a post there.
            instance.post = None
        instance.unit = self.unit

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.set_unusable_password()
            self.new_people.append(instance)

    def describe(self, row_result, row):
        person = row_result.instance
        what = " · ".join(
            part
            for part in (
                person.employee_no,
                person.full_name,
                person.section.name if person.section_id else "",
                person.post.name if person.post_id else "",
                person.get_rank_display(),
            )
            if part
        )
        changes = []
        original = row_result.original
        if row_result.is_update() and original is not None:
            for name, label in (
                ("full_name", _("姓名")),
                ("rank", _("职级")),
                ("title", _("职务")),
                ("phone", _("电话")),
                ("email", _("邮箱")),
                ("username", _("用户名")),
            ):
                before, after = getattr(original, name), getattr(person, name)
                if before != after:
                    if name == "rank":
                        before, after = original.get_rank_display(), person.get_rank_display()
                    changes.append(f"{label}：{before or '—'} → {after or '—'}")
            if original.section_id != person.section_id:
                changes.append(
                    _("科室：%(a)s → %(b)s")
                    % {
                        "a": original.section.name if original.section_id else "—",
                        "b": person.section.name if person.section_id else "—",
                    }
                )
            if original.post_id != person.post_id:
                changes.append(
                    _("岗位：%(a)s → %(b)s")
                    % {
                        "a": original.post.name if original.post_id else "—",
                        "b": person.post.name if person.post_id else "—",
                    }
                )
            if original.is_active != person.is_active:
                changes.append(
                    _("在职：%(a)s → %(b)s")
                    % {
                        "a": _("是") if original.is_active else _("否"),
                        "b": _("是") if person.is_active else _("否"),
                    }
                )
        return what, "；".join(changes)


class RosterImporter(Importer):
    key = "roster"
    title = gettext_lazy("人员名册")
    sheets = (ROSTER_SHEET,)
    resource_class = RosterResource

    def check(self):
        if self.unit is None:
            raise ImportFileError(_("您不属于任何单位，不能导入人员名册。"))

    def _collect(self, outcome, result, resource, sheet):
        super()._collect(outcome, result, resource, sheet)
        if resource.new_sections:
            outcome.notes.append(
                _("新建科室：%(names)s")
                % {"names": "、".join(f"{s.name}（{s.code}）" for s in resource.new_sections)}
            )
        for old, new in resource.renamed_sections:
            outcome.notes.append(_("科室更名：%(old)s → %(new)s") % {"old": old, "new": new})
        if resource.new_posts:
            outcome.notes.append(
                _("新建岗位：%(names)s")
                % {"names": "、".join(f"{p.section.name}·{p.name}" for p in resource.new_posts)}
            )
        for post, before, after in resource.retyped_posts:
            outcome.notes.append(
                _("岗位类型变更：%(post)s %(a)s → %(b)s")
                % {"post": f"{post.section.name}·{post.name}", "a": before, "b": after}
            )
        outcome.extra["new_people"] = [
            {
                "employee_no": person.employee_no,
                "full_name": person.full_name,
                "username": person.username,
                "email": person.email,
                "section": person.section.name if person.section_id else "",
            }
            for person in resource.new_people
        ]
