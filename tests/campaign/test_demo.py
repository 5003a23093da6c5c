"""The demo campaign: its shape, and a second load changing nothing."""

import pytest
from django.core.management import call_command
from guardian.models import UserObjectPermission

from accounts.models import User
from campaign.demo import TITLE
from campaign.models import (
    AuditEntry,
    Campaign,
    ChainStep,
    ChainTemplate,
    GradeLevel,
    LeadingGroupMember,
    Meeting,
    Milestone,
    RiskCategory,
    Stage,
    StudyConfirmation,
    StudyMaterial,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Campaign,
    Stage,
    Milestone,
    GradeLevel,
    RiskCategory,
    LeadingGroupMember,
    ChainTemplate,
    ChainStep,
    Meeting,
    StudyMaterial,
    StudyConfirmation,
    AuditEntry,
]


def snapshot():
    tables = {model.__name__: list(model.objects.values().order_by("pk")) for model in MODELS}
    tables["attendees"] = sorted(
        Meeting.attendees.through.objects.values_list("meeting_id", "user_id")
    )
    tables["grants"] = sorted(
        UserObjectPermission.objects.filter(content_type__app_label="campaign").values_list(
            "user_id", "permission__codename", "object_pk"
        )
    )
    return tables


def test_demo_twice_changes_nothing():
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_the_demo_campaign_is_finding_risks():
    call_command("load_demo", verbosity=0)
    campaign = Campaign.objects.get(title=TITLE)
    assert campaign.status == Campaign.Status.RUNNING
    assert campaign.basis_doc_no == "江纪[2026]3号"
    assert campaign.created_by.username == "bangongshi"
    statuses = list(campaign.stages.order_by("position").values_list("status", flat=True))
    assert statuses == ["done", "done", "active"] + ["pending"] * 4
    assert campaign.current_stage().kind == Stage.Kind.RISKS

    seats = {m.person.username: m.role for m in campaign.leading_group.select_related("person")}
    R = LeadingGroupMember.Role
    assert seats["zhuren"] == R.LEADER
    assert seats["fenguan"] == seats["fuzhuren2"] == R.DEPUTY
    assert seats["jijian"] == seats["diaoyan"] == seats["kezhang"] == R.MEMBER
    assert seats["bangongshi"] == R.OFFICE_HEAD
    assert seats["jc102"] == seats["jc105"] == R.OFFICE_MEMBER
    bangongshi = User.objects.get(username="bangongshi")
    assert bangongshi.has_perm("campaign.administer_campaign", campaign)

    assert campaign.meetings.count() == 2
    assert all(meeting.attendees.exists() for meeting in campaign.meetings.all())
    materials = campaign.materials.all()
    assert materials.count() == 3 and not any(m.file for m in materials)
    staff = User.objects.filter(unit=campaign.unit, is_active=True, is_superuser=False).count()
    confirmed = User.objects.filter(study_confirmations__material=materials[0]).count()
    assert 0.7 <= confirmed / staff <= 0.9
    assert Milestone.objects.filter(stage__campaign=campaign, done=True).exists()
