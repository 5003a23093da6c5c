"""Importing a power catalogue (职权目录) from Excel into a campaign.

One row per power, in the columns of the exported catalogue (so an export
can be corrected and imported back). Powers are matched by code (编码)
within the campaign: a known code updates that power, a new one creates it,
a blank one gets the section's next code. An optional second sheet
"流程环节" lists flowchart steps by power code, in order; a power that
appears there gets exactly those steps.

Powers go into their section's catalogue, which must be editable (being
compiled or returned): an approved catalogue is opened for revision first,
as the catalogue pages require. Everything is checked before anything is
saved, and one bad row imports nothing.
"""

import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields
from import_export.instance_loaders import BaseInstanceLoader

from accounts.imports import (
    ChoiceWidget,
    ColumnSpec,
    Importer,
    ImportFileError,
    SheetResource,
    SheetSpec,
    StopImport,
    TextWidget,
    cell_text,
    row_message,
    yes_no_widget,
)
from accounts.models import Post, Section
from campaign.audit import record

from . import services
from .models import Catalogue, Power, PowerStep
from .tables import DIRECTION_SHORT

STEPS_SHEET = "流程环节"
_SPLIT_POSTS = re.compile(r"[、,，;；/\n]+")
_UNPUBLISHED = re.compile(r"^不公开[（(](?P<reason>.+)[）)]$")

PUBLICITY_LABELS = tuple(str(label) for label in Power.Publicity.labels)
DIRECTION_LABELS = tuple(str(label) for label in DIRECTION_SHORT.values())


def _catalogue_sheets(campaign):
    categories = tuple(campaign.power_categories.values_list("name", flat=True)) if campaign else ()
    return (
        SheetSpec(
            title=gettext_lazy("职权目录"),
            columns=(
                ColumnSpec("序号", help=gettext_lazy("可不填，导入时忽略。"), width=6),
                ColumnSpec(
                    "科室",
                    required=True,
                    aliases=("部门", "处室", "科室（部门）"),
                    example="招商一科",
                    help=gettext_lazy("科室名称或编码。"),
                ),
                ColumnSpec(
                    "编码",
                    aliases=("职权编码",),
                    example="ZS1-001",
                    help=gettext_lazy("已有编码的更新该职权；不填时按科室编码自动编号。"),
                ),
                ColumnSpec(
                    "职权名称",
                    required=True,
                    aliases=("名称", "职权事项"),
                    example="招商引资扶持资金初审",
                    width=20,
                ),
                ColumnSpec(
                    "职权类别",
                    required=True,
                    aliases=("类别",),
                    example=categories[0] if categories else "行政给付",
                    choices=categories,
                ),
                ColumnSpec(
                    "权力性质",
                    example=DIRECTION_LABELS[0],
                    choices=DIRECTION_LABELS,
                    help=gettext_lazy("外部权力为对外行使的权力；不填为内部权力。"),
                ),
                ColumnSpec(
                    "职权内容",
                    required=True,
                    aliases=("内容",),
                    example="受理企业扶持资金申请，审核申报材料",
                    width=30,
                ),
                ColumnSpec(
                    "行使依据",
                    aliases=("依据", "法律依据", "设定依据"),
                    example="《江川区招商引资扶持办法》第八条",
                    width=28,
                ),
                ColumnSpec(
                    "行使岗位",
                    aliases=("岗位", "行使主体"),
                    example="政策兑现经办、科长",
                    help=gettext_lazy("本科室的岗位名称，多个用顿号分隔。"),
                ),
                ColumnSpec("办理时限", aliases=("时限",), example="10个工作日"),
                ColumnSpec("监督渠道", aliases=("监督方式",), example="监督电话 0571-88001234"),
                ColumnSpec(
                    "公开范围",
                    aliases=("公开形式",),
                    example=PUBLICITY_LABELS[0],
                    choices=PUBLICITY_LABELS,
                    help=gettext_lazy("不填为单位内部公开；“不公开”须写明理由。"),
                ),
                ColumnSpec(
                    "不公开理由", help=gettext_lazy("也可以在公开范围中写“不公开（理由）”。")
                ),
                ColumnSpec("办理程序", aliases=("程序",)),
                ColumnSpec(
                    "责任事项",
                ),
            ),
        ),
        SheetSpec(
            title=gettext_lazy("流程环节"),
            sheet=STEPS_SHEET,
            optional=True,
            columns=(
                ColumnSpec("职权编码", required=True, aliases=("编码",), example="ZS1-001"),
                ColumnSpec("环节", required=True, aliases=("环节名称",), example="受理"),
                ColumnSpec(
                    "责任岗位",
                    example="政策兑现经办",
                    help=gettext_lazy("该职权所属科室的岗位名称。"),
                ),
                ColumnSpec(
                    "责任主体",
                    example="",
                    help=gettext_lazy("不是某一岗位承办时填写，如“分管领导”“主任办公会”。"),
                ),
                ColumnSpec("时限", example="1个工作日"),
                ColumnSpec("审查要点", example="申报材料是否齐全"),
                ColumnSpec("风险环节", example="否", choices=("是", "否")),
            ),
        ),
    )


