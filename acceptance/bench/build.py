"""A synthetic city bureau for the benchmark.

:func:`build` writes, in the benchmark's own database, one unit shaped like
the bureaus of BRIEF §10: ``people`` staff in ``sections`` sections (every
tenth a subordinate unit) with six posts each, four of them key posts; a
leadership team that supervises the sections; the leading group and its
office; a running campaign in its grading stage (mobilisation, power listing
and finding risks done, with their milestones and two meetings); a power
catalogue per section with flowcharts; a personal filing for everyone and a
filing per section and for the unit, in every state — not started, being
filled in, submitted, in review, returned, approved — holding ``points`` risk
points with two measures each on average, graded as far as each filing got;
the reviews of those filings and catalogues as the approval engine leaves
them (steps, reviewers, the reviewers' object permissions, history lines);
``signals`` warning signals with warnings, disposals and deductions; the
publicity notices with feedback; the acceptance checklist and
rectifications; and an inbox for everyone.

Volume goes in with ``bulk_create``; a handful of each kind of thing then goes
through the real services (submitting and approving filings and catalogues,
recording signals, raising warnings, opening notices …) so that what the
engine writes is there as the engine writes it.

Everything is deterministic: the same sizes give the same unit. The people
the cases sign in as have fixed user names (:data:`NAMES`).
"""

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as clock

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from guardian.models import UserObjectPermission
from simple_history.utils import bulk_create_with_history

from accounts.models import Notification, Post, Section, Unit, User
from accounts.roles import GROUP_NAMES, Role
from campaign import approvals, planning
from campaign import services as campaign_services
from campaign.models import (
    AuditEntry,
    Campaign,
    ChainTemplate,
    FilerRank,
    LeadingGroupMember,
    Meeting,
    Milestone,
    Review,
    ReviewStep,
    Stage,
    StepRole,
    StudyConfirmation,
    StudyMaterial,
    Subject,
)
from earlywarnings import services as warning_services
from earlywarnings.models import (
    Deduction,
    Disposal,
    EarlyWarning,
    Holiday,
    Level,
    TargetKind,
    WarningPolicy,
    WarningSignal,
    YearlyScore,
)
from powers import services as power_services
from powers.models import Catalogue, Power, PowerStep
from publicity import services as publicity_services
from publicity.models import Feedback, NoticeRead, Window
from risks import services as risk_services
from risks.models import Filing, Measure, RiskPoint

from .. import services as acceptance_services
from ..models import Rectification

UNIT_NAME = "江城市综合行政执法局（性能基准）"
CAMPAIGN_TITLE = "廉政风险防控工作（性能基准）"
# Days since the campaign started: its grading stage runs (days 75–103).
CAMPAIGN_AGE = 85

# The people the cases sign in as.
NAMES = {
    "office": "bench-office",  # head of the leading-group office
    "secretary": "bench-secretary",  # party secretary, leads the leading group
    "discipline": "bench-discipline",  # discipline inspection
    "auditor": "bench-auditor",
    "head": "bench-head",  # head of the second section
    "staff": "bench-staff",  # general staff of that section, filling in a form
}

POSTS = [
    ("科长", Post.KeyType.APPROVAL),
    ("副科长", Post.KeyType.PERSONNEL),
    ("财务经办", Post.KeyType.MONEY),
    ("执法检查", Post.KeyType.ENFORCEMENT),
    ("业务经办", Post.KeyType.NONE),
    ("综合内勤", Post.KeyType.NONE),
]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "建国志强海燕晓明文静丽华国庆红梅立新秀英振华玉兰永刚桂芳明辉春生"

# Personal filing states, in a cycle of twenty (about 5 % not started, 10 %
# being filled in, 5 % returned, 10 % submitted, 10 % in review, 60 % approved).
STATE_CYCLE = (
    ["not_started", "drafting", "drafting", "returned"]
    + ["submitted"] * 2
    + ["in_review"] * 2
    + ["approved"] * 12
)
SECTION_STATE_CYCLE = ["drafting", "submitted", "in_review", "returned", "approved", "approved"]
RISK_TITLES = [
    "审批把关不严，违规办理许可",
    "执法检查中选择性执法、随意处罚",
    "收受管理对象礼品礼金",
    "资金拨付审核不严，虚报冒领",
    "物资采购中串通供应商抬高价格",
    "干部选任中说情打招呼",
    "泄露检查计划和举报人信息",
    "自由裁量权行使不规范",
    "合同签订未经集体研究",
    "公务接待超标准、虚列开支",
]
RISK_CONTENT = (
    "在受理、审核、决定等环节，可能因把关不严、标准不一或利益输送，"
    "对不符合条件的事项予以办理，或对符合条件的事项拖延刁难，造成不良影响。"
)
MEASURE_TEXTS = {
    Measure.Line.PREVENTION: "严格执行审批标准和流程，事项办理实行双人复核，全程留痕。",
    Measure.Line.MONITORING: "科室负责人每月抽查办理记录，纪检组季度专项检查。",
    Measure.Line.HANDLING: "发现问题立即纠正，按规定追究责任并向领导小组报告。",
}
LINE_SETS = [
    [Measure.Line.PREVENTION, Measure.Line.MONITORING, Measure.Line.HANDLING],
    [Measure.Line.PREVENTION, Measure.Line.MONITORING],
    [Measure.Line.PREVENTION],
]
# Days from today to a measure's deadline: reminder days and overdue ones among them.
MEASURE_DUE = [7, 3, 1, -1, -9, 20, 45, 60, None, 30]


