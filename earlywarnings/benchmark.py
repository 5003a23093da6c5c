"""A throwaway unit of N people for measuring the reminder sweep.

:func:`build_unit` makes, with bulk inserts, a unit whose every person has
something to be reminded of on ``today``: an approved personal filing in a
running campaign with two risk points and four measures (due in 7 days and
overdue), a review step waiting for their section head for 4 days (a third
of them), a disposal due in 3 days (a tenth), a milestone for all staff due in
3 days, an overdue one for the section heads, and a holiday in 2 days. The
``bench_reminders`` command and the query-count test use it inside a
transaction they roll back.
"""

import secrets
from datetime import timedelta

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Post, Section, Unit, User
from accounts.roles import GROUP_NAMES, Role
from campaign.models import (
    Campaign,
    ChainTemplate,
    Milestone,
    Review,
    ReviewStep,
    StepRole,
    Subject,
)
from campaign.services import create_campaign
from risks.models import Filing, Measure, RiskPoint

from .models import Disposal, EarlyWarning, Holiday, Level, TargetKind

PEOPLE_PER_SECTION = 30


def build_unit(people: int, today, *, points_per_person=2, measures_per_point=2) -> Unit:
    """``points_per_person`` and ``measures_per_point`` (1 or 2) set how much
    each register holds; the measures are due in 7 days, then overdue."""
    token = secrets.token_hex(4)
    unit = Unit.objects.create(name=f"提醒基准测试单位-{token}")
    section_count = max(1, -(-people // PEOPLE_PER_SECTION))
    sections = Section.objects.bulk_create(
        Section(unit=unit, name=f"第{n}科", code=f"B{n:04d}", display_order=n)
        for n in range(section_count)
    )
    posts = Post.objects.bulk_create(Post(section=s, name="科员岗") for s in sections)
    staff = User.objects.bulk_create(
        User(
            username=f"bench-{token}-{n}",
            full_name=f"测试人员{n}",
            email=f"bench-{token}-{n}@example.com",
            password="!",
            unit=unit,
            section=sections[n % section_count],
            post=posts[n % section_count],
        )
        for n in range(people)
    )
    heads = {}
    for person in staff:
        heads.setdefault(person.section_id, person)
    for section in sections:
        section.head = heads.get(section.pk)
    Section.objects.bulk_update(sections, ["head"])
    office_head = staff[0]
    office_head.groups.add(Group.objects.get(name=GROUP_NAMES[Role.OFFICE_HEAD]))
    if len(staff) > 1:
        staff[1].groups.add(Group.objects.get(name=GROUP_NAMES[Role.DISCIPLINE]))

    campaign = create_campaign(
        unit=unit,
        by=office_head,
        title=f"基准测试活动-{token}",
        year=today.year,
        starts_on=today - timedelta(days=60),
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.RUNNING)
    _milestones(campaign, today)

    filings = Filing.objects.bulk_create(
        Filing(
            campaign=campaign,
            kind=Filing.Kind.PERSONAL,
            owner=person,
            section_id=person.section_id,
            post_id=person.post_id,
            rank=person.rank,
            status=Filing.Status.APPROVED,
            approved_at=timezone.now(),
        )
        for person in staff
    )
    category = campaign.risk_categories.first()
    grade = campaign.grade_levels.first()
    points = RiskPoint.objects.bulk_create(
        RiskPoint(
            filing=filing,
            campaign=campaign,
            position=n,
            category=category,
            title=f"风险点{n}：审批时可能收受好处",
            content="可能接受服务对象宴请或礼金。",
            self_grade=grade,
            final_grade=grade,
        )
        for filing in filings
        for n in range(1, points_per_person + 1)
    )
    owner_of = {filing.pk: filing.owner_id for filing in filings}
    Measure.objects.bulk_create(
        Measure(
            risk_point=point,
            line=line,
            position=1,
            text=f"{label}：集体研究，签字留痕",
            owner_id=owner_of[point.filing_id],
            due_on=due,
            status=Measure.Status.PLANNED,
        )
        for point in points
        for line, label, due in (
            (Measure.Line.PREVENTION, "前期预防", today + timedelta(days=7)),
            (Measure.Line.MONITORING, "中期监控", today - timedelta(days=1)),
        )[:measures_per_point]
    )
    _reviews(campaign, filings[::3], heads, today)
    _warnings(unit, staff[::10], office_head, today)
    Holiday.objects.create(unit=unit, date=today + timedelta(days=2), name="基准测试节")
    return unit


def _milestones(campaign, today):
    R = Milestone.Responsible
    # Only the milestones below fall on a reminder day.
    Milestone.objects.filter(stage__campaign=campaign).update(due_on=today + timedelta(days=200))
    campaign.stages.update(starts_on=today - timedelta(days=60), due_on=today + timedelta(days=300))
    stage = campaign.stages.order_by("position").first()
    Milestone.objects.bulk_create(
        [
            Milestone(
                stage=stage,
                title="全员学习并确认",
                due_on=today + timedelta(days=3),
                responsible=R.ALL_STAFF,
            ),
            Milestone(
                stage=stage,
                title="各科室完成自查",
                due_on=today - timedelta(days=1),
                responsible=R.SECTION_HEADS,
            ),
            Milestone(
                stage=stage,
                title="办公室汇总",
                due_on=today + timedelta(days=7),
                responsible=R.OFFICE,
            ),
        ]
    )


def _reviews(campaign, filings, heads, today):
    if not filings:
        return
    template = ChainTemplate.objects.filter(campaign=campaign, subject=Subject.PERSONAL).first()
    content_type = ContentType.objects.get_for_model(Filing)
    opened = timezone.now() - timedelta(days=4)
    reviews = Review.objects.bulk_create(
        Review(
            campaign=campaign,
            subject_kind=Subject.PERSONAL,
            subject_type=content_type,
            subject_id=filing.pk,
            template=template,
            filer_id=filing.owner_id,
            section_id=filing.section_id,
            status=Review.Status.IN_REVIEW,
            round=1,
            current_position=1,
            submitted_at=opened,
        )
        for filing in filings
    )
    steps = ReviewStep.objects.bulk_create(
        ReviewStep(
            review=review,
            round=1,
            position=1,
            role=StepRole.SECTION_HEAD,
            status=ReviewStep.Status.OPEN,
            opened_at=opened,
        )
        for review in reviews
    )
    ReviewStep.assignees.through.objects.bulk_create(
        ReviewStep.assignees.through(reviewstep_id=step.pk, user_id=heads[review.section_id].pk)
        for step, review in zip(steps, reviews, strict=True)
        if review.section_id in heads and heads[review.section_id].pk != review.filer_id
    )


def _warnings(unit, people, by, today):
    warnings = EarlyWarning.objects.bulk_create(
        EarlyWarning(
            unit=unit,
            level=Level.C,
            origin=EarlyWarning.Origin.MANUAL,
            year=today.year,
            target_kind=TargetKind.PERSON,
            person=person,
            section_id=person.section_id,
            title="基准测试预警",
            message="请说明情况。",
            respond_by=today + timedelta(days=7),
            raised_by=by,
        )
        for person in people
    )
    Disposal.objects.bulk_create(
        Disposal(
            warning=warning,
            kind=Disposal.Kind.REMINDER_TALK,
            responsible=by,
            reporter=warning.person,
            due_on=today + timedelta(days=3),
            created_by=by,
        )
        for warning in warnings
    )
