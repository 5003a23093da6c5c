"""Importing a legacy unit-wide register (风险点和等级目录汇总表) into a
campaign as approved filings.

The columns are the register's own (``risks/tables/summaries.py``), so last year's
exported register, or a unit's hand-made one with the same headings,
imports as it is. Each row is one risk point:

* a row naming a person (姓名, or 工号 when names repeat) goes into that
  person's personal filing; a row with a section but no person into the
  section's filing; a row with neither (科室 blank or “单位（领导班子）”)
  into the unit filing;
* the grade (风险等级) is matched against the campaign's level labels and
  becomes the final grade; the category against its risk categories;
* measures come from 前期预防 / 中期监控 / 后期处置, one per line (a single
  防控措施 column goes to prevention).

Every filing the file touches ends up approved. A filing that already has
risk points is refused unless the office ticks "replace"; one under review
is always refused. One bad row imports nothing.
"""

import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from accounts.imports import (
    ChoiceWidget,
    ColumnSpec,
    Importer,
    ImportFileError,
    SheetResource,
    SheetSpec,
    TextWidget,
    cell_text,
)
from accounts.models import Post, Section, User
from campaign.audit import record
from campaign.services import lock_open

from .models import Filing, Measure, RiskPoint
from .tables import UNIT_LABEL

NO_SECTION = {"", "单位", "领导班子", "单位领导班子", "单位（领导班子）", "单位(领导班子)"}
LINE_COLUMNS = {line.label: line.value for line in Measure.Line}
SINGLE_MEASURES = "防控措施"
IN_REVIEW = (Filing.Status.SUBMITTED, Filing.Status.IN_REVIEW)
_LINES = re.compile(r"[\r\n]+")


def _register_sheets(campaign):
    categories = tuple(campaign.risk_categories.values_list("name", flat=True)) if campaign else ()
    grades = tuple(campaign.grade_levels.values_list("label", flat=True)) if campaign else ()
    return (
        SheetSpec(
            title=gettext_lazy("风险点和等级目录汇总表"),
            columns=(
                ColumnSpec("序号", help=gettext_lazy("可不填，导入时忽略。"), width=6),
                ColumnSpec(
                    "科室",
                    aliases=("部门", "处室", "科室（部门）"),
                    example="招商一科",
                    help=gettext_lazy(
                        "科室名称或编码；单位（领导班子）的风险点不填或填“单位（领导班子）”。"
                    ),
                ),
                ColumnSpec(
                    "岗位",
                    example="政策兑现经办",
                    help=gettext_lazy("个人风险点的岗位，须是该科室已有的岗位；不填取本人岗位。"),
                ),
                ColumnSpec(
                    "姓名",
                    aliases=("填报人",),
                    example="贺文涛",
                    help=gettext_lazy("个人风险点填本人姓名；科室、单位的风险点不填。"),
                ),
                ColumnSpec(
                    "工号",
                    help=gettext_lazy("选填；单位内有同名人员时用工号区分。"),
                ),
                ColumnSpec(
                    "风险类别",
                    required=True,
                    aliases=("类别",),
                    example=categories[0] if categories else "岗位职责",
                    choices=categories,
                ),
                ColumnSpec(
                    "风险点",
                    required=True,
                    aliases=("风险点名称", "廉政风险点"),
                    example="扶持资金审核把关不严",
                    width=20,
                ),
                ColumnSpec(
                    "风险内容及表现形式",
                    required=True,
                    aliases=("风险内容", "表现形式", "风险描述", "主要表现形式"),
                    example="对申报材料审核不严，为关系企业多报多拨扶持资金。",
                    width=30,
                ),
                ColumnSpec(
                    "风险等级",
                    required=True,
                    aliases=("等级", "评定等级"),
                    example=grades[0] if grades else "高",
                    choices=grades,
                ),
                ColumnSpec(
                    "前期预防",
                    example="严格执行申报材料清单和双人审核",
                    help=gettext_lazy("一行一条措施。"),
                    width=24,
                ),
                ColumnSpec("中期监控", example="资金拨付前在单位内部公示", width=24),
                ColumnSpec("后期处置", example="发现违规拨付的及时追回并追责", width=24),
                ColumnSpec(
                    SINGLE_MEASURES,
                    help=gettext_lazy("没有分三道防线的旧表可只用这一列，导入为前期预防措施。"),
                ),
                ColumnSpec("科室负责人", help=gettext_lazy("导入时忽略，导出时按科室设置填写。")),
                ColumnSpec("分管领导", help=gettext_lazy("导入时忽略，导出时按科室设置填写。")),
            ),
        ),
    )


