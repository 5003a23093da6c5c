"""The demo campaign's power catalogues: each of the six demo sections lists
the powers an investment-promotion office exercises, with legal bases and
flowcharts of the key ones. Every text is invented for the demo.

The catalogues go through the approval-chain engine and end in mixed states:
办公室、招商二科 approved; 计划财务科 approved twice (its history shows what
changed); 项目服务科 approved, then reopened as a draft second revision;
招商一科 returned by the office; 投资服务中心 waiting for the office.

``load(context)`` is idempotent: a section whose catalogue already exists in
the demo campaign is left as it is.
"""

import logging

from django.db import transaction

from campaign import approvals
from campaign.approvals import ReviewError
from campaign.models import Campaign

from . import services
from .models import Catalogue, Power, PowerStep

logger = logging.getLogger(__name__)

CAMPAIGN_TITLE = "2026年度廉政风险防控工作"
SUPERVISION = "区投促办纪检组；监督电话 0571-8800 1234"

PUBLIC = Power.Publicity.PUBLIC
INTERNAL = Power.Publicity.INTERNAL
UNPUBLISHED = Power.Publicity.UNPUBLISHED
EXT = Power.Direction.EXTERNAL
INT = Power.Direction.INTERNAL


def power(
    name,
    category,
    direction,
    content,
    basis,
    posts,
    *,
    procedure="",
    limit="",
    duty="",
    publicity=INTERNAL,
    reason="",
    steps=(),
):
    return {
        "name": name,
        "category": category,
        "direction": direction,
        "content": content,
        "legal_basis": basis,
        "posts": posts,
        "procedure": procedure,
        "time_limit": limit,
        "responsibility": duty,
        "publicity": publicity,
        "unpublished_reason": reason,
        "steps": steps,
    }


def step(name, post=None, limit="", checks="", risk=False, responsible=""):
    """``post`` is a post of the power's section, or "CODE:岗位" for another section's."""
    return (name, post, responsible, limit, checks, risk)


