"""The world the security checks run in, built once per test module.

Two units. "Ours" runs a campaign that holds a bit of everything: an
approved catalogue of powers with flowcharts and one at the office's review
step, filings in several states with a review open, evidence, meetings and
study materials with files, signals (one a confidential petition about a
member of staff, with an attachment), warnings, disposals, a deduction,
publicity windows (one with a public link) with feedback, a rectification.
"Theirs" is another unit with its own running campaign, whose office head
(also its discipline inspector) is the outsider.

Nearly every text people type carries markup (:data:`XSS`), and some start
with a spreadsheet formula trigger (:data:`FORMULAS`), so that every page
and export the checks open shows whether they are escaped.
"""

from datetime import date, timedelta
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from accounts.models import Notification, User
from accounts.roles import GROUP_NAMES, Role
from campaign import approvals, ical, planning
from campaign.models import (
    Campaign,
    LeadingGroupMember,
    Meeting,
    ReviewStep,
    Stage,
    StepRole,
    StudyMaterial,
)
from campaign.services import save_leading_group_member, start_stage
from earlywarnings import services as warnings
from earlywarnings.models import Disposal, Holiday, Level, WarningSignal
from powers import services as powers
from powers.models import Catalogue, Power
from publicity import services as publicity
from publicity.models import Feedback, Window
from risks import services as risks
from risks import uploads as evidence
from risks.models import Filing, Measure, RiskPoint
from tests.factories import (
    CampaignFactory,
    CatalogueFactory,
    PostFactory,
    PowerFactory,
    PowerStepFactory,
    SectionFactory,
    UnitFactory,
    UserFactory,
)

# Markup typed by a person: must always come back escaped (or as text).
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
XSS = f"{SCRIPT}{IMG}"
# What must never appear raw in a page; the escaped forms prove the text is shown.
RAW_MARKERS = ("<script>alert(1)", "<img src=x onerror")
ESCAPED_MARKERS = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")

# Cell texts a spreadsheet would take for a formula.
FORMULAS = ("=1+2", "+2+3", "-4+5", "@SUM(1,2)")

# The confidential petition: none of this may reach anyone but discipline
# inspection and the office head.
SECRET_TITLE = "来信反映出纳公款私存"
SECRET_TEXT = "匿名来信附转账截图三张"
SECRET_FILE = "举报截图.txt"
SECRET_WARNING = "资金入账规范提醒"  # the warning raised from it is not secret itself

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"

# Every role the checks sign in as.
ROLES = (
    "anonymous",
    "outsider",
    "staff",
    "head",
    "supervisor",
    "office",
    "office_head",
    "leading_group",
    "committee",
    "discipline",
    "auditor",
    "superuser",
)


