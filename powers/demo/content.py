"""Every demo power catalogue in one table, in the order ``build`` files
them, and the story each one goes through: the second revisions of 计划财务科
and 项目服务科, how each catalogue ends up, and the office's reason for
returning 招商一科's.

The powers themselves live in one module per section group (``office``,
``promotion``, ``finance``); this one only joins them, so the building code
reads a single table and never a section's words.
"""

from . import finance, office, promotion
from .spec import INT, power, step

CATALOGUES = {**office.CATALOGUES, **promotion.CATALOGUES, **finance.CATALOGUES}

# The second revisions: what changed after the first approval.
JHCW_REVISION = {
    "code": "JHCW-003",
    "time_limit": "按政府采购法定时限；采购合同签订后2个工作日内公告",
    "new_step": step("合同公告与备案", "资产管理员", "签订后2个工作日", "合同公告、备案"),
    "new_step_after": "签订采购合同",
    "added": power(
        "往来款项清理",
        "internal_finance",
        INT,
        "定期清理暂付款、应收应付等往来款项，防止长期挂账。",
        "《政府会计制度》；本单位财务管理制度。",
        ["会计"],
        limit="每半年一次",
    ),
}
XMFW_REVISION = {
    "code": "XMFW-001",
    "responsibility": "代办服务一律免费；不得指定中介机构，不得向企业收取任何费用；代办员实行AB角。",
    "added": power(
        "项目服务档案管理",
        "internal_projects",
        INT,
        "建立重大项目服务档案，记录代办事项、协调会议和企业诉求办理情况。",
        "本单位档案管理制度。",
        ["项目审核员"],
        limit="事项办结后10个工作日内归档",
    ),
}

# section: how its catalogue ends up.
PLAN = {
    "BGS": "approved",
    "ZS1": "returned",
    "ZS2": "approved",
    "XMFW": "revising",
    "JHCW": "approved_twice",
    "FWZX": "in_review",
}
RETURN_REASON = "“招商奖励资金兑现初审”的兑现金额核定环节未写明公示范围；“客商接待与考察活动安排”缺少流程图，请补充后重新提交。"