CATALOGUES = {
    "BGS": [
        power(
            "干部选拔任用",
            "internal_personnel",
            INT,
            "按照干部管理权限，组织开展本单位中层干部的动议、民主推荐、考察、讨论决定和任职等工作。",
            "《党政领导干部选拔任用工作条例》；《公务员职务与职级并行规定》；本单位干部选拔任用工作实施细则。",
            ["办公室主任", "人事干部"],
            procedure="动议→民主推荐→确定考察对象→组织考察→党组讨论决定→任前公示→办理任职手续。",
            limit="按年度干部调整计划进行，任前公示不少于5个工作日",
            duty="对推荐、考察材料的真实性负责；严格执行回避和保密规定。",
            steps=[
                step(
                    "提出干部选拔任用动议",
                    responsible="党组",
                    limit="按年度计划",
                    checks="职位空缺情况、岗位要求、选任方式",
                ),
                step("制定工作方案", "办公室主任", "3个工作日", "任职资格条件、推荐范围、工作程序"),
                step(
                    "民主推荐", "人事干部", "1个工作日", "参加推荐人数、得票统计是否规范", risk=True
                ),
                step(
                    "确定考察对象",
                    responsible="党组会议",
                    limit="按会议安排",
                    checks="是否以票取人、是否符合资格条件",
                ),
                step(
                    "组织考察",
                    "人事干部",
                    "5个工作日",
                    "个别谈话、查阅档案、核查个人有关事项报告",
                    risk=True,
                ),
                step(
                    "党组集体讨论决定",
                    responsible="党组会议",
                    limit="按会议安排",
                    checks="到会人数、逐一表决、记录完整",
                    risk=True,
                ),
                step("任前公示", "人事干部", "不少于5个工作日", "公示内容和范围、受理反映情况"),
                step("办理任职手续", "人事干部", "3个工作日", "任职文件、谈话、档案材料归档"),
            ],
        ),
        power(
            "公务用车管理",
            "internal_assets",
            INT,
            "负责公务用车的调度派遣、维修保养、加油和停放管理，执行公务用车使用登记制度。",
            "《党政机关公务用车管理办法》；本单位公务用车管理规定。",
            ["后勤与车辆管理"],
            procedure="用车申请→审批→派车→出车登记→回场登记→费用结算。",
            limit="用车前1个工作日申请，紧急公务随报随派",
            duty="确保公车公用，不得公车私用，非工作时间车辆入库停放。",
            steps=[
                step(
                    "提交用车申请",
                    responsible="用车科室",
                    limit="用车前1个工作日",
                    checks="用车事由、时间、地点、人数",
                ),
                step("办公室主任审批", "办公室主任", "当日", "是否属于公务、是否符合派车范围"),
                step(
                    "派车并登记",
                    "后勤与车辆管理",
                    "当日",
                    "派车单编号、驾驶员、出车里程",
                    risk=True,
                ),
                step("回场登记与钥匙交还", "后勤与车辆管理", "当日", "回场时间、里程、车况"),
                step(
                    "维修、加油费用审核",
                    "后勤与车辆管理",
                    "每月",
                    "定点维修单据与实际项目是否一致",
                    risk=True,
                ),
                step(
                    "月度用车情况核对", "办公室主任", "每月5日前", "派车单、定位轨迹与费用记录比对"
                ),
            ],
        ),
        power(
            "公务接待管理",
            "internal_finance",
            INT,
            "按接待标准安排来访客商和上级单位的公务接待，审核接待清单和费用。",
            "《党政机关国内公务接待管理规定》；本单位公务接待管理办法。",
            ["办公室主任", "后勤与车辆管理"],
            procedure="接待审批→安排接待→填写接待清单→费用报销。",
            limit="接待前1个工作日报批",
            duty="严格执行接待标准，不得超标准接待或借接待名义列支其他费用。",
            steps=[
                step(
                    "接待申请与公函核对",
                    responsible="承办科室",
                    limit="接待前1个工作日",
                    checks="是否有公函、接待对象和人数",
                ),
                step("审批接待方案", "办公室主任", "当日", "接待标准、陪餐人数"),
                step("组织接待", "后勤与车辆管理", "按安排", "就餐、住宿是否在标准内", risk=True),
                step(
                    "填写接待清单并报销",
                    "后勤与车辆管理",
                    "接待后5个工作日",
                    "清单、公函、发票三者一致",
                ),
                step("计划财务科审核入账", "JHCW:会计", "5个工作日", "单据完整、标准合规"),
            ],
        ),
        power(
            "办公用品采购与保管",
            "internal_assets",
            INT,
            "负责办公用品和低值易耗品的计划、采购、入库、保管和领用。",
            "本单位物资采购与保管办法。",
            ["后勤与车辆管理"],
            limit="每季度集中采购一次",
            steps=[
                step("汇总科室需求计划", "后勤与车辆管理", "每季度首月10日前", "需求数量是否合理"),
                step("审批采购计划", "办公室主任", "3个工作日", "预算额度、采购方式"),
                step(
                    "询价或在协议供货平台采购",
                    "后勤与车辆管理",
                    "10个工作日",
                    "询价不少于三家、价格是否公允",
                    risk=True,
                ),
                step("验收入库", "文秘", "到货当日", "数量、规格与订单一致；验收与采购分离"),
                step("登记领用台账", "后勤与车辆管理", "随时", "领用签字、库存盘点"),
            ],
        ),
        power(
            "干部考核与评优评先",
            "internal_personnel",
            INT,
            "组织年度考核、平时考核和评优评先推荐工作。",
            "《公务员考核规定》；本单位年度考核实施办法。",
            ["人事干部"],
            limit="每年12月至次年1月",
        ),
        power(
            "“三重一大”事项集体决策组织",
            "internal_major_decisions",
            INT,
            "对重大事项决策、重要干部任免、重大项目安排和大额度资金使用，组织提交党组会议或主任办公会集体研究。",
            "本单位“三重一大”集体决策制度实施办法。",
            ["办公室主任", "文秘"],
            limit="议题提前2个工作日送达参会人员",
            steps=[
                step(
                    "收集和审核议题",
                    "办公室主任",
                    "会前3个工作日",
                    "是否属于“三重一大”事项、材料是否齐全",
                ),
                step("会前征求意见", "文秘", "会前2个工作日", "相关科室和法律顾问意见"),
                step(
                    "召开会议集体研究",
                    responsible="党组会议 / 主任办公会",
                    limit="按会议安排",
                    checks="到会人数、末位表态、个人意见记录",
                    risk=True,
                ),
                step("形成会议纪要", "文秘", "会后2个工作日", "纪要与表决结果一致"),
                step("督办决策执行", "办公室主任", "按决定时限", "执行进度、变更是否重新决策"),
            ],
        ),
    ],
    "ZS1": [
        power(
            "招商引资项目准入初审",
            "other_admin",
            EXT,
            "对拟落户本区的内资招商项目，审查投资主体资信、产业方向、投资强度和环保能耗等条件，提出准入初审意见。",
            "《江川区招商引资项目准入管理办法》（区政办〔2024〕12号）；《产业结构调整指导目录》。",
            ["科长", "项目招引专员"],
            procedure="受理申报材料→审查→实地考察→部门会商→初审意见→分管领导审核→主任办公会研究→告知投资方。",
            limit="材料齐全之日起20个工作日",
            duty="对初审意见的真实性、合规性负责；与投资方有利害关系的应当回避。",
            publicity=PUBLIC,
            steps=[
                step(
                    "受理项目申报材料",
                    "项目招引专员",
                    "1个工作日",
                    "申请表、营业执照、项目可研报告、资信证明",
                ),
                step(
                    "材料完整性审查",
                    "项目招引专员",
                    "2个工作日",
                    "材料是否齐全、一次性告知补正内容",
                    risk=True,
                ),
                step(
                    "实地考察与投资方资信核查",
                    "项目招引专员",
                    "5个工作日",
                    "投资方实力、既往项目履约和信用记录",
                    risk=True,
                ),
                step(
                    "征求发改、自然资源、生态环境部门意见",
                    "科长",
                    "5个工作日",
                    "产业政策、用地、环评、能耗条件",
                ),
                step(
                    "提出准入初审意见",
                    "科长",
                    "2个工作日",
                    "是否降低准入标准、亩均投资强度是否达标",
                    risk=True,
                ),
                step(
                    "分管领导审核",
                    responsible="分管领导",
                    limit="2个工作日",
                    checks="初审意见依据是否充分",
                ),
                step(
                    "主任办公会集体研究",
                    responsible="主任办公会",
                    limit="按会议安排",
                    checks="集体研究、表决意见记录",
                ),
                step("书面告知投资方", "项目招引专员", "1个工作日", "告知准入结果及后续手续"),
            ],
        ),
        power(
            "招商奖励资金兑现初审",
            "payment",
            EXT,
            "受理企业和中介机构按招商引资扶持政策提出的奖励、补助申请，核查兑现条件，提出拟兑现金额。",
            "《江川区招商引资扶持政策实施细则》；《江川区财政专项资金管理办法》。",
            ["科长", "政策兑现经办"],
            procedure="企业申请→受理登记→条件核查→部门联审→公示→分管领导审核→拨付。",
            limit="申报截止后30个工作日内完成初审",
            duty="对兑现条件核查结果负责；不得虚报、多报兑现金额。",
            publicity=PUBLIC,
            steps=[
                step(
                    "企业提交兑现申请",
                    responsible="申请企业",
                    limit="每年3月、9月集中受理",
                    checks="申请表、投资凭证、完税证明",
                ),
                step("受理登记", "政策兑现经办", "1个工作日", "逐件编号登记，出具受理回执"),
                step(
                    "核对投资额、纳税额等兑现条件",
                    "政策兑现经办",
                    "10个工作日",
                    "到位资金、设备发票、纳税证明与申报一致",
                    risk=True,
                ),
                step("会同财政、税务部门联审", "科长", "10个工作日", "联审意见书签字齐全"),
                step(
                    "拟定兑现金额并公示",
                    "科长",
                    "公示5个工作日",
                    "计算依据、是否擅自提高标准",
                    risk=True,
                ),
                step(
                    "分管领导审核",
                    responsible="分管领导",
                    limit="3个工作日",
                    checks="兑现清单与公示结果一致",
                ),
                step("送计划财务科拨付", "JHCW:会计", "5个工作日", "拨付账户与申请企业一致"),
            ],
        ),
        power(
            "招商项目信息收集与分办",
            "internal_projects",
            INT,
            "收集、登记各渠道获得的招商项目信息，研判后分办到责任科室跟踪。",
            "本单位招商项目信息管理制度。",
            ["项目招引专员"],
            limit="信息登记后3个工作日内分办",
            steps=[
                step("登记项目信息", "项目招引专员", "当日", "信息来源、投资方联系人、项目概况"),
                step("初步研判", "科长", "2个工作日", "是否符合产业导向"),
                step("分办责任科室", "科长", "1个工作日", "分办记录、跟踪责任人"),
                step(
                    "定期通报跟踪进展",
                    "项目招引专员",
                    "每月",
                    "信息是否外泄、是否有私下接触",
                    risk=True,
                ),
            ],
        ),
        power(
            "客商接待与考察活动安排",
            "internal_projects",
            INT,
            "安排来访客商的接待、项目考察和洽谈活动。",
            "本单位公务接待管理办法。",
            ["项目招引专员"],
            limit="来访前1个工作日报批",
        ),
        power(
            "招商引资协议谈判与文本初审",
            "internal_projects",
            INT,
            "参与招商项目投资协议的谈判，审查协议文本中的优惠条款和违约责任。",
            "《中华人民共和国民法典》合同编；本单位合同管理办法。",
            ["科长"],
            limit="谈判结束后5个工作日内提交初审意见",
            publicity=UNPUBLISHED,
            reason="涉及投资方商业秘密",
        ),
    ],
    "ZS2": [
        power(
            "外资项目引进评估",
            "other_admin",
            EXT,
            "对拟引进的外资和总部经济项目开展投资背景、产业带动和风险评估，提出引进建议。",
            "《中华人民共和国外商投资法》；《外商投资准入特别管理措施（负面清单）》。",
            ["科长", "外资项目专员"],
            procedure="项目对接→背景调查→评估论证→评估意见→分管领导审核。",
            limit="材料齐全后15个工作日",
            publicity=PUBLIC,
            steps=[
                step("项目对接与材料收集", "外资项目专员", "5个工作日", "投资方注册文件、资信证明"),
                step(
                    "投资方背景调查",
                    "外资项目专员",
                    "5个工作日",
                    "实际控制人、关联企业、境外信用",
                    risk=True,
                ),
                step("负面清单符合性审查", "科长", "2个工作日", "是否属于禁止或限制类"),
                step("组织专家评估论证", "科长", "5个工作日", "专家抽取、回避"),
                step("形成评估意见", "科长", "2个工作日", "评估结论与论证意见一致", risk=True),
                step(
                    "分管领导审核", responsible="分管领导", limit="2个工作日", checks="引进建议依据"
                ),
            ],
        ),
        power(
            "总部企业认定初审",
            "confirmation",
            EXT,
            "受理总部企业认定申请，核查营业收入、纳税、管辖分支机构等认定条件，提出初审意见。",
            "《江川区总部经济发展扶持办法》。",
            ["科长", "企业联络员"],
            limit="受理后20个工作日",
            publicity=PUBLIC,
            steps=[
                step("受理认定申请", "企业联络员", "1个工作日", "申请材料清单"),
                step(
                    "核查认定条件",
                    "企业联络员",
                    "10个工作日",
                    "营收、纳税、分支机构数量",
                    risk=True,
                ),
                step("实地核查", "科长", "3个工作日", "经营场所、实际办公人员"),
                step("提出初审意见", "科长", "2个工作日", "是否放宽认定标准", risk=True),
                step(
                    "报领导小组研究",
                    responsible="分管领导",
                    limit="按会议安排",
                    checks="集体研究记录",
                ),
                step("公示认定结果", "企业联络员", "5个工作日", "公示期间异议处理"),
            ],
        ),
        power(
            "因公出国（境）招商团组审核",
            "internal_projects",
            INT,
            "审核出国（境）招商团组的任务、人员、路线和经费预算。",
            "《因公临时出国管理规定》；本单位因公出国（境）管理办法。",
            ["科长", "外资项目专员"],
            limit="出访前30日报批",
            steps=[
                step(
                    "制定出访计划", "外资项目专员", "出访前45日", "出访任务是否实质性、人员是否必要"
                ),
                step(
                    "审核团组人员与日程",
                    "科长",
                    "3个工作日",
                    "有无变相旅游、人数天数是否超标",
                    risk=True,
                ),
                step("审核经费预算", "JHCW:科长", "3个工作日", "经费标准"),
                step(
                    "报分管领导和主要领导审批", responsible="分管领导、主要领导", limit="5个工作日"
                ),
                step("出访报告与公示", "外资项目专员", "回国后10日内", "出访成果、经费决算公示"),
            ],
        ),
        power(
            "重点企业走访与诉求协调",
            "other_admin",
            EXT,
            "定期走访已落户的重点外资和总部企业，受理并协调解决企业诉求。",
            "《优化营商环境条例》。",
            ["企业联络员"],
            limit="诉求受理后10个工作日内答复",
            publicity=PUBLIC,
            steps=[
                step("制定走访计划", "企业联络员", "每季度", "走访对象覆盖重点企业"),
                step(
                    "走访并登记诉求",
                    "企业联络员",
                    "当日",
                    "诉求台账；不得接受企业宴请和礼品",
                    risk=True,
                ),
                step("协调相关部门办理", "科长", "7个工作日", "转办单、办理时限"),
                step("向企业反馈并回访", "企业联络员", "3个工作日", "企业满意度"),
            ],
        ),
    ],
    "XMFW": [
        power(
            "重大项目代办服务",
            "other_admin",
            EXT,
            "为签约落户的重大项目提供立项、规划、施工许可等审批手续的全程代办服务。",
            "《江川区重大项目全程代办服务办法》；《优化营商环境条例》。",
            ["科长", "代办服务员"],
            procedure="企业委托→确定代办员→制定代办计划→代办各项审批→办结反馈→服务评价。",
            limit="按各审批事项法定时限，代办员2个工作日内启动",
            duty="代办服务一律免费；不得指定中介机构，不得向企业收取任何费用。",
            publicity=PUBLIC,
            steps=[
                step(
                    "企业签订代办委托书",
                    responsible="项目企业",
                    limit="签约后5个工作日",
                    checks="委托事项清单",
                ),
                step("指定代办员", "科长", "1个工作日", "代办员与企业无利害关系"),
                step("制定代办计划", "代办服务员", "2个工作日", "审批事项、时间节点"),
                step(
                    "代为申报各项审批手续",
                    "代办服务员",
                    "按法定时限",
                    "不得推荐或指定中介机构",
                    risk=True,
                ),
                step("跟踪协调审批进度", "代办服务员", "每周", "超时事项及时报告"),
                step("办结并移交审批结果", "代办服务员", "1个工作日", "原件移交登记"),
                step(
                    "企业服务评价",
                    "项目审核员",
                    "办结后5个工作日",
                    "回访企业，核实有无吃拿卡要",
                    risk=True,
                ),
            ],
        ),
        power(
            "项目履约情况核查",
            "inspection",
            EXT,
            "对享受扶持政策的项目，核查投资进度、产出和纳税等协议约定指标的履行情况。",
            "项目投资协议；《江川区招商引资项目准入管理办法》。",
            ["项目审核员"],
            limit="每年一次，6月底前完成",
            publicity=INTERNAL,
            steps=[
                step("制定年度核查计划", "科长", "4月底前", "核查名单覆盖全部扶持项目"),
                step("企业报送履约材料", responsible="项目企业", limit="15个工作日"),
                step(
                    "书面审查与实地核查",
                    "项目审核员",
                    "20个工作日",
                    "数据与税务、统计数据比对",
                    risk=True,
                ),
                step("形成核查报告", "项目审核员", "5个工作日", "是否隐瞒未达标情况", risk=True),
                step("科长审核", "科长", "3个工作日", "核查结论依据"),
                step("报分管领导并通报相关科室", responsible="分管领导", limit="3个工作日"),
            ],
        ),
        power(
            "项目用地、用能指标申请初审",
            "other_admin",
            EXT,
            "对项目企业申请的用地、用能指标，审核项目进度和指标需求，提出初审意见。",
            "《江川区工业用地出让管理办法》；《江川区能耗指标统筹管理办法》。",
            ["科长", "项目审核员"],
            limit="受理后10个工作日",
            publicity=PUBLIC,
            steps=[
                step("受理指标申请", "项目审核员", "1个工作日", "申请材料"),
                step("审核指标需求", "项目审核员", "5个工作日", "需求测算依据是否真实", risk=True),
                step("提出初审意见", "科长", "2个工作日", "排序是否公平"),
                step("送自然资源、发改部门", "项目审核员", "2个工作日", "移交记录"),
            ],
        ),
        power(
            "违约项目处置建议",
            "other_admin",
            EXT,
            "对未履行投资协议的项目，提出追回扶持资金、收回用地等处置建议。",
            "项目投资协议；《中华人民共和国民法典》合同编。",
            ["科长"],
            limit="核查报告形成后15个工作日",
            publicity=INTERNAL,
        ),
    ],
    "JHCW": [
        power(
            "预算编制与执行",
            "internal_finance",
            INT,
            "编制单位年度部门预算，分解下达各科室预算指标，监控预算执行进度。",
            "《中华人民共和国预算法》及其实施条例；本单位财务管理制度。",
            ["科长", "会计"],
            limit="按区财政局预算编制时间要求",
            steps=[
                step("布置预算编制", "科长", "每年9月", "编制口径、依据"),
                step("各科室报送预算需求", responsible="各科室", limit="10个工作日"),
                step("审核汇总预算草案", "会计", "10个工作日", "项目支出依据是否充分", risk=True),
                step("主任办公会审议", responsible="主任办公会", limit="按会议安排"),
                step("报送财政部门", "科长", "按财政要求", "报送资料完整"),
                step("预算执行分析与调整", "会计", "每月", "预算调整是否经过审批", risk=True),
            ],
        ),
        power(
            "资金支付审核",
            "internal_finance",
            INT,
            "审核各项支出的报销单据和支付申请，按审批权限办理资金支付。",
            "《会计基础工作规范》；本单位财务报销与审批权限规定。",
            ["科长", "会计", "出纳"],
            procedure="经办人填单→科室负责人审核→会计审核→按权限审批→出纳支付→记账。",
            limit="单据齐全后5个工作日内支付",
            duty="不相容岗位分离：审核、审批、支付、记账分别由不同人员负责。",
            steps=[
                step(
                    "经办人填写报销单",
                    responsible="经办人",
                    limit="业务发生后30日内",
                    checks="发票真实、事由清楚",
                ),
                step(
                    "科室负责人审核",
                    responsible="科室负责人",
                    limit="2个工作日",
                    checks="业务真实性",
                ),
                step("会计审核单据", "会计", "2个工作日", "发票真伪、标准、预算额度", risk=True),
                step("按权限审批", "科长", "2个工作日", "5000元以下科长审批，以上报分管领导"),
                step(
                    "分管领导审批（限额以上）",
                    responsible="分管领导",
                    limit="2个工作日",
                    checks="大额支出是否经集体研究",
                ),
                step("出纳办理支付", "出纳", "1个工作日", "收款账户与合同、发票一致", risk=True),
                step("会计记账与凭证归档", "会计", "当月", "凭证连续编号"),
            ],
        ),
        power(
            "政府采购",
            "internal_assets",
            INT,
            "组织本单位货物、工程和服务的政府采购，办理采购计划备案、采购实施、合同签订和履约验收。",
            "《中华人民共和国政府采购法》及其实施条例；《政府采购货物和服务招标投标管理办法》。",
            ["科长", "资产管理员"],
            procedure="采购需求→采购计划备案→确定采购方式→组织采购→确定供应商→签订合同→履约验收→支付。",
            limit="按政府采购法定时限",
            duty="不得化整为零规避公开招标，不得设置排他性条件。",
            steps=[
                step(
                    "使用科室提出采购需求",
                    responsible="使用科室",
                    limit="按预算安排",
                    checks="需求是否有指向性",
                ),
                step("审核采购需求与预算", "科长", "3个工作日", "是否设置排他性条款", risk=True),
                step("采购计划备案", "资产管理员", "2个工作日", "采购目录、限额标准"),
                step(
                    "确定采购方式",
                    responsible="主任办公会",
                    limit="按会议安排",
                    checks="是否化整为零规避公开招标",
                    risk=True,
                ),
                step("委托代理机构组织采购", "资产管理员", "按法定时限", "代理机构选择程序"),
                step(
                    "评审并确定供应商",
                    responsible="评审委员会",
                    limit="按采购文件",
                    checks="专家随机抽取、评审过程录像",
                    risk=True,
                ),
                step("签订采购合同", "科长", "中标通知后30日内", "合同条款与采购文件一致"),
                step("履约验收", "资产管理员", "到货或完工后", "验收与采购人员分离", risk=True),
            ],
        ),
        power(
            "固定资产处置",
            "internal_assets",
            INT,
            "办理固定资产的报废、调拨、出售等处置事项。",
            "《行政事业性国有资产管理条例》；本单位国有资产管理办法。",
            ["资产管理员", "科长"],
            limit="按财政部门审批时限",
            steps=[
                step(
                    "使用科室提出处置申请",
                    responsible="使用科室",
                    limit="随时",
                    checks="资产状况说明",
                ),
                step("资产管理员核实", "资产管理员", "3个工作日", "账、卡、物是否一致"),
                step(
                    "技术鉴定或评估",
                    responsible="第三方机构",
                    limit="10个工作日",
                    checks="评估机构选择是否公开",
                    risk=True,
                ),
                step("主任办公会研究", responsible="主任办公会", limit="按会议安排"),
                step("报财政部门审批或备案", "科长", "按规定", "审批权限"),
                step("公开处置并核销", "资产管理员", "按批复", "处置收入及时足额上缴", risk=True),
            ],
        ),
        power(
            "银行账户与现金管理",
            "internal_finance",
            INT,
            "管理单位银行账户、现金和票据，定期对账。",
            "《现金管理暂行条例》；《人民币银行结算账户管理办法》。",
            ["出纳", "会计"],
            limit="每月对账",
        ),
    ],
    "FWZX": [
        power(
            "招商推介会会务采购",
            "internal_assets",
            INT,
            "采购招商推介会、展会所需的场地、搭建、物料、宣传和会务服务。",
            "《中华人民共和国政府采购法》；本单位会议活动经费管理办法。",
            ["会务采购", "中心主任"],
            procedure="活动方案→预算审核→采购方式确定→询价或比选→签订合同→验收→结算。",
            limit="活动举办前20个工作日启动",
            duty="严格控制会议规模和标准；供应商比选过程留痕。",
            steps=[
                step("制定活动方案和预算", "招商服务专员", "活动前30日", "规模、标准是否符合规定"),
                step("中心主任审核", "中心主任", "2个工作日", "预算是否超标"),
                step("确定采购方式", "会务采购", "2个工作日", "是否拆分规避政府采购", risk=True),
                step(
                    "询价或比选供应商",
                    "会务采购",
                    "5个工作日",
                    "不少于三家，报价记录留存",
                    risk=True,
                ),
                step("签订服务合同", "中心主任", "3个工作日", "合同价款与比选结果一致"),
                step("现场服务监督", "招商服务专员", "活动期间", "服务内容与合同一致"),
                step(
                    "验收并确认工作量",
                    "综合管理",
                    "活动后3个工作日",
                    "验收人与采购人分离",
                    risk=True,
                ),
                step("办理结算", "综合管理", "10个工作日", "发票、验收单、合同齐全"),
            ],
        ),
        power(
            "合同管理",
            "internal_finance",
            INT,
            "对中心对外签订的各类合同进行起草审查、签订、履行跟踪和归档管理。",
            "《中华人民共和国民法典》合同编；本单位合同管理办法。",
            ["综合管理", "中心主任"],
            limit="合同签订前5个工作日送审",
            steps=[
                step(
                    "承办人起草合同",
                    responsible="承办人",
                    limit="按业务需要",
                    checks="采用示范文本",
                ),
                step(
                    "综合管理岗审查", "综合管理", "3个工作日", "价款、付款条件、违约责任", risk=True
                ),
                step("法律顾问审核", responsible="法律顾问", limit="3个工作日"),
                step("中心主任签订", "中心主任", "2个工作日", "授权范围"),
                step("履行跟踪", "综合管理", "合同期内", "付款与履约进度对应"),
                step("合同归档", "综合管理", "签订后5个工作日", "编号、台账"),
            ],
        ),
        power(
            "中心财务报销初审",
            "internal_finance",
            INT,
            "对中心各项费用报销单据进行初审后送计划财务科。",
            "本单位财务报销与审批权限规定。",
            ["综合管理"],
            limit="单据收到后3个工作日",
            steps=[
                step("收取报销单据", "综合管理", "随时", "单据粘贴规范"),
                step(
                    "初审发票和附件",
                    "综合管理",
                    "2个工作日",
                    "发票真伪、会议和培训费附件齐全",
                    risk=True,
                ),
                step("中心主任签批", "中心主任", "1个工作日", "支出必要性"),
                step("送计划财务科审核", "JHCW:会计", "按财务流程"),
            ],
        ),
        power(
            "招商推介活动策划与组织",
            "internal_projects",
            INT,
            "策划和组织年度招商推介活动、项目签约仪式。",
            "本单位年度招商工作计划。",
            ["招商服务专员", "中心主任"],
            limit="按年度活动计划",
        ),
        power(
            "展会参展企业遴选",
            "other_admin",
            EXT,
            "组织本区企业参加对外招商展会时，公开征集并遴选参展企业，安排展位。",
            "本单位展会活动组织管理办法。",
            ["招商服务专员"],
            limit="展会前30日发布征集通知",
            publicity=PUBLIC,
            steps=[
                step("发布征集通知", "招商服务专员", "展会前30日", "通知公开发布"),
                step("企业报名", responsible="报名企业", limit="10个工作日"),
                step(
                    "按条件遴选",
                    "招商服务专员",
                    "3个工作日",
                    "遴选条件是否公开、是否优亲厚友",
                    risk=True,
                ),
                step("中心主任审定并公布名单", "中心主任", "2个工作日", "遴选记录"),
            ],
        ),
    ],
}

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