def split_measures(text) -> list[str]:
    return [line.strip() for line in _LINES.split(cell_text(text)) if line.strip()]


class _LabelWidget(ChoiceWidget):
    """A campaign's own labels (categories, grade levels) to objects."""

    def __init__(self, objects, label):
        super().__init__([(obj, getattr(obj, label)) for obj in objects], required=True)


class RiskPointResource(SheetResource):
    title = fields.Field(attribute="title", column_name="风险点", widget=TextWidget(True, 120))
    content = fields.Field(
        attribute="content", column_name="风险内容及表现形式", widget=TextWidget(True)
    )

    class Meta:
        model = RiskPoint
        fields = ("category", "title", "content", "final_grade")
        import_id_fields = ()
        force_init_instance = True
        skip_html_diff = True
        skip_diff = True
        store_instance = True
        use_transactions = True

    def __init__(self, importer=None, **kwargs):
        self.campaign = importer.campaign
        super().__init__(importer=importer, **kwargs)
        self.fields["category"] = fields.Field(
            attribute="category",
            column_name="风险类别",
            widget=_LabelWidget(self.campaign.risk_categories.all(), "name"),
        )
        self.fields["final_grade"] = fields.Field(
            attribute="final_grade",
            column_name="风险等级",
            widget=_LabelWidget(self.campaign.grade_levels.all(), "label"),
        )
        self.excel_row = importer.sheet.excel_row
        self.replace = bool(importer.options.get("replace"))

    def get_import_order(self):
        return ("category", "title", "content", "final_grade")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        unit_id = self.campaign.unit_id
        sections = list(Section.objects.filter(unit_id=unit_id))
        self.sections = {s.name: s for s in sections} | {s.code: s for s in sections}
        self.posts = defaultdict(dict)
        for post in Post.objects.filter(section__unit_id=unit_id):
            self.posts[post.section_id][post.name] = post
        people = list(User.objects.filter(unit_id=unit_id).select_related("section", "post"))
        self.people_by_no = {p.employee_no: p for p in people if p.employee_no}
        self.people_by_name = defaultdict(list)
        for person in people:
            self.people_by_name[person.full_name].append(person)
        self.filings = {}
        # Locked: someone submitting or saving a filing meanwhile waits for the
        # import, and a form opened before it is refused by the version check.
        filings = Filing.objects.filter(campaign=self.campaign).select_for_update(of=("self",))
        for filing in filings.select_related("owner", "section", "post"):
            self.filings[self._key(filing.kind, filing.owner_id, filing.section_id)] = filing
        self.prepared = {}  # filing key → (first row number, section id, post id)
        self.positions = defaultdict(int)
        self.replaced = 0
        self.touched = {}

    @staticmethod
    def _key(kind, owner_id, section_id):
        if kind == Filing.Kind.PERSONAL:
            return (kind, owner_id)
        if kind == Filing.Kind.SECTION:
            return (kind, section_id)
        return (Filing.Kind.UNIT,)

    # Where a row belongs -------------------------------------------------------

    def _section(self, row, errors):
        text = cell_text(row.get("科室"))
        if text in NO_SECTION or text == str(UNIT_LABEL):
            return None, True
        section = self.sections.get(text)
        if section is None:
            errors["科室"].append(_("本单位没有名称或编码为“%(name)s”的科室") % {"name": text})
            return None, False
        return section, True

    def _person(self, row, section, errors):
        name = cell_text(row.get("姓名"))
        number = cell_text(row.get("工号"))
        if number:
            person = self.people_by_no.get(number)
            if person is None:
                errors["工号"].append(_("本单位没有工号为“%(no)s”的人员") % {"no": number})
            elif name and person.full_name != name:
                errors["姓名"].append(
                    _("工号“%(no)s”是“%(real)s”，与填写的“%(name)s”不一致")
                    % {"no": number, "real": person.full_name, "name": name}
                )
            return person
        if not name:
            return None
        candidates = self.people_by_name.get(name, [])
        if section is not None and len(candidates) > 1:
            in_section = [p for p in candidates if p.section_id == section.pk]
            candidates = in_section or candidates
        if not candidates:
            errors["姓名"].append(
                _("本单位没有名为“%(name)s”的人员，请先导入人员名册") % {"name": name}
            )
            return None
        if len(candidates) > 1:
            errors["姓名"].append(
                _("本单位有 %(n)d 人名为“%(name)s”，请增加「工号」列区分")
                % {"n": len(candidates), "name": name}
            )
            return None
        return candidates[0]

    def _post(self, row, section, person, errors):
        text = cell_text(row.get("岗位"))
        if not text:
            if person is None or person.post_id is None:
                return None
            fits = section is None or person.post.section_id == section.pk
            return person.post if fits else None
        home = section or (person.section if person else None)
        if home is None:
            errors["岗位"].append(_("填写岗位时须同时填写科室"))
            return None
        post = self.posts.get(home.pk, {}).get(text)
        if post is None:
            errors["岗位"].append(
                _("“%(section)s”没有岗位“%(post)s”（已有：%(known)s）")
                % {
                    "section": home.name,
                    "post": text,
                    "known": "、".join(self.posts.get(home.pk, {})) or _("无"),
                }
            )
        return post

    def check_row(self, instance, row, errors, **kwargs):
        number = kwargs.get("row_number")
        section, section_ok = self._section(row, errors)
        person = self._person(row, section, errors)
        if not section_ok or ("姓名" in errors or "工号" in errors):
            return
        if person is not None:
            if section is None and person.section_id:
                section = person.section
            post = self._post(row, section, person, errors)
            kind, column = Filing.Kind.PERSONAL, "姓名"
            label = person.full_name
        else:
            post, column = None, "科室"
            kind = Filing.Kind.SECTION if section is not None else Filing.Kind.UNIT
            label = section.name if section is not None else str(UNIT_LABEL)
        if "岗位" in errors:
            return
        key = self._key(kind, person.pk if person else None, section.pk if section else None)
        claimed = self.prepared.get(key)
        state = (section.pk if section else None, post.pk if post else None)
        if claimed is not None:
            if kind == Filing.Kind.PERSONAL and claimed[1:] != state:
                errors["岗位"].append(
                    _("与第 %(row)d 行填写的科室或岗位不一致（同一人只有一份登记表）")
                    % {"row": self.excel_row(claimed[0])}
                )
                return
        else:
            problem = self._prepare(key, kind, person, section, post, label)
            if problem:
                errors[column].append(problem)
                return
            self.prepared[key] = (number, *state)
        filing = self.filings[key]
        self.positions[key] += 1
        instance.filing = filing
        instance.position = self.positions[key]
        instance._import_measures = self._measures(row)
        self.touched[filing.pk] = filing

    def _prepare(self, key, kind, person, section, post, label):
        """Make the filing ready for the file's points; a message if it cannot be."""
        filing = self.filings.get(key)
        if filing is not None:
            if filing.status in IN_REVIEW:
                return _("“%(who)s”的登记表正在审核中，不能导入") % {"who": label}
            count = filing.risk_points.count()
            if count and not self.replace:
                return _(
                    "“%(who)s”的登记表已有 %(n)d 个风险点；如需用文件中的内容替换，请勾选“替换已有的风险点”"
                ) % {"who": label, "n": count}
            if count:
                filing.risk_points.all().delete()
                self.replaced += count
            filing.version += 1
        else:
            filing = Filing(campaign=self.campaign, kind=kind)
            self.filings[key] = filing
        if kind == Filing.Kind.PERSONAL:
            filing.owner = person
            filing.rank = person.rank
            filing.section = section
            filing.post = post
        elif kind == Filing.Kind.SECTION:
            filing.section = section
        filing.save()
        return None

    def _measures(self, row):
        measures = []
        for label, line in LINE_COLUMNS.items():
            measures += [(line, text) for text in split_measures(row.get(label))]
        # An old register with one 防控措施 column: its measures prevent.
        single = split_measures(row.get(SINGLE_MEASURES))
        measures += [(Measure.Line.PREVENTION, text) for text in single]
        return measures

    # Saving -----------------------------------------------------------------------

    def after_save_instance(self, instance, row, **kwargs):
        positions = defaultdict(int)
        new = []
        for line, text in instance._import_measures:
            positions[line] += 1
            new.append(Measure(risk_point=instance, line=line, text=text, position=positions[line]))
        Measure.objects.bulk_create(new)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        now = timezone.now()
        for filing in self.touched.values():
            filing.status = Filing.Status.APPROVED
            filing.approved_at = filing.approved_at or now
            filing.save(update_fields=["status", "approved_at", "updated_at"])

    def describe(self, row_result, row):
        point = row_result.instance
        filing = point.filing
        if filing.kind == Filing.Kind.PERSONAL:
            where = filing.owner.full_name
            place = "·".join(
                part
                for part in (
                    filing.section.name if filing.section_id else "",
                    filing.post.name if filing.post_id else "",
                )
                if part
            )
            if place:
                where += f"（{place}）"
        elif filing.kind == Filing.Kind.SECTION:
            where = _("%(section)s（科室）") % {"section": filing.section.name}
        else:
            where = str(UNIT_LABEL)
        what = " · ".join((where, point.title, point.final_grade.label))
        lines = defaultdict(int)
        for line, _text in point._import_measures:
            lines[line] += 1
        changes = "、".join(f"{Measure.Line(line).label} {n}" for line, n in lines.items())
        return what, (_("措施：%(lines)s") % {"lines": changes}) if changes else _("无防控措施")


