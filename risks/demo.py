"""The demo campaign's risk filings, in every state a real campaign shows.

People of the invented investment-promotion office fill in their personal
filings (and two sections and the leadership team their collective ones) in
their own words; some submit, reviewers approve, grade and return them. All
of it goes through the real services (``risks.services.save_draft`` /
``submit_filing``, ``campaign.approvals.approve`` / ``return_for_changes``),
so the timelines, pledges, grades and notifications are the ones the product
would have made.

``load(context)`` builds only while the demo campaign has no risk point yet:
a second run changes nothing.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from campaign import approvals
from campaign.models import Campaign, ReviewStep, StepRole

from . import services
from .models import Filing, Measure, RiskPoint

TITLE = "2026年度廉政风险防控工作"

NOT_STARTED, DRAFTING, SUBMITTED, IN_REVIEW, RETURNED, APPROVED = (
    "not_started",
    "drafting",
    "submitted",
    "in_review",
    "returned",
    "approved",
)

# Self grade → (likelihood, harm) pairs that suggest the same grade, so the
# suggested grade and the self grade agree unless a point says otherwise.
ACCOUNTABILITY = {1: 3, 2: 2, 3: 1}


@dataclass
class Point:
    category: str
    title: str
    content: str
    grade: int  # self grade, 1 = highest
    likelihood: int
    harm: int
    measures: tuple  # (prevention, monitoring, handling); "" leaves a line out
    found_by: tuple = ("self",)
    power: str = ""  # a word of the power's name, when the powers demo made one
    review: tuple | None = None  # (rank, reason) set at the first review step
    final: tuple | None = None  # (rank, reason) set by the leading group
    indicator: str = ""
    ownerless: bool = False  # leave the last measure without an owner (still to settle)


def P(*args, **kwargs):
    return Point(*args, **kwargs)


# username (or "section:CODE" / "unit") → (state, points, return reason)
FILINGS = {
    # 招商一科 ----------------------------------------------------------------
    "kezhang": (
        IN_REVIEW,
        [
            P(
                "岗位职责",
                "项目准入意见把关不严",
                "审核内资项目准入意见时，对投资强度、亩均税收、产业类别等准入指标核查不细，"
                "受客商或他人打招呼影响，为不符合条件的项目出具同意准入意见。",
                1,
                2,
                3,
                (
                    "准入指标逐项量化打分，科室集体研究后出具意见，意见书由经办人和科长双签字",
                    "每季度将出具准入意见的项目清单报分管领导和纪检组备案，纪检组随机抽查打分依据",
                    "发现违规出具准入意见的，立即撤回意见，按规定追究经办人和审核人责任",
                ),
                found_by=("self", "collective"),
                power="准入",
                indicator="准入项目抽查率不低于30%",
            ),
            P(
                "外部环境",
                "招商考察中接受客商宴请和礼品",
                "赴外招商洽谈、陪同客商考察时，客商以答谢为名安排宴请、赠送土特产或购物卡，"
                "存在以招商为名接受吃请、收受礼品的风险。",
                2,
                2,
                2,
                (
                    "洽谈和考察一律两人以上参加，食宿由单位按公务接待标准安排，不接受客商买单",
                    "考察行程、费用和接触的客商报办公室备案，节假日前开展一次廉洁提醒",
                    "无法当场拒收的礼品礼金在3日内登记上交纪检组",
                ),
                review=(1, "招商一科年接待客商频繁，同类问题在系统内多次通报，按就高不就低上调。"),
            ),
        ],
        "",
    ),
    "keyuan": (
        DRAFTING,
        [
            P(
                "外部环境",
                "向客商泄露政策底线",
                "与客商洽谈时擅自透露拟给予的奖励额度、用地价格等政策底线，"
                "或向中介机构透露在谈项目信息，换取宴请和好处。",
                2,
                1,
                3,
                ("在谈项目信息实行台账管理，对外口径由科长统一确定", "", ""),
            ),
        ],
        "",
    ),
    "jc203": (
        APPROVED,
        [
            P(
                "岗位职责",
                "招商奖励兑现初审放宽条件",
                "受理招商奖励和扶持资金申请时，对企业实缴资本、到位资金、纳税额等申报材料审核不严，"
                "或为关系企业放宽认定条件、提高奖励档次。",
                1,
                2,
                3,
                (
                    "兑现条件、申报材料清单和审核流程在门户网站公开，企业签署诚信承诺",
                    "初审意见由计划财务科复核，兑现名单和金额公示7天后再拨付",
                    "发现虚报冒领的，追回资金并取消企业三年申报资格，涉嫌违纪的移交纪检组",
                ),
                power="奖励",
                indicator="兑现项目财务复核率100%",
            ),
            P(
                "业务流程",
                "奖励资金拨付拖延、吃拿卡要",
                "对已审定的奖励资金借故拖延办理拨付手续，暗示企业“表示”后再办理。",
                3,
                1,
                2,
                (
                    "奖励资金审定后10个工作日内办结拨付，办理时限在服务指南中公开",
                    "每月统计超时未拨付事项，向分管领导报告原因",
                    "企业投诉查实的，调离政策兑现岗位",
                ),
                review=(2, "企业对拨付时限反映较多，影响营商环境，上调一级。"),
            ),
        ],
        "",
    ),
    "jc204": (
        SUBMITTED,
        [
            P(
                "外部环境",
                "为客商违规代办、打招呼",
                "利用熟悉审批部门的便利，为在谈项目向规划、市场监管等部门打招呼，"
                "违规代办手续，收受客商好处费。",
                2,
                2,
                2,
                (
                    "代办事项须经科长同意并登记，不私下为客商办理任何手续",
                    "科长每月抽查代办登记台账",
                    "发现违规代办、收受好处的，按规定严肃处理",
                ),
            ),
        ],
        "",
    ),
    "jc206": (
        RETURNED,
        [
            P(
                "思想道德",
                "思想放松，廉洁意识不强",
                "对廉政规定学习不够，存在思想松懈的风险。",
                3,
                1,
                1,
                ("加强学习", "自觉接受监督", "有问题及时改正"),
            ),
        ],
        "风险点只写了“思想放松”，没有结合分管的项目准入和奖励兑现业务；防控措施过于笼统。"
        "请对照岗位职责补充具体风险点，措施写明由谁、在哪个环节、怎么做。",
    ),
    "section:ZS1": (
        DRAFTING,
        [
            P(
                "业务流程",
                "在谈项目信息和客商资源由个人掌握",
                "在谈项目信息、客商联系方式由经办人个人掌握，未纳入科室台账，"
                "存在私下交易、利益输送和信息泄露的风险。",
                2,
                2,
                2,
                (
                    "建立科室在谈项目台账，项目信息每周更新，客商对接至少两人知情",
                    "",
                    "",
                ),
                found_by=("collective",),
            ),
        ],
        "",
    ),
    # 招商二科 ----------------------------------------------------------------
    "jc301": (
        APPROVED,
        [
            P(
                "岗位职责",
                "外资项目评估意见带有倾向性",
                "组织外资和总部经济项目评估时，对投资方实力和资金来源核查不严，"
                "评估意见带有倾向性，为后续政策兑现埋下隐患。",
                2,
                2,
                2,
                (
                    "评估由科室两人以上共同完成，重大项目邀请第三方机构参与",
                    "评估报告报分管领导审阅，项目落地后对照评估结论复核",
                    "评估失实造成损失的，倒查评估人员责任",
                ),
                power="评估",
                review=(1, "总部经济项目政策兑现金额大，按就高不就低上调。"),
            ),
            P(
                "制度机制",
                "赴外招商超计划出访、变相旅游",
                "组织赴外招商推介时，超计划增加出访国家（地区）和天数，或接受企业、中介安排的参观游览。",
                2,
                2,
                2,
                (
                    "出访计划提前报批，团组人数、天数、路线按批件执行",
                    "回国后10日内提交出访报告和费用明细，办公室审核",
                    "超计划出访的费用由个人承担，并视情节追责",
                ),
            ),
        ],
        "",
    ),
    "jc302": (
        APPROVED,
        [
            P(
                "外部环境",
                "外事接待中接受贵重馈赠",
                "接待境外客商和商协会时接受贵重礼品、礼金，或应邀参加可能影响公正履职的宴请。",
                3,
                1,
                2,
                (
                    "外事接待按计划和标准安排，礼品往来统一由办公室登记",
                    "接待结束后填写接待记录，科长审核",
                    "收受的礼品按规定登记上交",
                ),
                review=(2, "外资客商来访频繁，礼品往来多，上调一级。"),
            ),
        ],
        "",
    ),
    "jc303": (
        SUBMITTED,
        [
            P(
                "业务流程",
                "企业诉求选择性协调",
                "走访重点企业时对企业诉求选择性协调，为关系企业优先解决用地、用工等问题，从中谋取好处。",
                2,
                2,
                2,
                (
                    "企业诉求统一登记编号，按受理顺序协调",
                    "每月通报诉求办理情况，企业可查询进度",
                    "企业反映不公的，由办公室复核",
                ),
            ),
        ],
        "",
    ),
    "jc305": (
        DRAFTING,
        [
            P(
                "思想道德",
                "利用联络企业的便利谋取私利",
                "利用联系重点企业的便利，向企业推销产品、介绍亲友就业，或借用企业车辆、场所。",
                3,
                1,
                2,
                (
                    "签订亲清政商关系承诺，不向联系企业提任何个人要求",
                    "每季度向科长报告与联系企业的往来情况",
                    "",
                ),
                ownerless=True,
            ),
        ],
        "",
    ),
    # 项目服务科 --------------------------------------------------------------
    "jc401": (
        APPROVED,
        [
            P(
                "岗位职责",
                "代办事项审核一人说了算",
                "项目代办事项的受理、审核和办结均由科长一人决定，缺少复核，"
                "容易为个别企业开“绿色通道”。",
                2,
                2,
                2,
                (
                    "代办事项受理、审核、办结分岗办理，科长审核意见留痕",
                    "分管领导每季度抽查代办事项办理记录",
                    "发现违规开“绿色通道”的，纠正并通报",
                ),
            ),
        ],
        "",
    ),
    "jc402": (
        APPROVED,
        [
            P(
                "岗位职责",
                "项目准入材料审查放水",
                "审查项目准入材料时，对环评、能耗、投资协议等要件缺失的项目放宽把关，"
                "或向企业泄露审查标准、帮助包装材料。",
                1,
                3,
                3,
                (
                    "按准入审查清单逐项审查，缺件一律不予受理",
                    "审查意见由科长复核，分管领导每季度抽查",
                    "违规放行的项目取消准入，追究审查人员责任",
                ),
                power="准入",
                final=(2, "已实行准入审查AB角和科室集体研究，风险总体可控，领导小组研究定为中。"),
            ),
            P(
                "业务流程",
                "履约核查走过场",
                "对已落地项目的投资进度、产出和税收等履约情况核查流于形式，"
                "未按协议追回已兑现的奖励。",
                2,
                2,
                2,
                (
                    "制定履约核查办法，每年对兑现奖励的项目全面核查一次",
                    "核查结果报领导小组办公室，未达约定的列入追回清单",
                    "应追未追的，追究核查人员责任",
                ),
            ),
        ],
        "",
    ),
    "jc403": (
        IN_REVIEW,
        [
            P(
                "外部环境",
                "代办中收受“辛苦费”、指定中介",
                "为企业代办注册、审批等手续时收受企业“辛苦费”、购物卡，"
                "或向企业指定、推荐收费中介机构。",
                2,
                2,
                2,
                (
                    "代办服务免费并公开承诺，不推荐任何中介机构",
                    "代办事项办结后电话回访企业",
                    "查实收受财物的，调离岗位并移交纪检组",
                ),
            ),
        ],
        "",
    ),
    "jc405": (
        DRAFTING,
        [
            P(
                "业务流程",
                "履约核查数据不实",
                "核查项目产出和纳税数据时直接采用企业自报数据，不与税务、统计数据比对。",
                2,
                2,
                2,
                ("核查数据与税务、统计部门数据比对", "", ""),
            ),
        ],
        "",
    ),
    "section:XMFW": (
        APPROVED,
        [
            P(
                "制度机制",
                "代办服务缺少时限约束",
                "代办服务没有统一的受理登记和办结时限，企业反映的问题无人跟踪，"
                "容易产生推诿、刁难和“吃拿卡要”。",
                2,
                2,
                2,
                (
                    "制定代办服务规范，明确受理登记、办结时限和首问负责",
                    "科室每月通报超时事项",
                    "企业投诉查实的，扣减当事人年度考核分",
                ),
                found_by=("collective",),
            ),
            P(
                "业务流程",
                "准入审查与履约核查由同一人负责",
                "同一项目的准入审查和履约核查由同一名审核员负责，前后环节缺少相互制约。",
                2,
                2,
                2,
                (
                    "准入审查与履约核查实行AB角，分别由不同人员负责",
                    "科长每半年检查分工执行情况",
                    "发现同一人包办的，立即调整分工",
                ),
                found_by=("collective", "leaders"),
            ),
        ],
        "",
    ),
    # 计划财务科 --------------------------------------------------------------
    "jc501": (
        APPROVED,
        [
            P(
                "岗位职责",
                "预算安排和资金拨付审核不严",
                "编制预算和审核资金拨付时，对招商奖励、推介活动等支出的依据审核不严，"
                "或按亲疏关系调整拨付顺序。",
                1,
                2,
                3,
                (
                    "大额资金拨付须有领导班子集体研究纪要",
                    "每月向分管领导报送资金拨付明细，纪检组每半年抽查",
                    "违规拨付的资金限期追回，并追究审核人员责任",
                ),
            ),
            P(
                "制度机制",
                "拆分采购规避政府采购",
                "将推介会、宣传品等采购项目化整为零，规避公开招标或政府采购程序。",
                1,
                3,
                2,
                (
                    "年初编制政府采购计划，同类采购合并实施",
                    "财务科每季度对照采购计划检查执行情况",
                    "发现拆分采购的，暂停支付并报领导小组",
                ),
                power="采购",
            ),
        ],
        "",
    ),
    "jc502": (
        APPROVED,
        [
            P(
                "业务流程",
                "报销审核把关不严",
                "审核会议费、差旅费、接待费报销时，对虚假发票、超标准报销把关不严，"
                "或对领导签批的单据不敢审核。",
                2,
                2,
                2,
                (
                    "报销实行经办人、科长、分管领导三级签批，附清单和审批单",
                    "每季度抽查报销凭证不少于30份",
                    "虚假报销的追回资金，追究相关人员责任",
                ),
            ),
        ],
        "",
    ),
    "jc503": (
        APPROVED,
        [
            P(
                "岗位职责",
                "出纳挪用公款、公款私存",
                "出纳一人保管现金、财务印鉴和网银U盾，存在挪用公款、公款私存的风险。",
                1,
                2,
                3,
                (
                    "财务专用章、法人章和网银U盾分人保管，支付须双人复核",
                    "科长每月不定期盘点库存现金，核对银行对账单",
                    "发现挪用的立即追回，移送纪检组处理",
                ),
                indicator="每月现金盘点一次",
            ),
        ],
        "",
    ),
    # Left unstarted on purpose: the asset keeper's key post shows up as a
    # coverage gap (不漏岗) on the dashboard.
    "jc504": (
        NOT_STARTED,
        [
            P(
                "岗位职责",
                "国有资产处置价格偏低",
                "处置报废车辆、办公设备时不评估或低价评估，向熟人定向处置。",
                2,
                2,
                2,
                (
                    "资产处置须评估并在公共资源交易平台公开处置",
                    "处置结果报财政部门备案",
                    "低价处置造成损失的，追究责任",
                ),
            ),
        ],
        "",
    ),
    "section:JHCW": (
        SUBMITTED,
        [
            P(
                "制度机制",
                "财务印鉴分管制度执行不严",
                "财务印鉴、网银U盾名义上分人保管，实际长期由一人代管，分管制度流于形式。",
                1,
                2,
                3,
                (
                    "印鉴和U盾保管人外出须办理交接登记",
                    "纪检组每半年检查一次印鉴保管情况",
                    "违反分管规定的，调整岗位",
                ),
                found_by=("collective",),
            ),
        ],
        "",
    ),
    # 投资服务中心 ------------------------------------------------------------
    "jc601": (
        IN_REVIEW,
        [
            P(
                "岗位职责",
                "中心开支“一支笔”审批",
                "中心业务和开支由主任一人审批，大额开支未经集体研究，存在滥用审批权的风险。",
                1,
                2,
                3,
                (
                    "5万元以上开支须经中心集体研究，并报分管领导审批",
                    "每季度向办公室报送开支明细",
                    "违规审批的，追究主任责任",
                ),
            ),
            P(
                "外部环境",
                "推介会承办单位受请托选定",
                "选择推介会承办、会展服务单位时受请托影响，定向选择关系单位。",
                2,
                2,
                2,
                (
                    "承办单位通过比选确定，比选结果公示",
                    "办公室参与比选全过程",
                    "请托事项如实登记报告",
                ),
            ),
        ],
        "",
    ),
    "jc602": (
        DRAFTING,
        [
            P(
                "岗位职责",
                "分管采购中插手供应商选择",
                "分管会务采购时对供应商选择定调子、打招呼。",
                2,
                2,
                2,
                ("", "", ""),
            ),
        ],
        "",
    ),
    "jc603": (
        APPROVED,
        [
            P(
                "业务流程",
                "推介活动虚报参会人数套取经费",
                "组织招商推介活动时虚报参会人数和场次，与服务单位串通开具虚假发票套取经费。",
                2,
                2,
                2,
                (
                    "推介活动凭签到表、照片和结算单报销",
                    "办公室对推介活动抽查回访参会企业",
                    "查实套取经费的，追回资金并追责",
                ),
                power="推介",
            ),
        ],
        "",
    ),
    "jc604": (
        APPROVED,
        [
            P(
                "岗位职责",
                "推介会采购指定供应商",
                "推介会、展会的场地、搭建和物料采购中设置倾向性需求或直接指定供应商，收受回扣。",
                1,
                3,
                3,
                (
                    "采购需求由中心集体研究确定，不得指定品牌和供应商",
                    "采购过程由计划财务科派员监督",
                    "发现收受回扣的，移送纪检组",
                ),
                power="采购",
            ),
            P(
                "业务流程",
                "会务物料验收不严",
                "对搭建、物料等验收不严，以次充好、数量不足的照单付款。",
                2,
                2,
                2,
                (
                    "验收由两人以上进行并签字",
                    "财务付款前核对验收单",
                    "验收不合格的拒付并索赔",
                ),
            ),
            P(
                "外部环境",
                "接受供应商宴请和购物卡",
                "与会展、物料供应商长期合作，逢年过节收受购物卡，接受宴请。",
                2,
                2,
                2,
                (
                    "与供应商签订廉洁协议",
                    "节假日前开展廉洁提醒",
                    "收受财物的按规定处理",
                ),
                final=(1, "会展供应商相对固定，系统内近年同类案件多发，领导小组研究上调为高。"),
            ),
        ],
        "",
    ),
    "jc605": (
        SUBMITTED,
        [
            P(
                "业务流程",
                "合同条款审核不严",
                "初审中心合同时对付款条件、违约责任审核不严，合同签订后不跟踪履约。",
                2,
                2,
                2,
                (
                    "合同文本使用范本，重大合同经法律顾问审核",
                    "建立合同台账，按节点跟踪履约",
                    "履约异常及时报告中心主任",
                ),
            ),
        ],
        "",
    ),
    # 办公室 ------------------------------------------------------------------
    "bangongshi": (
        APPROVED,
        [
            P(
                "岗位职责",
                "干部考核评优推荐不公",
                "组织干部考核、评优推荐时按亲疏关系打分，或在民主推荐中引导投票。",
                1,
                2,
                3,
                (
                    "考核评优方案经党组会研究并公开，推荐结果公示",
                    "纪检组全程监督推荐过程",
                    "违规操作的，结果作废并追责",
                ),
            ),
            P(
                "制度机制",
                "招商接待超标准",
                "以招商接待为名超标准安排接待，无公函接待或增加陪餐人数，接待费在其他科目列支。",
                2,
                2,
                2,
                (
                    "接待凭公函，执行接待清单制度",
                    "每季度公开接待费用",
                    "超标准接待费用由个人承担",
                ),
                power="接待",
            ),
        ],
        "",
    ),
    "jc102": (
        APPROVED,
        [
            P(
                "岗位职责",
                "工资福利违规发放",
                "核定工资福利时违规提高标准或扩大范围，或为他人违规办理档案、身份信息变更。",
                2,
                2,
                2,
                (
                    "工资福利变动经分管领导审批并在科室内公示",
                    "计划财务科复核工资表",
                    "违规发放的款项全部追回",
                ),
            ),
        ],
        "",
    ),
    "jc103": (
        DRAFTING,
        [
            P(
                "思想道德",
                "泄露内部文件和会议信息",
                "在公文处理和会议服务中向无关人员泄露在谈项目、人事安排等内部信息。",
                3,
                1,
                2,
                ("涉密文件专人登记、专柜保管", "", ""),
            ),
        ],
        "",
    ),
    "jc104": (
        APPROVED,
        [
            P(
                "岗位职责",
                "公车私用",
                "利用管理车辆的便利，节假日或下班后将公务用车开回家、办私事，或为他人私用公车提供方便。",
                2,
                2,
                2,
                (
                    "用车申请、审批、派车分离，非工作时间车辆入库，钥匙集中保管",
                    "公车安装定位系统，办公室每月核对行车记录",
                    "公车私用的按规定处理并通报",
                ),
                power="车辆",
            ),
            P(
                "业务流程",
                "车辆维修加油虚报",
                "车辆维修、加油不在定点单位办理，或虚增维修项目、加油量套取资金。",
                2,
                2,
                2,
                (
                    "维修加油实行定点，维修前报项目、核价格、经审批",
                    "每季度对照里程核对油耗",
                    "虚报套取的，追回资金并追责",
                ),
            ),
            P(
                "业务流程",
                "办公用品采购验收不严",
                "办公用品采购价格偏高，入库验收不点数、不核质。",
                3,
                1,
                1,
                (
                    "办公用品网上比价采购",
                    "入库出库登记，每半年盘点",
                    "账实不符的查明原因",
                ),
            ),
        ],
        "",
    ),
    "jc105": (
        SUBMITTED,
        [
            P(
                "业务流程",
                "公文处理延误",
                "对企业来函、上级交办件处理不及时，压件不办。",
                3,
                1,
                2,
                (
                    "公文处理实行限时办结",
                    "每周通报公文办理情况",
                    "延误造成影响的，追究责任",
                ),
            ),
        ],
        "",
    ),
    # 领导班子 ------------------------------------------------------------------
    "zhuren": (
        DRAFTING,
        [
            P(
                "岗位职责",
                "“一把手”权力过于集中",
                "在重大招商项目、大额奖励兑现和干部任用上个人说了算，"
                "以主任办公会代替党组会研究“三重一大”事项。",
                1,
                2,
                3,
                ("落实“一把手”不直接分管人财物，末位表态", "", ""),
            ),
        ],
        "",
    ),
    "fenguan": (
        APPROVED,
        [
            P(
                "岗位职责",
                "干预招商奖励兑现和项目准入",
                "利用分管招商科室的职务影响，为特定企业在项目准入、奖励兑现档次上打招呼、定调子。",
                1,
                2,
                3,
                (
                    "分管领导不直接审批奖励兑现，兑现方案经党组会集体研究",
                    "领导干部插手干预重大事项记录报告",
                    "插手干预查实的，按规定追责",
                ),
            ),
            P(
                "外部环境",
                "接受客商安排的考察和宴请",
                "带队招商时接受客商安排的考察、宴请和娱乐活动。",
                2,
                2,
                2,
                (
                    "带队招商行程报党组书记审批",
                    "行程结束后向党组报告",
                    "违规接受安排的，按规定处理",
                ),
            ),
        ],
        "",
    ),
    "fuzhuren2": (
        SUBMITTED,
        [
            P(
                "岗位职责",
                "项目服务协调中打招呼",
                "协调项目落地服务时，为关系企业向相关部门打招呼，争取特殊照顾。",
                2,
                2,
                2,
                (
                    "项目协调事项集体研究、书面交办",
                    "插手干预重大事项记录报告",
                    "违规打招呼的，按规定追责",
                ),
            ),
        ],
        "",
    ),
    "jijian": (
        APPROVED,
        [
            P(
                "思想道德",
                "监督执纪讲情面",
                "对发现的问题线索查处不坚决，受人情关系影响降低处理标准或压案不查。",
                2,
                2,
                2,
                (
                    "问题线索集体排查、统一管理",
                    "线索处置情况定期向上级纪委报告",
                    "压案不查的，按规定追责",
                ),
            ),
        ],
        "",
    ),
    "unit": (
        SUBMITTED,
        [
            P(
                "制度机制",
                "“三重一大”事项未经集体决策",
                "重大招商奖励兑现、大额资金使用、重要人事任免等事项会前不酝酿、临时动议，"
                "或由个人或少数人决定。",
                1,
                2,
                3,
                (
                    "制定“三重一大”事项清单和议事规则，会前充分酝酿",
                    "党组会议纪要报上级纪委备案",
                    "违反集体决策的，按规定追究责任",
                ),
                found_by=("leaders", "collective"),
            ),
            P(
                "外部环境",
                "领导干部亲属在招商领域经商办企业",
                "领导干部亲属在招商引资、会展服务领域经商办企业，或为其承揽业务提供便利。",
                1,
                3,
                2,
                (
                    "领导干部如实报告亲属经商办企业情况",
                    "纪检组每年核查个人有关事项报告",
                    "违规的按规定处理",
                ),
                found_by=("leaders",),
            ),
        ],
        "",
    ),
}

# Whom each role's step goes to, when several people may act.
PREFERRED = {
    StepRole.LEADING_GROUP: ["bangongshi", "zhuren"],
    StepRole.PARTY_COMMITTEE: ["zhuren", "fenguan"],
}


def _campaign(context):
    campaign = context.get("campaign")
    if campaign is None and context.get("unit") is not None:
        campaign = Campaign.objects.filter(unit=context["unit"], title=TITLE).first()
    return campaign


def _filing(campaign, key, people, sections):
    if key == "unit":
        return Filing.objects.get(campaign=campaign, kind=Filing.Kind.UNIT)
    if key.startswith("section:"):
        return Filing.objects.get(
            campaign=campaign, kind=Filing.Kind.SECTION, section=sections[key.split(":")[1]]
        )
    return Filing.objects.filter(
        campaign=campaign, kind=Filing.Kind.PERSONAL, owner=people[key]
    ).first()


def _filer(filing, people):
    if filing.kind == Filing.Kind.PERSONAL:
        return filing.owner
    if filing.kind == Filing.Kind.SECTION:
        return filing.section.head
    return people["bangongshi"]


def _owners(filing, filer, people):
    """Who owns each line's measures: the filer prevents, the section head (or
    supervising leader) monitors, discipline inspection or the office handles."""
    section = filing.section
    monitor = section.head if section is not None else people["zhuren"]
    if monitor is None or monitor.pk == filer.pk:
        monitor = (section.supervising_leaders.first() if section else None) or people["zhuren"]
    if monitor.pk == filer.pk:
        monitor = people["fenguan"]
    handler = people["jijian"] if filer.pk != people["jijian"].pk else people["bangongshi"]
    return filer, monitor, handler


def _writer(filing, specs, filer, people, levels, categories, state):
    start = filing.campaign.starts_on
    lines = Measure.Line.values
    owners = _owners(filing, filer, people)
    powers = filing.campaign.powers.all()

    def write(f):
        for position, spec in enumerate(specs, start=1):
            power = None
            if spec.power:
                candidates = powers.filter(name__contains=spec.power)
                if f.section_id:
                    candidates = candidates.filter(section_id=f.section_id)
                power = candidates.order_by("pk").first()
            point = RiskPoint.objects.create(
                filing=f,
                position=position,
                category=categories[spec.category],
                title=spec.title,
                content=spec.content,
                power=power,
                found_by=list(spec.found_by),
                likelihood=spec.likelihood,
                harm=spec.harm,
                accountability=ACCOUNTABILITY[spec.grade],
                self_grade=levels[spec.grade],
            )
            measures = []
            for number, (line, text) in enumerate(zip(lines, spec.measures, strict=True)):
                if not text:
                    continue
                measures.append(
                    Measure(
                        risk_point=point,
                        line=line,
                        position=1,
                        text=text,
                        owner=owners[number],
                        due_on=start + timedelta(days=110 + 7 * number),
                        status=(
                            Measure.Status.IN_PROGRESS
                            if state == APPROVED and line == Measure.Line.PREVENTION
                            else Measure.Status.PLANNED
                        ),
                        indicator=spec.indicator if line == Measure.Line.MONITORING else "",
                    )
                )
            if spec.ownerless and measures:
                measures[-1].owner = None
            Measure.objects.bulk_create(measures)

    return write


def _open_step(filing):
    return services.review_for(filing).steps.filter(status=ReviewStep.Status.OPEN).first()


def _actor(step):
    assignees = list(step.assignees.all())
    by_name = {person.username: person for person in assignees}
    for username in PREFERRED.get(step.role, []):
        if username in by_name:
            return by_name[username]
    return assignees[0]


def _grades(filing, specs, step, levels):
    """What the reviewer at ``step`` decides for each point."""
    grades = {}
    points = list(
        filing.risk_points.select_related("self_grade", "suggested_grade").order_by("position")
    )
    for point, spec in zip(points, specs, strict=True):
        decided = spec.final if step.is_final else spec.review
        if decided is not None:
            grades[point.pk] = (levels[decided[0]], decided[1])
        elif not step.is_final:
            # The reviewer confirms: the higher of the self and suggested grade.
            ranks = [g.rank for g in (point.self_grade, point.suggested_grade) if g]
            grades[point.pk] = (levels[min(ranks)], "")
    return grades


def _approve(filing, specs, levels):
    step = _open_step(filing)
    approvals.approve(
        step.pk,
        _actor(step),
        opinion="同意。" if not step.is_final else "经领导小组集体研究，同意评定等级。",
        meeting_date=timezone.localdate() if step.role == StepRole.PARTY_COMMITTEE else None,
        data={"grades": _grades(filing, specs, step, levels)},
    )


def _build(filing, state, specs, reason, filer, people, levels, categories):
    if state == NOT_STARTED:
        return
    filing.refresh_from_db()
    services.save_draft(
        filing.pk,
        filer,
        expected_version=filing.version,
        write=_writer(filing, specs, filer, people, levels, categories, state),
    )
    if state == DRAFTING:
        return
    meeting = (
        timezone.localdate() - timedelta(days=3) if filing.kind == Filing.Kind.SECTION else None
    )
    services.submit_filing(filing.pk, filer, ip="10.20.1.15", section_meeting_on=meeting)
    if state == SUBMITTED:
        return
    if state == RETURNED:
        step = _open_step(filing)
        approvals.return_for_changes(step.pk, _actor(step), reason=reason)
        return
    _approve(filing, specs, levels)
    if state == IN_REVIEW:
        return
    while _open_step(filing) is not None:
        _approve(filing, specs, levels)


@transaction.atomic
def load(context):
    campaign = _campaign(context)
    if campaign is None or campaign.is_closed:
        return context
    context["campaign"] = campaign
    if RiskPoint.objects.filter(campaign=campaign).exists():
        return context
    services.ensure_filings(campaign)
    people = {u.username: u for u in User.objects.filter(unit=campaign.unit)}
    people.update(context.get("people", {}))
    sections = context.get("sections") or {s.code: s for s in campaign.unit.sections.all()}
    levels = {level.rank: level for level in campaign.grade_levels.all()}
    categories = {c.name: c for c in campaign.risk_categories.all()}
    fallback = next(iter(categories.values()))
    categories = _CategoryMap(categories, fallback)
    for key, (state, specs, reason) in FILINGS.items():
        if not key.startswith(("section:", "unit")) and key not in people:
            continue
        filing = _filing(campaign, key, people, sections)
        if filing is None:
            continue
        filer = _filer(filing, people)
        if filer is None:
            continue
        _build(filing, state, specs, reason, filer, people, levels, categories)
    return context


class _CategoryMap(dict):
    """A campaign that renamed a default category still gets every point."""

    def __init__(self, found, fallback):
        super().__init__(found)
        self.fallback = fallback

    def __missing__(self, key):
        return self.fallback