class _CodeLoader(BaseInstanceLoader):
    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        codes = {cell_text(row.get("编码")) for row in dataset.dict} - {""}
        self.powers = {
            power.code: power
            for power in Power.objects.filter(campaign=resource.campaign, code__in=codes)
            .select_related("section", "category", "catalogue")
            .prefetch_related("posts")
        }

    def get_instance(self, row):
        return self.powers.get(cell_text(row.get("编码")))


class _CategoryWidget(ChoiceWidget):
    def __init__(self, campaign):
        self.by_name = {c.name: c for c in campaign.power_categories.all()}
        self.by_code = {c.code: c for c in self.by_name.values()}
        super().__init__([(c, c.name) for c in self.by_name.values()], required=True)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if text in self.by_code:
            return self.by_code[text]
        return super().clean(value, row, **kwargs)


def _publicity_widget():
    return ChoiceWidget(
        Power.Publicity.choices,
        default=Power.Publicity.INTERNAL,
        aliases={"社会公开": Power.Publicity.PUBLIC, "内部公开": Power.Publicity.INTERNAL},
    )


class _PublicityField(fields.Field):
    """ "不公开（理由）" as the export prints it is a value and a reason."""

    def clean(self, row, **kwargs):
        match = _UNPUBLISHED.match(cell_text(row.get(self.column_name)))
        if match:
            return Power.Publicity.UNPUBLISHED
        return super().clean(row, **kwargs)


