"""A unit with two sections, every role, and filings at every level: some
approved through the real review chain (so they carry opinions), one still
a draft (so we can check an auditor never gets it)."""

from datetime import date
from io import BytesIO
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from accounts.models import User
from accounts.roles import Role
from campaign import approvals
from campaign.models import Campaign, LeadingGroupMember, ReviewStep, StepRole
from campaign.services import save_leading_group_member
from risks import services
from risks.models import Filing, Measure, RiskPoint
from tests.factories import (
    CampaignFactory,
    PostFactory,
    SectionFactory,
    UnitFactory,
    UserFactory,
)

UNIT_NAME = "江川区投资促进办公室"
CAMPAIGN_TITLE = "2026年度廉政风险防控工作"


def add_point(
    filing, *, category, grade, title, content="在项目审核中可能接受宴请、礼金。", measures=()
):
    point = RiskPoint.objects.create(
        filing=filing,
        category=category,
        title=title,
        content=content,
        position=filing.risk_points.count() + 1,
        self_grade=grade,
    )
    for position, (line, text) in enumerate(measures, start=1):
        Measure.objects.create(risk_point=point, line=line, text=text, position=position)
    return point


def approve_directly(filing, final=None):
    """Approved without the chain (as an imported filing would be)."""
    filing.status = Filing.Status.APPROVED
    filing.save(update_fields=["status"])
    for point in filing.risk_points.all():
        point.final_grade = final or point.self_grade
        point.save(update_fields=["final_grade"])


def run_chain(filing, filer, opinions):
    """Submit, then approve every step with the given opinions in turn."""
    services.submit_filing(filing.pk, filer)
    for opinion in opinions:
        step = services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)
        person = step.assignees.order_by("id").first()
        meeting = date(2026, 6, 18) if step.role == StepRole.PARTY_COMMITTEE else None
        approvals.approve(step.pk, person, opinion=opinion, meeting_date=meeting)
    filing.refresh_from_db()
    assert filing.status == Filing.Status.APPROVED


@pytest.fixture
def org(db):
    unit = UnitFactory(name=UNIT_NAME)
    campaign = CampaignFactory(unit=unit, title=CAMPAIGN_TITLE)
    campaign.status = Campaign.Status.RUNNING
    campaign.save(update_fields=["status"])
    office = campaign.leading_group.get(role=LeadingGroupMember.Role.OFFICE_HEAD).person
    levels = {level.rank: level for level in campaign.grade_levels.all()}
    categories = list(campaign.risk_categories.all())

    secretary = UserFactory(
        section=None,
        unit=unit,
        rank=User.Rank.LEADER,
        full_name="卫明远",
        roles=[Role.PARTY_COMMITTEE],
    )
    save_leading_group_member(
        campaign, office, person=secretary, role=LeadingGroupMember.Role.LEADER
    )
    deputy = UserFactory(section=None, unit=unit, rank=User.Rank.LEADER, full_name="孔晓岚")

    office_section = SectionFactory(unit=unit, name="办公室", code="BGS", display_order=1)
    zs1 = SectionFactory(unit=unit, name="招商一科", code="ZS1", display_order=2)
    head = UserFactory(section=zs1, rank=User.Rank.MIDDLE, full_name="石向东", employee_no="JC201")
    zs1.head = head
    zs1.save(update_fields=["head"])
    zs1.supervising_leaders.add(deputy)
    clerk = PostFactory(section=zs1, name="政策兑现经办")
    staff = UserFactory(
        section=zs1, post=clerk, full_name="贺文涛", employee_no="JC203", username="keyuan"
    )
    colleague = UserFactory(section=zs1, full_name="邵一帆", employee_no="JC204")
    office_clerk = UserFactory(section=office_section, full_name="钱少峰", employee_no="JC103")

    auditor = UserFactory(section=None, unit=unit, roles=[Role.AUDITOR])
    discipline = UserFactory(section=None, unit=unit, roles=[Role.DISCIPLINE])
    outsider = UserFactory(roles=[Role.AUDITOR])

    services.ensure_filings(campaign)
    filing = Filing.objects.get(campaign=campaign, owner=staff)
    high, medium = levels[1], levels[2]
    add_point(
        filing,
        category=categories[1],
        grade=high,
        title="扶持资金审核把关不严",
        content="对申报材料审核不严，为关系企业多报多拨扶持资金。",
        measures=[
            (Measure.Line.PREVENTION, "严格执行申报材料清单和双人审核"),
            (Measure.Line.MONITORING, "资金拨付前在单位内部公示"),
            (Measure.Line.HANDLING, "发现违规拨付的及时追回并追责"),
        ],
    )
    add_point(
        filing,
        category=categories[2],
        grade=medium,
        title='=HYPERLINK("http://x")',
        measures=[
            (Measure.Line.PREVENTION, "第一条措施"),
            (Measure.Line.PREVENTION, "第二条措施"),
        ],
    )
    run_chain(filing, staff, ["同意，措施具体可行", "同意定级"])

    draft = Filing.objects.get(campaign=campaign, owner=colleague)
    add_point(draft, category=categories[0], grade=medium, title="草稿中的风险点")

    section_filing = Filing.objects.get(campaign=campaign, kind=Filing.Kind.SECTION, section=zs1)
    add_point(
        section_filing,
        category=categories[2],
        grade=high,
        title="项目准入集体研究流于形式",
        measures=[(Measure.Line.MONITORING, "科务会记录存档备查")],
    )
    approve_directly(section_filing)

    unit_filing = Filing.objects.get(campaign=campaign, kind=Filing.Kind.UNIT)
    add_point(
        unit_filing,
        category=categories[3],
        grade=high,
        title="“三重一大”决策程序执行不到位",
        measures=[(Measure.Line.PREVENTION, "严格执行议事规则")],
    )
    approve_directly(unit_filing)

    leader_filing = Filing.objects.get(campaign=campaign, owner=secretary)
    add_point(leader_filing, category=categories[0], grade=medium, title="干预具体业务")
    approve_directly(leader_filing)

    return SimpleNamespace(
        unit=unit,
        campaign=campaign,
        office=office,
        secretary=secretary,
        deputy=deputy,
        office_section=office_section,
        zs1=zs1,
        head=head,
        clerk=clerk,
        staff=staff,
        colleague=colleague,
        office_clerk=office_clerk,
        auditor=auditor,
        discipline=discipline,
        outsider=outsider,
        levels=levels,
        categories=categories,
        filing=filing,
        draft=draft,
        section_filing=section_filing,
        unit_filing=unit_filing,
        leader_filing=leader_filing,
    )


def open_workbook(response_or_bytes):
    data = response_or_bytes
    if hasattr(response_or_bytes, "streaming_content"):
        data = b"".join(response_or_bytes.streaming_content)
    elif hasattr(response_or_bytes, "content"):
        data = response_or_bytes.content
    return load_workbook(BytesIO(data))


def rows_of(ws, first_row):
    return [[cell.value for cell in row] for row in ws.iter_rows(min_row=first_row)]


def merged(ws):
    return {str(cell_range) for cell_range in ws.merged_cells.ranges}