def _campaign(context):
    campaign = context.get("campaign")
    if campaign is None and context.get("unit") is not None:
        campaign = Campaign.objects.filter(unit=context["unit"], title=CAMPAIGN_TITLE).first()
    return campaign


def _post(posts, section_code, name):
    if name and ":" in name:
        section_code, name = name.split(":", 1)
    return posts.get((section_code, name)) if name else None


def _add_power(campaign, catalogue, section, spec, posts, categories, by):
    sequence, code = services.next_code(campaign, section)
    item = Power.objects.create(
        campaign=campaign,
        catalogue=catalogue,
        section=section,
        code=code,
        sequence=sequence,
        name=spec["name"],
        category=categories[spec["category"]],
        direction=spec["direction"],
        content=spec["content"],
        legal_basis=spec["legal_basis"],
        procedure=spec["procedure"],
        time_limit=spec["time_limit"],
        responsibility=spec["responsibility"],
        supervision_channel=SUPERVISION,
        publicity=spec["publicity"],
        unpublished_reason=spec["unpublished_reason"],
        created_by=by,
    )
    item.posts.set([_post(posts, section.code, name) for name in spec["posts"]])
    for position, row in enumerate(spec["steps"], start=1):
        _add_step(item, position, row, posts, section)
    return item


def _add_step(item, position, row, posts, section):
    name, post, responsible, limit, checks, risk = row
    return PowerStep.objects.create(
        power=item,
        position=position,
        name=name,
        post=_post(posts, section.code, post),
        responsible=responsible,
        time_limit=limit,
        checks=checks,
        is_risk=risk,
    )