class PowerResource(SheetResource):
    section = fields.Field(
        attribute="section", column_name="科室", widget=TextWidget(required=True)
    )
    code = fields.Field(attribute="code", column_name="编码", widget=TextWidget(max_length=30))
    name = fields.Field(attribute="name", column_name="职权名称", widget=TextWidget(True, 150))
    direction = fields.Field(
        attribute="direction",
        column_name="权力性质",
        widget=ChoiceWidget(
            [(value, label) for value, label in DIRECTION_SHORT.items()],
            default=Power.Direction.INTERNAL,
            aliases={
                **{str(label): value for value, label in Power.Direction.choices},
                "外部": Power.Direction.EXTERNAL,
                "内部": Power.Direction.INTERNAL,
            },
        ),
    )
    content = fields.Field(attribute="content", column_name="职权内容", widget=TextWidget(True))
    legal_basis = fields.Field(attribute="legal_basis", column_name="行使依据", widget=TextWidget())
    time_limit = fields.Field(
        attribute="time_limit", column_name="办理时限", widget=TextWidget(max_length=100)
    )
    supervision_channel = fields.Field(
        attribute="supervision_channel", column_name="监督渠道", widget=TextWidget(max_length=200)
    )
    publicity = _PublicityField(
        attribute="publicity", column_name="公开范围", widget=_publicity_widget()
    )
    unpublished_reason = fields.Field(
        attribute="unpublished_reason", column_name="不公开理由", widget=TextWidget(max_length=200)
    )
    procedure = fields.Field(attribute="procedure", column_name="办理程序", widget=TextWidget())
    responsibility = fields.Field(
        attribute="responsibility", column_name="责任事项", widget=TextWidget()
    )

    class Meta:
        model = Power
        fields = (
            "section",
            "code",
            "name",
            "category",
            "direction",
            "content",
            "legal_basis",
            "time_limit",
            "supervision_channel",
            "publicity",
            "unpublished_reason",
            "procedure",
            "responsibility",
        )
        import_id_fields = ("code",)
        instance_loader_class = _CodeLoader
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        store_instance = True
        use_transactions = True

    def __init__(self, importer=None, **kwargs):
        self.campaign = importer.campaign
        super().__init__(importer=importer, **kwargs)
        self.fields["category"] = fields.Field(
            attribute="category", column_name="职权类别", widget=_CategoryWidget(self.campaign)
        )
        self.excel_row = importer.sheet.excel_row

    def get_import_order(self):
        return (
            "section",
            "code",
            "name",
            "category",
            "direction",
            "content",
            "legal_basis",
            "time_limit",
            "supervision_channel",
            "publicity",
            "unpublished_reason",
            "procedure",
            "responsibility",
        )

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        sections = list(Section.objects.filter(unit_id=self.campaign.unit_id))
        self.sections = {s.name: s for s in sections} | {s.code: s for s in sections}
        self.section_names = "、".join(s.name for s in sections if s.is_active)
        self.posts = defaultdict(dict)
        for post in Post.objects.filter(section__unit_id=self.campaign.unit_id):
            self.posts[post.section_id][post.name] = post
        self.catalogues = {
            c.section_id: c for c in Catalogue.objects.filter(campaign=self.campaign)
        }
        self.codes_in_file = {}
        self.touched = set()
        self.file_codes = {cell_text(row.get("编码")) for row in dataset.dict} - {""}

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.attribute == "section":
            name = cell_text(row.get("科室"))
            section = self.sections.get(name)
            if not name:
                raise ValueError(_("不能为空"))
            if section is None:
                raise ValueError(
                    _("本单位没有名称或编码为“%(name)s”的科室，可选：%(options)s")
                    % {"name": name, "options": self.section_names}
                )
            if instance.pk and instance.section_id != section.pk:
                raise ValidationError(
                    {
                        "编码": _("编码“%(code)s”已是“%(section)s”的职权，不能导入到“%(other)s”")
                        % {
                            "code": instance.code,
                            "section": instance.section.name,
                            "other": section.name,
                        }
                    }
                )
            instance.section = section
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def check_row(self, instance, row, errors, **kwargs):
        number = kwargs.get("row_number")
        code = instance.code
        if code:
            earlier = self.codes_in_file.get(code)
            if earlier is not None:
                errors["编码"].append(
                    _("与第 %(row)d 行的编码“%(code)s”重复")
                    % {"row": self.excel_row(earlier), "code": code}
                )
            self.codes_in_file.setdefault(code, number)
        match = _UNPUBLISHED.match(cell_text(row.get("公开范围")))
        if match and not instance.unpublished_reason:
            instance.unpublished_reason = match.group("reason").strip()
        if instance.publicity == Power.Publicity.UNPUBLISHED and not instance.unpublished_reason:
            errors["公开范围"].append(_("选择“不公开”时须填写不公开理由"))
        elif instance.publicity != Power.Publicity.UNPUBLISHED:
            instance.unpublished_reason = ""
        if instance.section_id is None:
            return
        section = instance.section
        catalogue = self.catalogues.get(section.pk)
        if catalogue is not None and not catalogue.is_editable:
            errors["科室"].append(
                _("“%(section)s”的职权目录%(status)s，不能导入；请先在职权目录页面开启修订")
                % {"section": section.name, "status": catalogue.get_status_display()}
            )
        instance._import_posts = None
        if "行使岗位" in row:
            names = [
                n.strip() for n in _SPLIT_POSTS.split(cell_text(row.get("行使岗位"))) if n.strip()
            ]
            known = self.posts.get(section.pk, {})
            unknown = [n for n in names if n not in known]
            if unknown:
                errors["行使岗位"].append(
                    _("“%(section)s”没有岗位%(names)s（已有：%(known)s）")
                    % {
                        "section": section.name,
                        "names": "、".join(f"“{n}”" for n in unknown),
                        "known": "、".join(known) or _("无"),
                    }
                )
            instance._import_posts = [known[n] for n in names if n in known]
        instance.campaign = self.campaign

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        posts = getattr(instance, "_import_posts", None)
        return posts is None or {p.pk for p in posts} == {p.pk for p in original.posts.all()}

    def before_save_instance(self, instance, row, **kwargs):
        section = instance.section
        catalogue = self.catalogues.get(section.pk)
        if catalogue is None:
            catalogue = self.catalogues[section.pk] = services.catalogue_for(self.campaign, section)
        instance.catalogue = catalogue
        if instance.pk is None:
            instance.created_by = self.importer.user
            if instance.code:
                parsed = services._sequence_from_code(section, instance.code)
                instance.sequence = parsed or services.next_code(self.campaign, section)[0]
            else:
                instance.sequence, instance.code = services.next_code(self.campaign, section)
        self.touched.add(catalogue.pk)

    def after_save_instance(self, instance, row, **kwargs):
        posts = getattr(instance, "_import_posts", None)
        if posts is not None:
            instance.posts.set(posts)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        steps = self.importer.extra_sheets.get(STEPS_SHEET)
        messages = []
        if steps is not None:
            messages = self._import_steps(
                steps, write=not (result.has_errors() or result.has_validation_errors())
            )
        if messages:
            raise StopImport(messages)
        for catalogue in Catalogue.objects.filter(pk__in=self.touched):
            catalogue.save(update_fields=["updated_at"])

    def _import_steps(self, sheet, *, write):
        powers = {
            p.code: p
            for p in Power.objects.filter(campaign=self.campaign).select_related("section")
        }
        risk = yes_no_widget(default=False)
        by_power, messages = defaultdict(list), []
        for index, row in enumerate(sheet.dataset.dict, start=1):
            number = sheet.excel_row(index)

            def fail(column, message, number=number):
                messages.append(row_message(number, column, message, sheet=STEPS_SHEET))

            code = cell_text(row.get("职权编码"))
            power = powers.get(code)
            if power is None:
                if code not in self.file_codes:
                    fail(
                        "职权编码",
                        _("没有编码为“%(code)s”的职权") % {"code": code} if code else _("不能为空"),
                    )
                continue  # a power whose own row failed is reported there
            name = cell_text(row.get("环节"))
            if not name:
                fail("环节", _("不能为空"))
            elif len(name) > 80:
                fail("环节", _("内容过长，最多 80 字"))
            post = None
            post_name = cell_text(row.get("责任岗位"))
            if post_name:
                post = self.posts.get(power.section_id, {}).get(post_name)
                if post is None:
                    fail(
                        "责任岗位",
                        _("“%(section)s”没有岗位“%(post)s”")
                        % {"section": power.section.name, "post": post_name},
                    )
            try:
                is_risk = risk.clean(row.get("风险环节"))
            except ValueError as exc:
                fail("风险环节", str(exc))
                is_risk = False
            by_power[power].append(
                PowerStep(
                    power=power,
                    name=name[:80],
                    post=post,
                    responsible=cell_text(row.get("责任主体"))[:60],
                    time_limit=cell_text(row.get("时限"))[:60],
                    checks=cell_text(row.get("审查要点")),
                    is_risk=is_risk,
                )
            )
        for power in by_power:
            catalogue = self.catalogues.get(power.section_id)
            if (
                catalogue is not None
                and not catalogue.is_editable
                and power.code not in self.file_codes
            ):
                messages.append(
                    row_message(
                        sheet.rows[0],
                        "职权编码",
                        _("“%(section)s”的职权目录%(status)s，不能修改流程")
                        % {"section": power.section.name, "status": catalogue.get_status_display()},
                        sheet=STEPS_SHEET,
                    )
                )
        if messages or not write:
            return messages
        for power, new_steps in by_power.items():
            power.steps.all().delete()
            for position, step in enumerate(new_steps, start=1):
                step.position = position
            PowerStep.objects.bulk_create(new_steps)
            self.touched.add(power.catalogue_id)
        self.steps_imported = (len(by_power), sum(len(s) for s in by_power.values()))
        return []

    def describe(self, row_result, row):
        power = row_result.instance
        what = " · ".join(
            part
            for part in (power.code, power.section.name if power.section_id else "", power.name)
            if part
        )
        changes = []
        original = row_result.original
        if row_result.is_update() and original is not None:
            for name in (
                "name",
                "content",
                "legal_basis",
                "time_limit",
                "supervision_channel",
                "procedure",
                "responsibility",
            ):
                if getattr(original, name) != getattr(power, name):
                    changes.append(str(Power._meta.get_field(name).verbose_name))
            if original.category_id != power.category_id:
                changes.append(_("职权类别"))
            if original.direction != power.direction:
                changes.append(_("权力性质"))
            if (
                original.publicity != power.publicity
                or original.unpublished_reason != power.unpublished_reason
            ):
                changes.append(_("公开范围"))
            posts = getattr(power, "_import_posts", None)
            if posts is not None and {p.pk for p in posts} != {p.pk for p in original.posts.all()}:
                changes.append(_("行使岗位"))
        return what, (_("修改：%(fields)s") % {"fields": "、".join(changes)}) if changes else ""


