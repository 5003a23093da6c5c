"""What a new campaign starts with: the seven stages and their usual
milestones, the grading schemes, the five risk categories and the default
approval chains. The durations follow the seed plans (a spring mobilisation
of about a month, three weeks to list powers, three to find risks, a month to
grade, three weeks of measures, a seven-day publicity, a month of review).
The office adjusts every date after the wizard has laid them out.
"""

from django.utils.translation import gettext_lazy as _

from .models import FilerRank, GradeLevel, Milestone, Stage, StepRole, Subject

R = Milestone.Responsible

# kind: (first day, last day) as offsets from the campaign's start date, the
# stage's description, and its milestones as (offset, title, responsible).
STAGES = {
    Stage.Kind.MOBILISE: (
        0,
        30,
        _(
            "印发实施方案，成立领导小组及办公室，召开动员会，组织干部职工学习有关文件，增强风险意识。"
        ),
        [
            (5, _("印发实施方案"), R.OFFICE),
            (7, _("成立领导小组及办公室"), R.PARTY_COMMITTEE),
            (14, _("召开全体干部职工动员大会"), R.OFFICE),
            (24, _("组织学习有关文件并确认"), R.ALL_STAFF),
        ],
    ),
    Stage.Kind.POWERS: (
        31,
        52,
        _("各科室按“三定”方案梳理职权，编制职权目录和权力运行流程图，办公室审核。"),
        [
            (45, _("各科室编制职权目录"), R.SECTION_HEADS),
            (50, _("绘制权力运行流程图"), R.SECTION_HEADS),
            (52, _("办公室审核职权目录"), R.OFFICE),
        ],
    ),
    Stage.Kind.RISKS: (
        53,
        74,
        _("个人对照岗位职责查找岗位风险，科室集体查找科室风险，领导班子查找单位风险。"),
        [
            (63, _("个人填报岗位廉政风险点"), R.ALL_STAFF),
            (68, _("科室集体查找科室风险点"), R.SECTION_HEADS),
            (70, _("领导班子查找单位风险点"), R.LEADING_GROUP),
            (74, _("提交书面查找报告"), R.OFFICE),
        ],
    ),
    Stage.Kind.GRADE: (
        75,
        103,
        _("逐级审核自评等级，领导小组集体研究评定风险等级。"),
        [
            (88, _("科室负责人、分管领导审核定级"), R.SECTION_HEADS),
            (103, _("领导小组评定风险等级"), R.LEADING_GROUP),
        ],
    ),
    Stage.Kind.MEASURES: (
        104,
        124,
        _("针对每个风险点制定前期预防、中期监控、后期处置措施，签订廉政承诺，建立风险档案。"),
        [
            (110, _("制定防控措施"), R.ALL_STAFF),
            (117, _("签订廉政承诺"), R.ALL_STAFF),
            (124, _("建立廉政风险档案"), R.OFFICE),
        ],
    ),
    Stage.Kind.PUBLICITY: (
        125,
        131,
        _("在单位内部公示风险点、等级和防控措施，对外公开外部权力运行流程图，收集并答复意见。"),
        [
            (125, _("发布公示"), R.OFFICE),
            (131, _("答复公示期间的意见"), R.OFFICE),
        ],
    ),
    Stage.Kind.REVIEW: (
        132,
        162,
        _("开展自我评估，接受检查验收，整改发现的问题，形成工作总结，转入常态化动态管理。"),
        [
            (139, _("撰写自我评估报告"), R.OFFICE),
            (146, _("接受检查验收"), R.LEADING_GROUP),
            (156, _("完成问题整改"), R.SECTION_HEADS),
            (162, _("形成工作总结"), R.OFFICE),
        ],
    ),
}

T = GradeLevel.Tier
# scheme: [(rank, label, colour, tier)] — rank 1 is the highest risk.
GRADE_SCHEMES = {
    "hml": [
        (1, "高", "#c62828", T.HIGH),
        (2, "中", "#ef6c00", T.MEDIUM),
        (3, "低", "#2e7d32", T.LOW),
    ],
    "numbered": [
        (1, "一级", "#c62828", T.HIGH),
        (2, "二级", "#ef6c00", T.MEDIUM),
        (3, "三级", "#1565c0", T.LOW),
    ],
    # Seed 004 ranks red above yellow above orange.
    "coloured": [
        (1, "红", "#c62828", T.HIGH),
        (2, "黄", "#f9a825", T.MEDIUM),
        (3, "橙", "#fb8c00", T.LOW),
    ],
}

RISK_CATEGORIES = [
    (_("思想道德"), _("理想信念动摇、权力观利益观错位、因人情请托等导致行为失范的风险")),
    (_("岗位职责"), _("岗位掌握人财物或审批等权力，可能被滥用或以权谋私的风险")),
    (_("业务流程"), _("流程设计不规范、缺少相互制约或执行不力导致内控失效的风险")),
    (_("制度机制"), _("制度缺失、规定不明、自由裁量过大、缺乏监督制衡的风险")),
    (_("外部环境"), _("受“潜规则”影响或服务对象利益诱惑、施加不良影响的风险")),
]

S = StepRole
# (subject, filer rank): [roles in order] — BRIEF §7.
CHAINS = {
    (Subject.CATALOGUE, FilerRank.ANY): [S.SECTION_HEAD, S.OFFICE],
    (Subject.PERSONAL, FilerRank.GENERAL): [S.SECTION_HEAD, S.LEADING_GROUP],
    (Subject.PERSONAL, FilerRank.MIDDLE): [S.SUPERVISING_LEADER, S.LEADING_GROUP],
    (Subject.PERSONAL, FilerRank.LEADER): [S.PARTY_COMMITTEE],
    (Subject.SECTION, FilerRank.ANY): [S.SECTION_HEAD, S.SUPERVISING_LEADER, S.LEADING_GROUP],
    (Subject.UNIT, FilerRank.ANY): [S.PARTY_COMMITTEE],
}