def _decide(catalogue, *, approve=True, reason=""):
    """The open step's reviewer (the office head when among them) decides."""
    step = approvals.open_step_for(catalogue)
    if step is None:
        return
    reviewers = list(step.assignees.all())
    reviewer = next((p for p in reviewers if p.username == "bangongshi"), reviewers[0])
    if approve:
        approvals.approve(step.pk, reviewer, opinion="经审核，职权梳理完整，依据准确，同意。")
    else:
        approvals.return_for_changes(step.pk, reviewer, reason=reason)


def _approve_fully(catalogue, by):
    services.submit_catalogue(catalogue, by)
    for _ in range(5):
        catalogue.refresh_from_db()
        if catalogue.status != Catalogue.Status.IN_REVIEW:
            break
        _decide(catalogue)


def _revise(catalogue, head, change, posts, categories):
    campaign, section = catalogue.campaign, catalogue.section
    catalogue = services.open_revision(catalogue, head)
    item = catalogue.powers.get(code=change["code"])
    if "time_limit" in change:
        item.time_limit = change["time_limit"]
    if "responsibility" in change:
        item.responsibility = change["responsibility"]
    item.save()
    if "new_step" in change:
        after = item.steps.get(name=change["new_step_after"]).position
        for later in item.steps.filter(position__gt=after).order_by("-position"):
            later.position += 1
            later.save(update_fields=["position"])
        _add_step(item, after + 1, change["new_step"], posts, section)
    _add_power(campaign, catalogue, section, change["added"], posts, categories, head)
    return catalogue