class CatalogueImporter(Importer):
    key = "catalogue"
    title = gettext_lazy("职权目录")
    resource_class = PowerResource

    def get_sheets(self):
        return _catalogue_sheets(self.campaign)

    def read(self, data, filename=""):
        sheet = super().read(data, filename)
        if "编码" not in sheet.dataset.headers:
            # Codes are optional, but import-export matches rows on them.
            sheet.dataset.append_col([""] * len(sheet.dataset), header="编码")
        return sheet

    def check(self):
        try:
            self.campaign.ensure_open()
        except ValidationError as exc:
            raise ImportFileError(exc.messages[0]) from exc
        services.ensure_categories(self.campaign)

    def _collect(self, outcome, result, resource, sheet):
        super()._collect(outcome, result, resource, sheet)
        imported = getattr(resource, "steps_imported", None)
        if imported:
            outcome.notes.append(
                _("流程环节：%(powers)d 项职权，共 %(steps)d 个环节（原有环节被替换）")
                % {"powers": imported[0], "steps": imported[1]}
            )

    def committed(self, outcome, result):
        record(
            self.campaign,
            self.user,
            "powers.imported",
            _("从 Excel 导入职权目录：新增 %(new)d 项，更新 %(updated)d 项")
            % {"new": outcome.new, "updated": outcome.updated},
        )
