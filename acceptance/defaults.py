"""Defaults of the acceptance check: the checklist a campaign starts with
(when there is no previous year's list to copy) and the result grades.

Written in our own words after what the seed plans check: the organisation,
the power listing, finding and grading risks, measures, publicity, the
warning mechanism and the records kept.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# (area, what is checked and how points are taken off, maximum score)
CHECKLIST = [
    (
        _("组织领导"),
        _(
            "成立领导小组及其办公室，分工明确；制定实施方案并按阶段推进；召开动员会议，"
            "全员学习有关文件。缺一项扣 2 分，未按计划推进扣 3 分。"
        ),
        Decimal("10"),
    ),
    (
        _("清权确权"),
        _(
            "各科室全面梳理职权，编制职权目录，逐项绘制权力运行流程图并经审定。"
            "漏报职权每项扣 1 分，流程图缺失每项扣 1 分。"
        ),
        Decimal("15"),
    ),
    (
        _("风险查找"),
        _(
            "个人、科室、单位三个层面查找风险点，方法得当，覆盖全部人员、重点岗位和职权事项。"
            "漏人、漏岗、漏项每处扣 1 分；风险点空泛、与岗位不符的酌情扣分。"
        ),
        Decimal("20"),
    ),
    (
        _("等级评定"),
        _(
            "风险等级经逐级审核、领导小组审定，评定依据充分，遵循就高不就低。等级明显不当每处扣 1 分。"
        ),
        Decimal("10"),
    ),
    (
        _("防控措施"),
        _(
            "每个风险点都有前期预防、中期监控、后期处置措施，责任到人、时限明确、可操作，"
            "签订廉政承诺。措施缺项或无责任人每处扣 1 分。"
        ),
        Decimal("20"),
    ),
    (
        _("公示"),
        _(
            "风险点、防控措施和对外权力流程图按规定范围公示，公布监督电话，意见建议有答复。缺一项扣 2 分。"
        ),
        Decimal("5"),
    ),
    (
        _("预警机制"),
        _(
            "建立预警信息收集、分析和处置机制，预警处置有记录、有反馈、有评估。机制缺失扣 5 分，记录不全酌情扣分。"
        ),
        Decimal("10"),
    ),
    (
        _("档案资料"),
        _(
            "实施方案、会议记录、各类登记表、流程图、公示和整改材料齐全，归档规范。每缺一类扣 1 分。"
        ),
        Decimal("10"),
    ),
]

# (share of the maximum reached, result) from the best down.
RESULT_GRADES = [
    (Decimal("0.90"), _("优秀")),
    (Decimal("0.80"), _("良好")),
    (Decimal("0.60"), _("合格")),
    (Decimal("0"), _("不合格")),
]