@dataclass(frozen=True)
class Sizes:
    people: int = 3000
    sections: int = 120
    points: int = 30000
    signals: int | None = None

    @property
    def signal_count(self) -> int:
        return self.signals if self.signals is not None else max(10, self.people * 2 // 3)


@dataclass
class Bench:
    """What the cases need to find again (also in a kept database)."""

    unit: Unit
    campaign: Campaign
    people: dict  # NAMES key -> User
    section: Section  # the measured head's section
    staff_filing: Filing
    counts: dict = field(default_factory=dict)

    def __getattr__(self, name):
        people = self.__dict__.get("people", {})
        if name in people:
            return people[name]
        raise AttributeError(name)


def find() -> Bench | None:
    """The unit an earlier run built (``--keep`` then ``--reuse``), or None."""
    unit = Unit.objects.filter(name=UNIT_NAME).first()
    if unit is None:
        return None
    campaign = Campaign.objects.get(unit=unit, title=CAMPAIGN_TITLE)
    people = {key: User.objects.get(username=name) for key, name in NAMES.items()}
    staff_filing = Filing.objects.get(
        campaign=campaign, kind=Filing.Kind.PERSONAL, owner=people["staff"]
    )
    bench = Bench(
        unit=unit,
        campaign=campaign,
        people=people,
        section=people["head"].section,
        staff_filing=staff_filing,
    )
    bench.counts = counts(bench)
    return bench


def counts(bench) -> dict:
    campaign = bench.campaign
    return {
        "people": User.objects.filter(unit=bench.unit).count(),
        "sections": Section.objects.filter(unit=bench.unit).count(),
        "posts": Post.objects.filter(section__unit=bench.unit).count(),
        "filings": Filing.objects.filter(campaign=campaign).count(),
        "risk points": RiskPoint.objects.filter(campaign=campaign).count(),
        "measures": Measure.objects.filter(risk_point__campaign=campaign).count(),
        "reviews": Review.objects.filter(campaign=campaign).count(),
        "review steps": ReviewStep.objects.filter(review__campaign=campaign).count(),
        "powers": Power.objects.filter(campaign=campaign).count(),
        "signals": WarningSignal.objects.filter(unit=bench.unit).count(),
        "warnings": EarlyWarning.objects.filter(unit=bench.unit).count(),
        "notifications": Notification.objects.filter(recipient__unit=bench.unit).count(),
    }


class Builder:
    def __init__(self, sizes: Sizes, log=print):
        self.sizes = sizes
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.now()
        self._clock = time.perf_counter()

    def step(self, what):
        elapsed = time.perf_counter() - self._clock
        self.log(f"  {elapsed:6.1f} s  {what}")

    def at(self, days_ago, hour=10):
        day = self.today - timedelta(days=days_ago)
        return timezone.make_aware(datetime.combine(day, clock(hour, 0)))

    # -------------------------------------------------------------------------

    def build(self) -> Bench:
        self.organisation()
        self.step(f"organisation: {len(self.people)} people, {len(self.sections)} sections")
        self.campaign_plan()
        self.step("campaign, leading group, mobilisation")
        self.run_stages_until_risks()
        self.catalogues()
        self.step(f"catalogues: {len(self.powers)} powers with their flowcharts")
        self.personal_filings()
        self.start_risks_and_grading()
        self.step(f"filings: {len(self.filings)}")
        self.points_and_measures()
        self.step(f"risk points and measures: {self.point_count}, {self.measure_count}")
        self.bulk_reviews()
        self.step(f"reviews: {self.review_count} with {self.step_count} steps")
        self.through_services()
        self.step("a handful of filings and catalogues through the services")
        self.early_warning()
        self.step(f"signals: {self.sizes.signal_count}, warnings, disposals, deductions")
        self.publicity()
        self.step("publicity notices and feedback")
        self.acceptance()
        self.step("checklist, rectifications, self-assessment draft")
        self.inbox_and_history()
        self.step("inboxes and campaign history")
        self.analyse()
        self.step("VACUUM ANALYZE")
        bench = find()
        return bench

    # The organisation -----------------------------------------------------------

    def organisation(self):
        sizes = self.sizes
        self.unit = Unit.objects.create(
            name=UNIT_NAME, short_name="市执法局", supervision_phone="0571-8700 1234"
        )
        self.sections = Section.objects.bulk_create(
            Section(
                unit=self.unit,
                name="办公室" if i == 0 else f"第{i:03d}{'直属单位' if i % 10 == 9 else '科'}",
                code=f"S{i:03d}",
                kind=Section.Kind.SUBORDINATE if i % 10 == 9 else Section.Kind.INTERNAL,
                display_order=i,
            )
            for i in range(sizes.sections)
        )
        self.posts = Post.objects.bulk_create(
            Post(section=section, name=name, key_type=key, display_order=j, duties=f"{name}职责")
            for section in self.sections
            for j, (name, key) in enumerate(POSTS)
        )
        per = len(POSTS)
        leaders = max(2, min(12, sizes.people // 300))
        staffed = max(sizes.people - leaders - 1, len(self.sections) * 2)
        people = []

        def person(n, **fields):
            name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)]
            name += GIVEN[(n * 13 + 5) % len(GIVEN)]
            return User(
                username=f"bench-{n:05d}",
                employee_no=f"B{n:05d}",
                full_name=name,
                email=f"bench{n:05d}@bench.lianfang.local",
                password="!",
                unit=self.unit,
                **fields,
            )

        for n in range(leaders):
            people.append(person(n, rank=User.Rank.LEADER, title="局领导"))
        self.leaders = people[:leaders]
        self.heads, self.deputies = {}, {}
        for j in range(staffed):
            index, slot = j % len(self.sections), j // len(self.sections)
            section = self.sections[index]
            if slot < 2:
                rank, post = User.Rank.MIDDLE, self.posts[index * per + slot]
                title = "科长" if slot == 0 else "副科长"
            else:
                rank, title = User.Rank.GENERAL, "科员"
                post = self.posts[index * per + 2 + slot % (per - 2)]
            people.append(person(leaders + j, rank=rank, section=section, post=post, title=title))
        auditor = person(leaders + staffed, title="审计人员")
        people.append(auditor)
        self.people = User.objects.bulk_create(people, batch_size=2000)
        by_section = {}
        for p in self.people:
            if p.section_id:
                by_section.setdefault(p.section_id, []).append(p)
        self.members = by_section
        for section in self.sections:
            members = by_section[section.pk]
            section.head = members[0]
            self.heads[section.pk] = members[0]
            self.deputies[section.pk] = members[1]
        Section.objects.bulk_update(self.sections, ["head"])
        # Leaders 2… supervise the sections in turn (0 is the secretary, 1 discipline).
        supervisors = self.leaders[2:] or self.leaders
        self.supervisors = {
            section.pk: supervisors[i % len(supervisors)] for i, section in enumerate(self.sections)
        }
        Section.supervising_leaders.through.objects.bulk_create(
            Section.supervising_leaders.through(section_id=pk, user_id=leader.pk)
            for pk, leader in self.supervisors.items()
        )

        office_section = self.sections[0]
        self.office_head = by_section[office_section.pk][0]
        self.office_members = by_section[office_section.pk][2:5]
        self.secretary = self.leaders[0]
        self.discipline = self.leaders[1]
        self.auditor = self.people[-1]
        second = self.sections[1]
        self.head = by_section[second.pk][0]
        self.staff = by_section[second.pk][2]
        renames = [
            (self.office_head, NAMES["office"]),
            (self.secretary, NAMES["secretary"]),
            (self.discipline, NAMES["discipline"]),
            (self.auditor, NAMES["auditor"]),
            (self.head, NAMES["head"]),
            (self.staff, NAMES["staff"]),
        ]
        for user, username in renames:
            user.username = username
        User.objects.bulk_update([user for user, _name in renames], ["username"])

        groups = {role: Group.objects.get(name=GROUP_NAMES[role]) for role in Role}
        memberships = [(self.office_head, Role.OFFICE_HEAD), (self.office_head, Role.LEADING_GROUP)]
        memberships += [(p, Role.OFFICE) for p in self.office_members]
        for leader in self.leaders:
            memberships += [(leader, Role.LEADING_GROUP), (leader, Role.PARTY_COMMITTEE)]
        memberships += [(self.discipline, Role.DISCIPLINE), (self.auditor, Role.AUDITOR)]
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=user.pk, group_id=groups[role].pk)
            for user, role in memberships
        )
        self.party_committee = list(self.leaders)

    # The campaign ---------------------------------------------------------------

    def campaign_plan(self):
        office = self.office_head
        self.campaign = campaign_services.create_campaign(
            unit=self.unit,
            by=office,
            title=CAMPAIGN_TITLE,
            year=self.today.year,
            starts_on=self.today - timedelta(days=CAMPAIGN_AGE),
            basis_doc_no="江纪[2026]8号",
            basis_doc_title="关于深入开展廉政风险防控工作的通知",
            aims="建立覆盖全部职权和岗位的廉政风险防控体系，做到不漏项、不漏岗、不漏人。",
        )
        R = LeadingGroupMember.Role
        seats = {m.person_id: m for m in self.campaign.leading_group.all()}
        wanted = [(self.secretary, R.LEADER, "全面领导")]
        wanted += [(leader, R.DEPUTY, "分管科室的防控工作") for leader in self.leaders[2:4]]
        wanted += [(leader, R.MEMBER, "分管科室的防控工作") for leader in self.leaders[4:]]
        wanted += [(self.discipline, R.MEMBER, "监督检查，受理线索")]
        wanted += [(p, R.OFFICE_MEMBER, "汇总材料") for p in self.office_members]
        for order, (person, role, duty) in enumerate(wanted, start=2):
            campaign_services.save_leading_group_member(
                self.campaign,
                office,
                person=person,
                role=role,
                duty=duty,
                display_order=order,
                member=seats.get(person.pk),
            )
        self.materials = [
            planning.save_material(
                StudyMaterial(campaign=self.campaign, title=title, required=True), office
            )
            for title in ("上级纪委部署文件", "本单位实施方案", "风险点查找与填报说明")
        ]
        StudyConfirmation.objects.bulk_create(
            (
                StudyConfirmation(material=material, person=person)
                for n, person in enumerate(self.people)
                if n % 5 != 4
                for material in self.materials
            ),
            batch_size=5000,
        )
        start = self.campaign.starts_on
        planning.save_meeting(
            Meeting(
                campaign=self.campaign, held_on=start + timedelta(days=3), topic="领导小组会议"
            ),
            office,
            attendees=[p for p, _r, _d in wanted],
        )
        planning.save_meeting(
            Meeting(campaign=self.campaign, held_on=start + timedelta(days=12), topic="动员大会"),
            office,
            attendees=[p for n, p in enumerate(self.people) if n % 13 != 7],
        )
        self.stages = {stage.kind: stage for stage in self.campaign.stages.all()}

    def _finish_stage(self, kind):
        stage = self.stages[kind]
        for milestone in stage.milestones.all():
            campaign_services.set_milestone_done(milestone.pk, self.office_head)
        campaign_services.complete_stage(stage.pk, self.office_head, reason="遗留事项转入下一阶段")

    def run_stages_until_risks(self):
        office = self.office_head
        campaign_services.start_stage(self.stages[Stage.Kind.MOBILISE].pk, office)
        self._finish_stage(Stage.Kind.MOBILISE)
        campaign_services.start_stage(self.stages[Stage.Kind.POWERS].pk, office)

    def start_risks_and_grading(self):
        office = self.office_head
        self._finish_stage(Stage.Kind.POWERS)
        # ensure_filings (a receiver of stage_started) adds the section and unit filings.
        campaign_services.start_stage(self.stages[Stage.Kind.RISKS].pk, office)
        self._finish_stage(Stage.Kind.RISKS)
        campaign_services.start_stage(self.stages[Stage.Kind.GRADE].pk, office)
        # As if each stage had run on schedule rather than a moment ago.
        for stage in self.campaign.stages.all():
            if stage.status == Stage.Status.PENDING:
                continue
            started = self.at((self.today - stage.starts_on).days, 9)
            done = (
                self.at((self.today - stage.due_on).days, 17)
                if stage.status == Stage.Status.DONE
                else None
            )
            Stage.objects.filter(pk=stage.pk).update(started_at=started, completed_at=done)
            Milestone.objects.filter(stage=stage, done=True).update(done_at=done or started)
        self.filings = list(Filing.objects.filter(campaign=self.campaign).select_related("owner"))

    # Power catalogues --------------------------------------------------------------

    def catalogues(self):
        campaign = self.campaign
        categories = list(power_services.ensure_categories(campaign))
        # All approved but the few the services move below, and some still open.
        statuses = [Catalogue.Status.APPROVED] * 8 + [
            Catalogue.Status.IN_REVIEW,
            Catalogue.Status.DRAFT,
        ]
        self.catalogue_list = Catalogue.objects.bulk_create(
            Catalogue(
                campaign=campaign,
                section=section,
                status=statuses[i % len(statuses)] if i > 3 else Catalogue.Status.DRAFT,
                submitted_at=self.at(40) if i > 3 else None,
                approved_at=self.at(35)
                if i > 3 and statuses[i % len(statuses)] == Catalogue.Status.APPROVED
                else None,
            )
            for i, section in enumerate(self.sections)
        )
        posts_of = {}
        for post in self.posts:
            posts_of.setdefault(post.section_id, []).append(post)
        powers = []
        for i, catalogue in enumerate(self.catalogue_list):
            section = self.sections[i]
            for seq in range(1, 6):
                category = categories[(i + seq) % len(categories)]
                external = seq % 2 == 1
                powers.append(
                    Power(
                        campaign=campaign,
                        catalogue=catalogue,
                        section=section,
                        code=f"{section.code}-{seq:03d}",
                        sequence=seq,
                        name=f"{category.name}事项{seq}",
                        category=category,
                        content="依法对辖区内有关事项实施管理，受理申请、审查材料、作出决定并送达。",
                        legal_basis="《中华人民共和国行政许可法》；《中华人民共和国行政处罚法》。",
                        procedure="受理→审查→决定→送达→归档。",
                        time_limit="20个工作日",
                        responsibility="对审查意见和决定的合法性负责。",
                        supervision_channel="局纪检组；监督电话 0571-8700 1234",
                        publicity=Power.Publicity.PUBLIC if external else Power.Publicity.INTERNAL,
                        direction=Power.Direction.EXTERNAL
                        if external
                        else Power.Direction.INTERNAL,
                        created_by=self.heads[section.pk],
                    )
                )
        self.powers = Power.objects.bulk_create(powers, batch_size=2000)
        Power.posts.through.objects.bulk_create(
            (
                Power.posts.through(power_id=power.pk, post_id=post.pk)
                for n, power in enumerate(self.powers)
                for post in posts_of[power.section_id][(n % 3) : (n % 3) + 2]
            ),
            batch_size=5000,
        )
        steps = []
        for n, power in enumerate(self.powers):
            section_posts = posts_of[power.section_id]
            for position, name in enumerate(("受理", "审查", "决定", "送达归档"), start=1):
                steps.append(
                    PowerStep(
                        power=power,
                        position=position,
                        name=name,
                        post=section_posts[(n + position) % len(section_posts)]
                        if position != 3
                        else None,
                        responsible="局务会议" if position == 3 else "",
                        time_limit="5个工作日",
                        checks="材料齐全、符合法定条件",
                        is_risk=position in (2, 3),
                    )
                )
        self.power_steps = PowerStep.objects.bulk_create(steps, batch_size=5000)
        self.powers_of = {}
        for power in self.powers:
            self.powers_of.setdefault(power.section_id, []).append(power)
        self.risk_step_of = {step.power_id: step for step in self.power_steps if step.position == 2}

    # Filings ------------------------------------------------------------------------

    def personal_filings(self):
        filers = [p for p in self.people if p.section_id or p.rank == User.Rank.LEADER]
        self.person_state = {}
        filings = []
        for n, person in enumerate(filers):
            # People are laid out section by section in turn; the second term
            # gives each section a mix of states.
            state = STATE_CYCLE[(n + 7 * (n // len(self.sections))) % len(STATE_CYCLE)]
            if person.pk == self.staff.pk:
                state = "drafting"
            self.person_state[person.pk] = state
            filings.append(
                Filing(
                    campaign=self.campaign,
                    kind=Filing.Kind.PERSONAL,
                    owner=person,
                    section_id=person.section_id,
                    post_id=person.post_id,
                    rank=person.rank,
                    status=FILING_STATUS[state],
                    started_at=None if state == "not_started" else self.at(20 + n % 10),
                    submitted_at=self.at(8 + n % 7) if state in SUBMITTED_STATES else None,
                    approved_at=self.at(1 + n % 5) if state == "approved" else None,
                    version=0 if state == "not_started" else 1 + n % 4,
                )
            )
        Filing.objects.bulk_create(filings, batch_size=2000)

    def points_and_measures(self):
        campaign = self.campaign
        levels = {level.rank: level for level in campaign.grade_levels.all()}
        self.levels = levels
        categories = list(campaign.risk_categories.all())
        personal = [f for f in self.filings if f.kind == Filing.Kind.PERSONAL]
        sections = [f for f in self.filings if f.kind == Filing.Kind.SECTION]
        unit_filing = next(f for f in self.filings if f.kind == Filing.Kind.UNIT)
        # Section filings and the unit filing: their states, set before the points.
        self.collective_state = {}
        for n, filing in enumerate(sections):
            state = SECTION_STATE_CYCLE[n % len(SECTION_STATE_CYCLE)]
            self.collective_state[filing.pk] = state
            filing.status = FILING_STATUS[state]
            filing.started_at = self.at(15)
            filing.section_meeting_on = self.today - timedelta(days=16)
            filing.submitted_at = self.at(9) if state in SUBMITTED_STATES else None
            filing.approved_at = self.at(2) if state == "approved" else None
        unit_filing.started_at = self.at(12)
        self.collective_state[unit_filing.pk] = "drafting"
        Filing.objects.bulk_update(
            [*sections, unit_filing],
            ["status", "started_at", "section_meeting_on", "submitted_at", "approved_at"],
        )

        budget = self.sizes.points
        per_section = 2 if budget >= 20 * len(sections) else 0
        share = {f.pk: per_section for f in sections}
        share[unit_filing.pk] = min(5, budget // 100)
        budget -= sum(share.values())
        started = [f for f in personal if self.person_state[f.owner_id] != "not_started"]
        base, extra = divmod(max(budget, 0), max(len(started), 1))
        for n, filing in enumerate(started):
            share[filing.pk] = base + (1 if n >= len(started) - extra else 0)
        staff_filing = next(f for f in personal if f.owner_id == self.staff.pk)
        share[staff_filing.pk] = 10

        state_of = {f.pk: self.person_state.get(f.owner_id) for f in personal}
        state_of.update(self.collective_state)
        points = []
        n = 0
        for filing in self.filings:
            state = state_of.get(filing.pk)
            section_id = filing.section_id
            for position in range(1, share.get(filing.pk, 0) + 1):
                self_rank = (1, 2, 2, 3, 3, 2, 3, 1, 2, 3)[n % 10]
                reviewed = final = None
                if state in ("in_review", "approved"):
                    reviewed = levels[min(self_rank, 2) if n % 7 == 0 else self_rank]
                if state == "approved":
                    final = reviewed
                power = None
                if section_id and n % 3:
                    power = self.powers_of[section_id][n % 5]
                points.append(
                    RiskPoint(
                        filing=filing,
                        campaign=campaign,
                        position=position,
                        category=categories[n % len(categories)],
                        title=f"{RISK_TITLES[n % len(RISK_TITLES)]}（{position}）",
                        content=RISK_CONTENT,
                        power=power,
                        power_step=self.risk_step_of.get(power.pk) if power and n % 2 else None,
                        found_by=[["self"], ["self", "colleagues"], ["leaders"]][n % 3],
                        likelihood=1 + n % 3,
                        harm=1 + (n // 3) % 3,
                        importance=1 + (n // 2) % 3,
                        discretion=1 + (n // 5) % 3,
                        money=1 + (n // 7) % 3,
                        frequency=2,
                        concealment=1 + (n // 11) % 3,
                        accountability=1 + (n // 13) % 3,
                        self_grade=levels[self_rank],
                        reviewed_grade=reviewed,
                        reviewed_by=self.heads.get(section_id) if reviewed else None,
                        final_grade=final,
                        final_by=self.secretary if final else None,
                    )
                )
                n += 1
        # With their history rows, as saving through the form leaves them.
        self.points = bulk_create_with_history(
            points, RiskPoint, batch_size=2000, default_date=self.at(20)
        )
        self.point_count = len(self.points)
        owner_of = {}
        for filing in self.filings:
            if filing.kind == Filing.Kind.PERSONAL:
                owner_of[filing.pk] = filing.owner_id
            elif filing.kind == Filing.Kind.SECTION:
                owner_of[filing.pk] = self.heads[filing.section_id].pk
            else:
                owner_of[filing.pk] = self.office_head.pk
        statuses = [Measure.Status.PLANNED] * 5 + [Measure.Status.IN_PROGRESS] * 3
        statuses += [Measure.Status.DONE] * 2

        def measures():
            m = 0
            for k, point in enumerate(self.points):
                for line in LINE_SETS[k % len(LINE_SETS)]:
                    due = MEASURE_DUE[m % len(MEASURE_DUE)]
                    yield Measure(
                        risk_point=point,
                        line=line,
                        position=1,
                        text=MEASURE_TEXTS[line],
                        owner_id=owner_of[point.filing_id],
                        due_on=None if due is None else self.today + timedelta(days=due),
                        status=statuses[m % len(statuses)],
                        indicator="办理记录抽查比例不低于10%"
                        if line == Measure.Line.MONITORING
                        else "",
                    )
                    m += 1

        self.measure_count = len(
            bulk_create_with_history(
                list(measures()), Measure, batch_size=5000, default_date=self.at(20)
            )
        )
        self.staff_filing = staff_filing

    # Reviews as the engine leaves them -------------------------------------------------

    def _reviewers(self, role, filer_id, section_id):
        if role == StepRole.SECTION_HEAD:
            people = [self.heads[section_id]] if section_id else []
        elif role == StepRole.SUPERVISING_LEADER:
            people = [self.supervisors[section_id]] if section_id else []
        elif role == StepRole.OFFICE:
            people = self.office_people
        elif role == StepRole.LEADING_GROUP:
            people = self.group_deciders
        else:
            people = self.party_committee
        return [p for p in people if p.pk != filer_id]

    def bulk_reviews(self):
        campaign = self.campaign
        R = LeadingGroupMember.Role
        seats = list(campaign.leading_group.select_related("person"))
        self.office_people = [m.person for m in seats if m.role in LeadingGroupMember.OFFICE_ROLES]
        self.group_deciders = [
            m.person
            for m in seats
            if m.role in (R.LEADER, R.DEPUTY, *LeadingGroupMember.OFFICE_ROLES)
        ]
        chains = {}
        for template in ChainTemplate.objects.filter(campaign=campaign).prefetch_related("steps"):
            chains[(template.subject, template.filer_rank)] = (
                template,
                [step.role for step in template.steps.all()],
            )

        def chain(subject, rank):
            return chains.get((subject, rank)) or chains[(subject, FilerRank.ANY)]

        filing_type = ContentType.objects.get_for_model(Filing)
        catalogue_type = ContentType.objects.get_for_model(Catalogue)
        items = []
        for n, filing in enumerate(self.filings):
            if filing.kind == Filing.Kind.PERSONAL:
                state = self.person_state[filing.owner_id]
                template, roles = chain(Subject.PERSONAL, filing.rank)
                filer_id = filing.owner_id
            elif filing.kind == Filing.Kind.SECTION:
                state = self.collective_state[filing.pk]
                template, roles = chain(Subject.SECTION, FilerRank.ANY)
                filer_id = self.heads[filing.section_id].pk
            else:
                continue
            if state not in SUBMITTED_STATES:
                continue
            subject_kind = (
                Subject.PERSONAL if filing.kind == Filing.Kind.PERSONAL else Subject.SECTION
            )
            items.append(
                (
                    filing,
                    filing_type,
                    subject_kind,
                    template,
                    roles,
                    filer_id,
                    filing.section_id,
                    state,
                    n,
                )
            )
        for n, catalogue in enumerate(self.catalogue_list):
            if catalogue.status not in (Catalogue.Status.IN_REVIEW, Catalogue.Status.APPROVED):
                continue
            template, roles = chain(Subject.CATALOGUE, FilerRank.ANY)
            state = "submitted" if catalogue.status == Catalogue.Status.IN_REVIEW else "approved"
            filer_id = self.heads[catalogue.section_id].pk
            items.append(
                (
                    catalogue,
                    catalogue_type,
                    Subject.CATALOGUE,
                    template,
                    roles,
                    filer_id,
                    catalogue.section_id,
                    state,
                    n,
                )
            )
        self._write_reviews(items)

    def _write_reviews(self, items):
        campaign = self.campaign
        reviews, plans, demoted = [], [], []
        for subject, content_type, kind, template, roles, filer_id, section_id, state, n in items:
            submitted = self.at(8 + n % 7, 9)
            reviewable = [r for r in roles if self._reviewers(r, filer_id, section_id)]
            if state == "in_review" and len(reviewable) < 2:
                # A one-step chain (the leadership team's) is never "in review".
                state = "submitted"
                demoted.append(subject)
            steps, opened = [], False
            decided_once = False
            for position, role in enumerate(roles, start=1):
                people = self._reviewers(role, filer_id, section_id)
                step = {"position": position, "role": role, "people": people}
                if opened:
                    step["status"] = ReviewStep.Status.WAITING
                elif not people:
                    step["status"] = ReviewStep.Status.SKIPPED
                    step["note"] = "该环节当前无人担任，自动跳过"
                elif state == "approved" or (state == "in_review" and not decided_once):
                    step["status"] = ReviewStep.Status.APPROVED
                    decided_once = True
                elif state == "returned":
                    step["status"] = ReviewStep.Status.RETURNED
                    opened = True
                else:
                    step["status"] = ReviewStep.Status.OPEN
                    opened = True
                steps.append(step)
            if state == "returned":
                for step in steps:
                    if step["status"] == ReviewStep.Status.WAITING:
                        step["status"] = ReviewStep.Status.SKIPPED
                        step["note"] = "已退回，本轮未到达"
            open_step = next((s for s in steps if s["status"] == ReviewStep.Status.OPEN), None)
            if state == "returned":
                status = Review.Status.RETURNED
            elif open_step is None:
                status = Review.Status.APPROVED
            else:
                status = Review.Status.IN_REVIEW
            reviews.append(
                Review(
                    campaign=campaign,
                    subject_kind=kind,
                    subject_type=content_type,
                    subject_id=subject.pk,
                    template=template,
                    filer_id=filer_id,
                    section_id=section_id,
                    status=status,
                    round=1,
                    current_position=open_step["position"] if open_step else None,
                    submitted_at=submitted,
                    finished_at=None if open_step else submitted + timedelta(days=3),
                )
            )
            plans.append((subject, content_type, steps, submitted, filer_id))
        reviews = Review.objects.bulk_create(reviews, batch_size=2000)
        for subject in demoted:
            subject.status = Filing.Status.SUBMITTED
        Filing.objects.bulk_update(demoted, ["status"])
        step_rows, step_people = [], []
        for review, (_subject, _ct, steps, submitted, _filer) in zip(reviews, plans, strict=True):
            for k, step in enumerate(steps):
                status = step["status"]
                reached = status != ReviewStep.Status.WAITING
                decided = status in (
                    ReviewStep.Status.APPROVED,
                    ReviewStep.Status.RETURNED,
                    ReviewStep.Status.SKIPPED,
                )
                opened_at = submitted + timedelta(days=k) if reached else None
                people = step["people"]
                step_rows.append(
                    ReviewStep(
                        review=review,
                        round=1,
                        position=step["position"],
                        role=step["role"],
                        status=status,
                        opened_at=opened_at,
                        decided_at=opened_at + timedelta(hours=20) if decided else None,
                        decided_by=people[0]
                        if status in (ReviewStep.Status.APPROVED, ReviewStep.Status.RETURNED)
                        else None,
                        opinion="同意。"
                        if status == ReviewStep.Status.APPROVED
                        else (
                            "请补充防控措施的责任人和完成时限。"
                            if status == ReviewStep.Status.RETURNED
                            else ""
                        ),
                        note=step.get("note", ""),
                    )
                )
                step_people.append(
                    people
                    if status
                    in (
                        ReviewStep.Status.OPEN,
                        ReviewStep.Status.APPROVED,
                        ReviewStep.Status.RETURNED,
                    )
                    else []
                )
        step_rows = ReviewStep.objects.bulk_create(step_rows, batch_size=5000)
        ReviewStep.assignees.through.objects.bulk_create(
            (
                ReviewStep.assignees.through(reviewstep_id=step.pk, user_id=person.pk)
                for step, people in zip(step_rows, step_people, strict=True)
                for person in people
            ),
            batch_size=5000,
        )
        step_type = ContentType.objects.get_for_model(ReviewStep)
        act = Permission.objects.get(content_type=step_type, codename=approvals.ACT)
        UserObjectPermission.objects.bulk_create(
            (
                UserObjectPermission(
                    user_id=person.pk,
                    permission=act,
                    content_type=step_type,
                    object_pk=str(step.pk),
                )
                for step, people in zip(step_rows, step_people, strict=True)
                if step.status == ReviewStep.Status.OPEN
                for person in people
            ),
            batch_size=5000,
        )
        entries = []
        for review, (subject, content_type, steps, submitted, filer_id) in zip(
            reviews, plans, strict=True
        ):
            entries.append(
                AuditEntry(
                    campaign=campaign,
                    actor_id=filer_id,
                    action="review.submitted",
                    summary=f"提交了 {review.get_subject_kind_display()}（第 1 次）",
                    target_type=content_type,
                    target_id=subject.pk,
                    at=submitted,
                )
            )
            for k, step in enumerate(steps):
                if step["status"] in (ReviewStep.Status.APPROVED, ReviewStep.Status.RETURNED):
                    approved = step["status"] == ReviewStep.Status.APPROVED
                    entries.append(
                        AuditEntry(
                            campaign=campaign,
                            actor_id=step["people"][0].pk,
                            action="review.step_approved" if approved else "review.returned",
                            summary=("同意 " if approved else "退回 ")
                            + review.get_subject_kind_display(),
                            target_type=content_type,
                            target_id=subject.pk,
                            at=submitted + timedelta(days=k, hours=20),
                        )
                    )
        AuditEntry.objects.bulk_create(entries, batch_size=5000)
        self.review_count = len(reviews)
        self.step_count = len(step_rows)

    # The real services, for a handful ------------------------------------------------------

    def through_services(self):
        office = self.office_head
        # Catalogues of sections 1–3: submitted by their heads, approved by the
        # head's step and the office, one returned by the office.
        for i in (1, 2, 3):
            catalogue = self.catalogue_list[i]
            catalogue.section = self.sections[i]
            catalogue.campaign = self.campaign
            head = self.heads[self.sections[i].pk]
            # The head files it, so the engine skips the head's own step.
            power_services.submit_catalogue(catalogue, head)
            step = approvals.open_step_for(catalogue)
            if i == 3:
                approvals.return_for_changes(step.pk, office, reason="请补充流程图的时限")
            else:
                approvals.approve(step.pk, office, opinion="审核通过")
        # Personal filings of section 2: submitted, one approved by the head,
        # one returned, one through the whole chain.
        section = self.sections[2]
        head = self.heads[section.pk]
        drafts = list(
            Filing.objects.filter(
                campaign=self.campaign,
                kind=Filing.Kind.PERSONAL,
                section=section,
                status=Filing.Status.DRAFT,
                started_at__isnull=False,
            )
            .exclude(owner=head)
            .select_related("owner")[:4]
        )
        for n, filing in enumerate(drafts):
            risk_services.submit_filing(filing.pk, filing.owner, ip="10.0.0.8")
            step = risk_services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)
            if n == 1:
                approvals.return_for_changes(step.pk, head, reason="风险点描述过于笼统")
            elif n >= 2:
                approvals.approve(step.pk, head, opinion="同意")
                if n == 3:
                    step = risk_services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)
                    approvals.approve(step.pk, office, opinion="领导小组研究同意")

    # Early warning ---------------------------------------------------------------------

    def early_warning(self):
        unit, office = self.unit, self.office_head
        WarningPolicy.for_unit(unit)
        Holiday.objects.create(unit=unit, date=self.today + timedelta(days=2), name="端午节")
        staff = [p for p in self.people if p.section_id]
        sources = list(WarningSignal.Source.values)
        statuses = [WarningSignal.Status.NEW] * 2 + [
            WarningSignal.Status.WARNED,
            WarningSignal.Status.FILED,
        ]
        signals = []
        for n in range(self.sizes.signal_count):
            person = staff[(n * 37) % len(staff)]
            source = sources[n % len(sources)]
            kind = [TargetKind.PERSON] * 14 + [TargetKind.POST] * 2 + [TargetKind.SECTION] * 3
            kind = (kind + [TargetKind.UNIT])[n % 20]
            signals.append(
                WarningSignal(
                    unit=unit,
                    target_kind=kind,
                    person=person if kind == TargetKind.PERSON else None,
                    post_id=person.post_id
                    if kind in (TargetKind.PERSON, TargetKind.POST)
                    else None,
                    section_id=person.section_id if kind != TargetKind.UNIT else None,
                    source=source,
                    title=f"{WarningSignal.Source(source).label}反映的问题（{n}）",
                    description="反映在办理有关事项中存在不规范情形，需要核实。",
                    received_on=self.today - timedelta(days=n % 300),
                    confidential=source in WarningSignal.CONFIDENTIAL_SOURCES or n % 17 == 0,
                    status=statuses[n % len(statuses)],
                    recorded_by=self.discipline if n % 2 else office,
                )
            )
        signals = WarningSignal.objects.bulk_create(signals, batch_size=2000)
        warned = [s for s in signals if s.status == WarningSignal.Status.WARNED]
        levels = [Level.D, Level.C, Level.C, Level.B, Level.A]
        warning_statuses = [EarlyWarning.Status.OPEN] * 2 + [
            EarlyWarning.Status.ANSWERED,
            EarlyWarning.Status.CLOSED,
        ]
        warnings = EarlyWarning.objects.bulk_create(
            (
                EarlyWarning(
                    unit=unit,
                    target_kind=s.target_kind,
                    person_id=s.person_id,
                    post_id=s.post_id,
                    section_id=s.section_id,
                    level=levels[n % len(levels)],
                    origin=EarlyWarning.Origin.MANUAL,
                    year=self.today.year,
                    signal=s,
                    title=f"关于{s.title}的预警",
                    message="请于答复期限前说明情况并提出整改措施。",
                    respond_by=self.today + timedelta(days=7 - n % 14),
                    status=warning_statuses[n % len(warning_statuses)],
                    raised_by=office,
                )
                for n, s in enumerate(warned)
            ),
            batch_size=2000,
        )
        kinds = list(Disposal.Kind.values)
        disposal_statuses = [Disposal.Status.PLANNED] * 2 + [
            Disposal.Status.REPORTED,
            Disposal.Status.EVALUATED,
            Disposal.Status.CLOSED,
        ]
        disposals = []
        for n, warning in enumerate(warnings):
            if n % 3 == 2:
                continue
            reporter = warning.person_id or self.heads.get(warning.section_id, office).pk
            disposals.append(
                Disposal(
                    warning=warning,
                    kind=kinds[n % len(kinds)],
                    responsible=self.discipline,
                    reporter_id=reporter,
                    due_on=self.today + timedelta(days=(3, 7, 1, -2, 15)[n % 5]),
                    status=disposal_statuses[n % len(disposal_statuses)],
                    created_by=office,
                )
            )
        Disposal.objects.bulk_create(disposals, batch_size=2000)
        # Deductions for some people, their yearly scores to match.
        policy = WarningPolicy.for_unit(unit)
        deductions, totals = [], {}
        for n in range(max(5, len(staff) // 20)):
            person = staff[(n * 53) % len(staff)]
            points = 1 + n % 4
            totals[person.pk] = totals.get(person.pk, 0) + points
            deductions.append(
                Deduction(
                    unit=unit,
                    person=person,
                    year=self.today.year,
                    points=points,
                    reason="未按规定报告个人有关事项",
                    recorded_by=office,
                )
            )
        Deduction.objects.bulk_create(deductions, batch_size=2000)
        YearlyScore.objects.bulk_create(
            YearlyScore(
                unit=unit,
                person_id=pk,
                year=self.today.year,
                base_points=policy.base_points,
                deducted=total,
                level=policy.level_for(total),
            )
            for pk, total in totals.items()
        )
        # Through the services: a signal about the measured staff member, a
        # warning from it with a disposal, and a deduction.
        signal = warning_services.record_signal(
            self.discipline,
            source=WarningSignal.Source.INSPECTION,
            title="监督检查发现执法记录不完整",
            description="抽查发现部分执法记录未按规定归档。",
            received_on=self.today - timedelta(days=3),
            person=self.staff,
        )
        warning = warning_services.raise_warning(
            office,
            level=Level.C,
            title="执法记录不完整的预警",
            message="请说明情况并整改。",
            respond_by=self.today + timedelta(days=7),
            person=self.staff,
            signal=signal,
        )
        warning_services.add_disposal(
            warning.pk,
            office,
            kind=Disposal.Kind.REMINDER_TALK,
            responsible=self.head,
            reporter=self.staff,
            due_on=self.today + timedelta(days=3),
        )
        warning_services.deduct(
            self.staff, office, points=2, reason="执法记录未按规定归档", signal=signal
        )

    # Publicity -------------------------------------------------------------------------

    def publicity(self):
        office, campaign = self.office_head, self.campaign
        register = publicity_services.open_window(campaign, office, scope=Window.Scope.REGISTER)
        publicity_services.open_window(
            campaign, office, scope=Window.Scope.SECTION, section=self.sections[1]
        )
        publicity_services.open_window(campaign, office, scope=Window.Scope.POWERS, public=True)
        ended = []
        for n, section in enumerate(self.sections[2:32]):
            starts = self.at(60 - n, 9)
            ended.append(
                Window(
                    campaign=campaign,
                    scope=Window.Scope.SECTION,
                    section=section,
                    title=f"关于{section.name}廉政风险点和防控措施的公示",
                    starts_at=starts,
                    ends_at=starts + timedelta(days=7),
                    status=Window.Status.CLOSED,
                    opened_by=office,
                    opened_at=starts,
                    closed_at=starts + timedelta(days=7),
                )
            )
        Window.objects.bulk_create(ended)
        Feedback.objects.bulk_create(
            Feedback(
                window=register,
                channel=Feedback.Channel.INTERNAL,
                content="建议对执法检查环节的风险点补充监督措施。",
                answer="已转有关科室研究。" if n % 2 else "",
                answered_by=office if n % 2 else None,
                answered_at=self.now if n % 2 else None,
            )
            for n in range(100)
        )
        NoticeRead.objects.bulk_create(
            (
                NoticeRead(window=register, person=person)
                for n, person in enumerate(self.people)
                if n % 5 < 3
            ),
            batch_size=5000,
        )

    # Acceptance --------------------------------------------------------------------------

    def acceptance(self):
        campaign, office = self.campaign, self.office_head
        items = acceptance_services.ensure_checklist(campaign)
        statuses = list(Rectification.Status.values)
        rectifications = []
        for n, section in enumerate(self.sections * 2):
            owner = self.heads[section.pk]
            status = statuses[n % len(statuses)]
            rectifications.append(
                Rectification(
                    campaign=campaign,
                    item=items[n % len(items)] if items else None,
                    source="自查发现",
                    description=f"{section.name}部分风险点防控措施不具体（{n}）",
                    requirement="补充措施的责任人、完成时限和监测指标。",
                    section=section,
                    owner=owner,
                    due_on=self.today + timedelta(days=(14, -3, 30)[n % 3]),
                    status=status,
                    report="已补充完善。" if status != Rectification.Status.OPEN else "",
                    reported_at=self.now if status != Rectification.Status.OPEN else None,
                    created_by=office,
                )
            )
        Rectification.objects.bulk_create(rectifications, batch_size=2000)
        acceptance_services.create_rectification(
            campaign,
            office,
            description="执法检查风险点的中期监控措施缺少监测指标",
            owner=self.head,
            due_on=self.today + timedelta(days=20),
            section=self.sections[1],
        )
        acceptance_services.generate_draft(campaign, office)

    # Inboxes and history ---------------------------------------------------------------------

    def inbox_and_history(self):
        kinds = list(Notification.Kind.values)
        notes = []
        for n, person in enumerate(self.people):
            for k in range(8):
                notes.append(
                    Notification(
                        recipient=person,
                        kind=kinds[(n + k) % len(kinds)],
                        title=f"通知：请按时完成廉政风险防控工作（{k + 1}）",
                        body="详见活动安排。",
                        url=f"/campaigns/{self.campaign.pk}/",
                        read_at=self.now if k < 5 else None,
                    )
                )
        for k in range(200):
            notes.append(
                Notification(
                    recipient=self.staff,
                    kind=kinds[k % len(kinds)],
                    title=f"防控措施到期提醒（{k + 1}）",
                    body="",
                    url="",
                    read_at=self.now if k % 3 else None,
                )
            )
        Notification.objects.bulk_create(notes, batch_size=5000)
        AuditEntry.objects.bulk_create(
            (
                AuditEntry(
                    campaign=self.campaign,
                    actor=self.people[(n * 7) % len(self.people)],
                    action="filing.saved",
                    summary="保存了个人岗位风险点登记表",
                    at=self.at(n % 40, 8 + n % 10),
                )
                for n in range(self.sizes.people * 3)
            ),
            batch_size=5000,
        )

    @staticmethod
    def analyse():
        # As autovacuum would have done by the time anyone works with the data.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


SUBMITTED_STATES = ("submitted", "in_review", "returned", "approved")
FILING_STATUS = {
    "not_started": Filing.Status.DRAFT,
    "drafting": Filing.Status.DRAFT,
    "submitted": Filing.Status.SUBMITTED,
    "in_review": Filing.Status.IN_REVIEW,
    "returned": Filing.Status.RETURNED,
    "approved": Filing.Status.APPROVED,
}


def build(sizes: Sizes, log=print) -> Bench:
    return Builder(sizes, log).build()


__all__ = ["NAMES", "Bench", "Sizes", "build", "find"]
