"""The demo unit's organisation: an invented investment-promotion office with
its service centre, shaped like the office in the first seed plan. Every name
here is made up.

``load(context)`` is idempotent: people, sections and posts are matched by
employee number and code, and a second run leaves every row as it was.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Post, Section, Unit, User
from .roles import GROUP_NAMES, Role

DEMO_PASSWORD = "lianfang2026"

UNIT = {
    "name": "江川区投资促进办公室",
    "short_name": "区投促办",
    "address": "江川区滨河路88号",
    "supervision_phone": "0571-8800 1234",
}

# code, name, kind, [(post name, key type, duties)]
SECTIONS = [
    (
        "BGS",
        "办公室",
        Section.Kind.INTERNAL,
        [
            (
                "办公室主任",
                Post.KeyType.PERSONNEL,
                "主持办公室工作，负责文电、人事、后勤和党风廉政建设日常工作。",
            ),
            ("人事干部", Post.KeyType.PERSONNEL, "干部人事档案、招录调配、考核评优和工资福利。"),
            ("文秘", Post.KeyType.NONE, "公文处理、会议组织、信息宣传。"),
            ("后勤与车辆管理", Post.KeyType.GOODS, "公务用车、办公用品采购与保管、接待安排。"),
        ],
    ),
    (
        "ZS1",
        "招商一科",
        Section.Kind.INTERNAL,
        [
            ("科长", Post.KeyType.APPROVAL, "组织内资项目招引，审核项目准入意见。"),
            ("项目招引专员", Post.KeyType.NONE, "联系客商，收集项目信息，组织项目洽谈。"),
            ("政策兑现经办", Post.KeyType.MONEY, "受理招商奖励和扶持资金申请，初审申报材料。"),
        ],
    ),
    (
        "ZS2",
        "招商二科",
        Section.Kind.INTERNAL,
        [
            ("科长", Post.KeyType.APPROVAL, "组织外资和总部经济项目招引，审核项目评估意见。"),
            ("外资项目专员", Post.KeyType.NONE, "外资项目对接、外事接待和出访安排。"),
            ("企业联络员", Post.KeyType.NONE, "重点企业走访，协调解决企业诉求。"),
        ],
    ),
    (
        "XMFW",
        "项目服务科",
        Section.Kind.INTERNAL,
        [
            ("科长", Post.KeyType.APPROVAL, "统筹项目落地服务，审核项目代办事项。"),
            ("项目审核员", Post.KeyType.APPROVAL, "项目准入材料审查、履约情况核查。"),
            ("代办服务员", Post.KeyType.NONE, "为企业代办注册、审批等手续。"),
        ],
    ),
    (
        "JHCW",
        "计划财务科",
        Section.Kind.INTERNAL,
        [
            ("科长", Post.KeyType.MONEY, "预算编制与执行、资金审核拨付、政府采购管理。"),
            ("会计", Post.KeyType.MONEY, "会计核算、报销审核、财务报表。"),
            ("出纳", Post.KeyType.MONEY, "现金和银行账户管理、资金支付。"),
            ("资产管理员", Post.KeyType.GOODS, "固定资产登记、盘点、处置。"),
        ],
    ),
    (
        "FWZX",
        "投资服务中心",
        Section.Kind.SUBORDINATE,
        [
            ("中心主任", Post.KeyType.APPROVAL, "主持中心工作，审批中心业务和开支。"),
            ("招商服务专员", Post.KeyType.NONE, "招商推介活动策划与组织。"),
            ("会务采购", Post.KeyType.GOODS, "推介会、展会的场地、物料和服务采购。"),
            ("综合管理", Post.KeyType.MONEY, "中心财务报销初审、合同管理。"),
        ],
    ),
]

# username, employee no, name, rank, section code or None, post name or None,
# title, roles, e-mail user part
PEOPLE = [
    (
        "zhuren",
        "JC001",
        "卫明远",
        User.Rank.LEADER,
        None,
        None,
        "党组书记、主任",
        [Role.LEADING_GROUP, Role.PARTY_COMMITTEE],
    ),
    (
        "fenguan",
        "JC002",
        "孔晓岚",
        User.Rank.LEADER,
        None,
        None,
        "党组成员、副主任",
        [Role.LEADING_GROUP, Role.PARTY_COMMITTEE],
    ),
    (
        "fuzhuren2",
        "JC003",
        "程立军",
        User.Rank.LEADER,
        None,
        None,
        "党组成员、副主任",
        [Role.LEADING_GROUP, Role.PARTY_COMMITTEE],
    ),
    ("diaoyan", "JC004", "严志诚", User.Rank.LEADER, None, None, "副调研员", [Role.LEADING_GROUP]),
    (
        "jijian",
        "JC005",
        "鲁文静",
        User.Rank.LEADER,
        None,
        None,
        "党组成员、纪检组长",
        [Role.LEADING_GROUP, Role.PARTY_COMMITTEE, Role.DISCIPLINE],
    ),
    # 办公室
    (
        "bangongshi",
        "JC101",
        "骆嘉禾",
        User.Rank.MIDDLE,
        "BGS",
        "办公室主任",
        "办公室主任",
        [Role.OFFICE_HEAD, Role.LEADING_GROUP],
    ),
    ("jc102", "JC102", "温若晴", User.Rank.GENERAL, "BGS", "人事干部", "科员", [Role.OFFICE]),
    ("jc103", "JC103", "钱少峰", User.Rank.GENERAL, "BGS", "文秘", "科员", []),
    ("jc104", "JC104", "傅敏杰", User.Rank.GENERAL, "BGS", "后勤与车辆管理", "科员", []),
    ("jc105", "JC105", "方可欣", User.Rank.GENERAL, "BGS", "文秘", "科员", [Role.OFFICE]),
    # 招商一科
    ("kezhang", "JC201", "石向东", User.Rank.MIDDLE, "ZS1", "科长", "科长", [Role.LEADING_GROUP]),
    ("keyuan", "JC202", "苏晓雨", User.Rank.GENERAL, "ZS1", "项目招引专员", "科员", []),
    ("jc203", "JC203", "贺文涛", User.Rank.GENERAL, "ZS1", "政策兑现经办", "科员", []),
    ("jc204", "JC204", "邵一帆", User.Rank.GENERAL, "ZS1", "项目招引专员", "科员", []),
    ("jc205", "JC205", "蔡佳宁", User.Rank.GENERAL, "ZS1", "项目招引专员", "科员", []),
    ("jc206", "JC206", "潘子谦", User.Rank.MIDDLE, "ZS1", "科长", "副科长", []),
    # 招商二科
    ("jc301", "JC301", "金海宁", User.Rank.MIDDLE, "ZS2", "科长", "科长", [Role.LEADING_GROUP]),
    ("jc302", "JC302", "陶语桐", User.Rank.GENERAL, "ZS2", "外资项目专员", "科员", []),
    ("jc303", "JC303", "龚振宇", User.Rank.GENERAL, "ZS2", "企业联络员", "科员", []),
    ("jc304", "JC304", "韦思远", User.Rank.GENERAL, "ZS2", "外资项目专员", "科员", []),
    ("jc305", "JC305", "黎书瑶", User.Rank.GENERAL, "ZS2", "企业联络员", "科员", []),
    # 项目服务科
    ("jc401", "JC401", "汤立新", User.Rank.MIDDLE, "XMFW", "科长", "科长", [Role.LEADING_GROUP]),
    ("jc402", "JC402", "薛明哲", User.Rank.GENERAL, "XMFW", "项目审核员", "科员", []),
    ("jc403", "JC403", "尹春燕", User.Rank.GENERAL, "XMFW", "代办服务员", "科员", []),
    ("jc404", "JC404", "戴宏伟", User.Rank.GENERAL, "XMFW", "代办服务员", "科员", []),
    ("jc405", "JC405", "柏雨萱", User.Rank.GENERAL, "XMFW", "项目审核员", "科员", []),
    # 计划财务科
    ("jc501", "JC501", "谭秋实", User.Rank.MIDDLE, "JHCW", "科长", "科长", [Role.LEADING_GROUP]),
    ("jc502", "JC502", "洪雅琴", User.Rank.GENERAL, "JHCW", "会计", "科员", []),
    ("jc503", "JC503", "俞泽川", User.Rank.GENERAL, "JHCW", "出纳", "科员", []),
    ("jc504", "JC504", "葛晨曦", User.Rank.GENERAL, "JHCW", "资产管理员", "科员", []),
    ("jc505", "JC505", "毛俊豪", User.Rank.GENERAL, "JHCW", "会计", "科员", []),
    # 投资服务中心
    (
        "jc601",
        "JC601",
        "鲍承志",
        User.Rank.MIDDLE,
        "FWZX",
        "中心主任",
        "中心主任",
        [Role.LEADING_GROUP],
    ),
    ("jc602", "JC602", "庞欣怡", User.Rank.MIDDLE, "FWZX", "中心主任", "中心副主任", []),
    ("jc603", "JC603", "裘志远", User.Rank.GENERAL, "FWZX", "招商服务专员", "科员", []),
    ("jc604", "JC604", "祁梦婷", User.Rank.GENERAL, "FWZX", "会务采购", "科员", []),
    ("jc605", "JC605", "骆子航", User.Rank.GENERAL, "FWZX", "综合管理", "科员", []),
    ("jc606", "JC606", "时雨辰", User.Rank.GENERAL, "FWZX", "招商服务专员", "科员", []),
    ("jc607", "JC607", "甘露", User.Rank.GENERAL, "FWZX", "招商服务专员", "科员", []),
    # The auditor from the district's audit team who reads the filed tables.
    ("shenji", "JC901", "郁清和", User.Rank.GENERAL, None, None, "审计人员", [Role.AUDITOR]),
]

HEADS = {
    "BGS": "bangongshi",
    "ZS1": "kezhang",
    "ZS2": "jc301",
    "XMFW": "jc401",
    "JHCW": "jc501",
    "FWZX": "jc601",
}
SUPERVISORS = {
    "BGS": ["diaoyan"],
    "JHCW": ["diaoyan"],
    "ZS1": ["fenguan"],
    "ZS2": ["fenguan"],
    "XMFW": ["fuzhuren2"],
    "FWZX": ["fuzhuren2"],
}

# The logins the README lists.
LOGINS = [
    ("admin", "系统管理员（管理后台）"),
    ("zhuren", "党组书记、主任：领导小组组长，党组审批"),
    ("bangongshi", "办公室主任：领导小组办公室主任，组织整个活动"),
    ("fenguan", "副主任：分管招商一科、招商二科"),
    ("kezhang", "招商一科科长：审核本科室登记表"),
    ("keyuan", "招商一科科员：填报个人风险点"),
    ("jijian", "纪检组长：预警、信访线索"),
    ("shenji", "审计人员：只读已审定的登记表并导出"),
]


@transaction.atomic
def load(context):
    unit, _ = Unit.objects.update_or_create(name=UNIT["name"], defaults=UNIT)
    context["unit"] = unit

    sections, posts = {}, {}
    for order, (code, name, kind, post_rows) in enumerate(SECTIONS, start=1):
        section, _ = Section.objects.update_or_create(
            unit=unit, code=code, defaults={"name": name, "kind": kind, "display_order": order * 10}
        )
        sections[code] = section
        for post_order, (post_name, key_type, duties) in enumerate(post_rows, start=1):
            post, _ = Post.objects.update_or_create(
                section=section,
                name=post_name,
                defaults={"key_type": key_type, "duties": duties, "display_order": post_order},
            )
            posts[(code, post_name)] = post

    groups = {role: Group.objects.get(name=GROUP_NAMES[role]) for role in Role}
    people = {}
    for username, number, name, rank, code, post_name, title, roles in PEOPLE:
        person, created = User.objects.update_or_create(
            employee_no=number,
            defaults={
                "username": username,
                "full_name": name,
                "rank": rank,
                "unit": unit,
                "section": sections.get(code),
                "post": posts.get((code, post_name)),
                "title": title,
                "email": f"{username.lower()}@demo.lianfang.local",
                "phone": f"0571-8800{number[-3:]}",
                "is_active": True,
            },
        )
        if created:
            person.set_password(DEMO_PASSWORD)
            person.save(update_fields=["password"])
        person.groups.set([groups[role] for role in roles])
        people[username] = person

    for code, username in HEADS.items():
        section = sections[code]
        if section.head_id != people[username].pk:
            section.head = people[username]
            section.save(update_fields=["head"])
    for code, usernames in SUPERVISORS.items():
        sections[code].supervising_leaders.set([people[u] for u in usernames])

    admin, created = User.objects.update_or_create(
        username="admin",
        defaults={
            "full_name": "系统管理员",
            "employee_no": None,
            "unit": unit,
            "is_staff": True,
            "is_superuser": True,
            "email": "admin@demo.lianfang.local",
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])

    context.update(sections=sections, posts=posts, people=people)
    return context