@transaction.atomic
def load(context):
    campaign = _campaign(context)
    if campaign is None or campaign.is_closed:
        return context
    sections, posts = context["sections"], context["posts"]
    categories = {c.code: c for c in services.ensure_categories(campaign)}
    for code, specs in CATALOGUES.items():
        section = sections[code]
        if Catalogue.objects.filter(campaign=campaign, section=section).exists():
            continue
        head = section.head
        catalogue = services.catalogue_for(campaign, section)
        catalogue.campaign, catalogue.section = campaign, section
        for spec in specs:
            _add_power(campaign, catalogue, section, spec, posts, categories, head)
        try:
            _review(PLAN[code], catalogue, head, posts, categories)
        except ReviewError:
            logger.warning(
                "demo: the %s catalogue could not go through review", code, exc_info=True
            )
    context["catalogues"] = {
        c.section.code: c
        for c in Catalogue.objects.filter(campaign=campaign).select_related("section")
    }
    return context


def _review(plan, catalogue, head, posts, categories):
    if plan == "approved":
        _approve_fully(catalogue, head)
    elif plan == "returned":
        services.submit_catalogue(catalogue, head)
        _decide(catalogue, approve=False, reason=RETURN_REASON)
    elif plan == "in_review":
        services.submit_catalogue(catalogue, head)
    elif plan == "approved_twice":
        _approve_fully(catalogue, head)
        catalogue = _revise(_fresh(catalogue), head, JHCW_REVISION, posts, categories)
        _approve_fully(catalogue, head)
    elif plan == "revising":
        _approve_fully(catalogue, head)
        _revise(_fresh(catalogue), head, XMFW_REVISION, posts, categories)


def _fresh(catalogue):
    campaign, section = catalogue.campaign, catalogue.section
    catalogue.refresh_from_db()
    catalogue.campaign, catalogue.section = campaign, section
    return catalogue


__all__ = ["CAMPAIGN_TITLE", "CATALOGUES", "load"]