def pdf(name="文件.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _grant(user, *roles):
    user.groups.add(*[Group.objects.get(name=GROUP_NAMES[role]) for role in roles])


def _approve_all(subject, opinion=""):
    """Approve every open step in turn (a filer's own step is skipped by the chain)."""
    while (step := approvals.open_step_for(subject)) is not None:
        person = step.assignees.order_by("id").first()
        meeting = date(2026, 6, 18) if step.role == StepRole.PARTY_COMMITTEE else None
        approvals.approve(step.pk, person, opinion=opinion, meeting_date=meeting)


def _point(filing, category, grade, title, *, content, measures, owner=None):
    point = RiskPoint.objects.create(
        filing=filing,
        category=category,
        title=title,
        content=content,
        position=filing.risk_points.count() + 1,
        self_grade=grade,
    )
    for position, (line, text) in enumerate(measures, start=1):
        Measure.objects.create(
            risk_point=point, line=line, text=text, position=position, owner=owner
        )
    return point


def build_world():
    """Build both units; returns a namespace of people and objects."""
    # Emails go out on commit: run those callbacks so the outbox is complete.
    with TestCase.captureOnCommitCallbacks(execute=True):
        w = _build()
    w.mails = list(mail.outbox)
    return w


def _build():
    today = timezone.localdate()
    w = SimpleNamespace(today=today)

    # Theirs: another unit, its office head is also its discipline inspector.
    theirs = UnitFactory(name="另一单位")
    their_section = SectionFactory(unit=theirs, name="外单位科室")
    w.outsider = UserFactory(
        section=their_section,
        rank=User.Rank.MIDDLE,
        full_name="外单位主任",
        roles=[Role.OFFICE_HEAD, Role.DISCIPLINE],
    )
    their_staff = UserFactory(section=their_section, full_name="外单位科员")
    w.their_campaign = CampaignFactory(unit=theirs, by=w.outsider, title="外单位2026年度活动")
    start_stage(w.their_campaign.stages.get(kind=Stage.Kind.MOBILISE).pk, w.outsider)
    risks.ensure_filings(w.their_campaign)
    warnings.record_signal(
        w.outsider,
        source=WarningSignal.Source.PETITION,
        title="外单位的信访线索",
        description="外单位线索内容",
        received_on=today,
        person=their_staff,
    )
    w.theirs = theirs

    # Ours: the unit, its sections and one person for every standing.
    unit = UnitFactory(name="江川区投资促进办公室")
    w.unit = unit
    office_section = SectionFactory(unit=unit, name="办公室", code="BGS", display_order=1)
    section = SectionFactory(unit=unit, name="招商一科", code="ZS1", display_order=2)
    other = SectionFactory(unit=unit, name="计划财务科", code="JHCW", display_order=3)
    w.section, w.other_section, w.office_section = section, other, office_section
    key_post = PostFactory(section=section, name="政策兑现经办", key_type="money")
    w.post = key_post

    w.head = UserFactory(section=section, rank=User.Rank.MIDDLE, full_name="石科长")
    section.head = w.head
    section.save(update_fields=["head"])
    w.supervisor = UserFactory(section=None, unit=unit, rank=User.Rank.LEADER, full_name="孔分管")
    section.supervising_leaders.add(w.supervisor)
    w.staff = UserFactory(section=section, post=key_post, full_name="贺科员", username="keyuan")
    w.colleague = UserFactory(section=section, full_name="邵同事")
    w.other_head = UserFactory(section=other, rank=User.Rank.MIDDLE, full_name="蒋科长")
    other.head = w.other_head
    other.save(update_fields=["head"])

    w.office_head = UserFactory(
        section=office_section, rank=User.Rank.MIDDLE, full_name="钱主任", roles=[Role.OFFICE_HEAD]
    )
    office_section.head = w.office_head
    office_section.save(update_fields=["head"])
    # Created before the campaign: the wizard seats the unit's office.
    w.office = UserFactory(section=office_section, full_name="赵干事", roles=[Role.OFFICE])
    w.leading_group = UserFactory(
        section=None,
        unit=unit,
        rank=User.Rank.LEADER,
        full_name="周组员",
        roles=[Role.LEADING_GROUP],
    )
    w.committee = UserFactory(
        section=None,
        unit=unit,
        rank=User.Rank.LEADER,
        full_name="卫书记",
        roles=[Role.PARTY_COMMITTEE],
    )
    w.discipline = UserFactory(
        section=None, unit=unit, rank=User.Rank.LEADER, full_name="吴纪检", roles=[Role.DISCIPLINE]
    )
    w.auditor = UserFactory(section=None, unit=unit, full_name="审计员", roles=[Role.AUDITOR])
    w.superuser = UserFactory(
        section=None,
        unit=unit,
        employee_no=None,
        full_name="系统管理员",
        is_staff=True,
        is_superuser=True,
    )

    # The campaign, running, with its leading group.
    campaign = CampaignFactory(
        unit=unit, by=w.office_head, title="2026年度廉政风险防控工作", publicity_days=7
    )
    w.campaign = campaign
    save_leading_group_member(
        campaign, w.office_head, person=w.committee, role=LeadingGroupMember.Role.LEADER
    )
    save_leading_group_member(
        campaign, w.office_head, person=w.leading_group, role=LeadingGroupMember.Role.MEMBER
    )
    save_leading_group_member(
        campaign, w.office_head, person=w.discipline, role=LeadingGroupMember.Role.MEMBER
    )
    w.member = campaign.leading_group.get(person=w.leading_group)
    w.mobilise = campaign.stages.get(kind=Stage.Kind.MOBILISE)
    start_stage(w.mobilise.pk, w.office_head)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING
    w.milestone = w.mobilise.milestones.first()
    w.chain = campaign.chains.first()
    levels = {level.rank: level for level in campaign.grade_levels.all()}
    categories = list(campaign.risk_categories.all())

    # Mobilisation: a meeting with minutes and a material with a file.
    w.meeting = planning.save_meeting(
        Meeting(campaign=campaign, held_on=date(2026, 3, 10), topic=f"动员会{XSS}", place="会议室"),
        w.office_head,
        attendees=[w.staff],
        upload=pdf("会议纪要.pdf"),
    )
    w.material = planning.save_material(
        StudyMaterial(campaign=campaign, title=f"学习材料{XSS}", description=XSS, required=True),
        w.office_head,
        upload=pdf("廉政准则.pdf"),
    )

    # Powers: section A's catalogue approved, section B's at the office's step.
    category = powers.ensure_categories(campaign).first()
    catalogue = CatalogueFactory(campaign=campaign, section=section)
    w.power = PowerFactory(
        catalogue=catalogue,
        category=category,
        name=f"招商奖励兑现{XSS}",
        content=f"核查兑现条件{XSS}",
        legal_basis=XSS,
        publicity=Power.Publicity.PUBLIC,
        direction=Power.Direction.EXTERNAL,
    )
    w.power.posts.add(key_post)
    PowerStepFactory(power=w.power, position=1, name=f"受理{XSS}", responsible=XSS, post=key_post)
    PowerStepFactory(power=w.power, position=2, name="审核", checks=XSS)
    w.formula_power = PowerFactory(
        catalogue=catalogue, category=category, name=FORMULAS[0], content=FORMULAS[3]
    )
    powers.submit_catalogue(catalogue, w.head)
    _approve_all(catalogue, opinion=f"同意{XSS}")
    catalogue.refresh_from_db()
    assert catalogue.status == Catalogue.Status.APPROVED
    w.catalogue = catalogue
    review_catalogue = CatalogueFactory(campaign=campaign, section=other)
    PowerFactory(catalogue=review_catalogue, category=category, name="资金支付审核")
    powers.submit_catalogue(review_catalogue, w.other_head)
    w.catalogue_step = approvals.open_step_for(review_catalogue)
    assert w.catalogue_step.role == StepRole.OFFICE
    w.review_catalogue = review_catalogue

    # Filings: everybody's, then some filled in and moved along.
    risks.ensure_filings(campaign)
    high, medium = levels[1], levels[2]
    lines = Measure.Line
    # The staff member's: in review, waiting for their section head.
    w.filing = Filing.objects.get(campaign=campaign, owner=w.staff)
    w.point = _point(
        w.filing,
        categories[0],
        high,
        f"扶持资金审核{XSS}",
        content=f"可能多报多拨{XSS}",
        measures=[
            (lines.PREVENTION, f"双人审核{XSS}"),
            (lines.MONITORING, "拨付前公示"),
            (lines.HANDLING, "违规追回"),
        ],
        owner=w.staff,
    )
    w.measure = w.point.measures.get(line=lines.PREVENTION)
    w.evidence = evidence.add_evidence(w.filing, w.measure, pdf("佐证材料.pdf"), w.staff)
    risks.submit_filing(w.filing.pk, w.staff)
    w.filing_step = approvals.open_step_for(w.filing)
    assert w.filing_step.role == StepRole.SECTION_HEAD

    # A colleague's: approved through the chain, with opinions carrying markup
    # and formula-like cells (so auditors see it and exports hold it).
    w.approved = Filing.objects.get(campaign=campaign, owner=w.colleague)
    _point(
        w.approved,
        categories[1],
        medium,
        f"项目准入{XSS}",
        content=XSS,
        measures=[(lines.PREVENTION, f"集体研究{XSS}"), (lines.MONITORING, FORMULAS[1])],
        owner=w.colleague,
    )
    for formula in FORMULAS:
        _point(
            w.approved,
            categories[2],
            medium,
            formula,
            content=formula,
            measures=[(lines.PREVENTION, formula)],
        )
    risks.submit_filing(w.approved.pk, w.colleague)
    _approve_all(w.approved, opinion=f"审核意见{XSS}")
    w.approved.refresh_from_db()
    assert w.approved.status == Filing.Status.APPROVED
    # The section's filing: a draft its head edits.
    w.section_filing = Filing.objects.get(
        campaign=campaign, kind=Filing.Kind.SECTION, section=section
    )
    _point(
        w.section_filing,
        categories[2],
        high,
        f"集体研究流于形式{XSS}",
        content=XSS,
        measures=[(lines.PREVENTION, XSS)],
    )
    w.unit_filing = Filing.objects.get(campaign=campaign, kind=Filing.Kind.UNIT)

    # Publicity: the register inside the unit, the powers on a public link.
    w.window = publicity.open_window(
        campaign, w.office_head, scope=Window.Scope.REGISTER, title=f"风险点公示{XSS}", note=XSS
    )
    w.feedback = publicity.submit_feedback(
        w.window.pk, channel=Feedback.Channel.INTERNAL, content=f"意见{XSS}", name=XSS
    )
    w.public_window = publicity.open_window(
        campaign,
        w.office_head,
        scope=Window.Scope.POWERS,
        public=True,
        title=f"职权公示{XSS}",
        note=XSS,
    )
    w.public_feedback = publicity.submit_feedback(
        w.public_window.pk, channel=Feedback.Channel.PUBLIC, content=f"公众意见{XSS}"
    )
    assert w.public_window.token

    # Acceptance: a rectification the staff member owns.
    from acceptance import services as acceptance

    w.rectification = acceptance.create_rectification(
        campaign,
        w.office_head,
        description=f"整改问题{XSS}",
        owner=w.staff,
        due_on=today + timedelta(days=14),
        requirement=XSS,
    )

    # Early warning: an ordinary signal and a warning with a disposal ...
    w.signal = warnings.record_signal(
        w.office,
        source=WarningSignal.Source.AUDIT,
        title=f"审计发现单据不全{XSS}",
        description=f"两张发票缺少签字{XSS}",
        received_on=today,
        person=w.staff,
        uploads=[pdf("审计报告.pdf")],
    )
    w.attachment = w.signal.attachments.get()
    w.new_signal = warnings.record_signal(
        w.office,
        source=WarningSignal.Source.INSPECTION,
        title="待研判的巡察线索",
        description="尚未研判",
        received_on=today,
        person=w.colleague,
    )
    w.warning = warnings.raise_warning(
        w.office,
        level=Level.C,
        title=f"单据管理提醒{XSS}",
        message=f"请补齐签字{XSS}",
        respond_by=today + timedelta(days=7),
        person=w.staff,
        signal=w.signal,
    )
    w.disposal = warnings.add_disposal(
        w.warning.pk,
        w.office,
        kind=Disposal.Kind.REMINDER_TALK,
        responsible=w.head,
        reporter=w.staff,
        due_on=today + timedelta(days=10),
        instructions=f"谈话提醒{XSS}",
    )
    w.holiday = Holiday.objects.create(unit=unit, date=date(2026, 10, 1), name=f"国庆{SCRIPT}")

    # ... and the confidential petition about the staff member.
    w.petition = warnings.record_signal(
        w.discipline,
        source=WarningSignal.Source.PETITION,
        title=SECRET_TITLE,
        description=SECRET_TEXT,
        received_on=today,
        person=w.staff,
        uploads=[SimpleUploadedFile(SECRET_FILE, "转账记录".encode(), content_type="text/plain")],
    )
    assert w.petition.confidential
    w.petition_attachment = w.petition.attachments.get()
    w.new_petition = warnings.record_signal(
        w.discipline,
        source=WarningSignal.Source.PETITION,
        title=f"{SECRET_TITLE}（续）",
        description=SECRET_TEXT,
        received_on=today,
        person=w.staff,
    )
    w.secret_warning = warnings.raise_warning(
        w.discipline,
        level=Level.B,
        title=SECRET_WARNING,
        message="请规范资金管理，按时入账。",
        respond_by=today + timedelta(days=7),
        person=w.staff,
        signal=w.petition,
    )
    w.secret_disposal = warnings.add_disposal(
        w.secret_warning.pk,
        w.discipline,
        kind=Disposal.Kind.WRITTEN_INQUIRY,
        responsible=w.discipline,
        reporter=w.staff,
        due_on=today + timedelta(days=10),
        instructions="请书面说明资金入账情况。",
    )
    w.deduction = warnings.deduct(
        w.staff, w.discipline, points=3, reason="资金入账不及时", signal=w.petition
    )

    # A notification of the staff member's, the iCal token.
    w.notification = Notification.objects.filter(recipient=w.staff).order_by("pk").first()
    assert w.notification is not None
    w.ical_token = ical.token_for(w.staff)
    # A pending review step of the catalogue in review is what the office delegates.
    assert ReviewStep.objects.filter(pk=w.catalogue_step.pk, status="open").exists()
    return w