class RegisterImporter(Importer):
    key = "register"
    title = gettext_lazy("风险点和等级目录汇总表")
    resource_class = RiskPointResource

    def get_sheets(self):
        return _register_sheets(self.campaign)

    def check(self):
        try:
            self.campaign.ensure_open()
        except ValidationError as exc:
            raise ImportFileError(exc.messages[0]) from exc

    def lock(self):
        # Closing the campaign waits for the import, or the import sees it closed.
        try:
            self.campaign = lock_open(self.campaign)
        except ValidationError as exc:
            raise ImportFileError(exc.messages[0]) from exc
        if not self.campaign.grade_levels.exists() or not self.campaign.risk_categories.exists():
            raise ImportFileError(
                _("本次活动还没有设置风险等级或风险类别，请先在“等级与类别”中设置。")
            )

    def _collect(self, outcome, result, resource, sheet):
        super()._collect(outcome, result, resource, sheet)
        kinds = defaultdict(int)
        for filing in resource.touched.values():
            kinds[filing.kind] += 1
        if kinds:
            outcome.notes.append(
                _("涉及登记表 %(n)d 份（个人 %(p)d、科室 %(s)d、单位 %(u)d），导入后均为“已审定”。")
                % {
                    "n": sum(kinds.values()),
                    "p": kinds[Filing.Kind.PERSONAL],
                    "s": kinds[Filing.Kind.SECTION],
                    "u": kinds[Filing.Kind.UNIT],
                }
            )
        if resource.replaced:
            outcome.notes.append(
                _("将替换这些登记表中原有的 %(n)d 个风险点。") % {"n": resource.replaced}
            )

    def committed(self, outcome, result):
        record(
            self.campaign,
            self.user,
            "risks.register_imported",
            _("从 Excel 导入风险点和等级目录汇总表：%(n)d 个风险点") % {"n": outcome.new},
        )
