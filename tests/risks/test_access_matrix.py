"""The access matrix of the filing pages: every role × every kind of filing
× view / edit / review, in draft, in review (at the step the kind reaches
first) and approved — against the rules in risks/access.py:

* a person sees and edits only their own personal filing;
* a section head sees their section's personal filings and the section
  filing (and edits the section filing);
* a supervising leader sees the filings of the sections they supervise;
* the office, the leading group and discipline inspection see all; the
  office edits the unit filing;
* the party committee sees what waits at its step and everything approved;
* auditors read everything approved and nothing else;
* whoever holds an open review step sees the filing and reviews it.

404 for those who may not see; 403 for those who see but may not act.
"""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from campaign import approvals
from campaign.models import LeadingGroupMember, ReviewStep
from campaign.services import save_leading_group_member
from risks import services
from risks.models import Filing
from tests.factories import UserFactory
from tests.risks.filing_helpers import make_point

ROLES = [
    "owner",
    "colleague",
    "head",
    "supervisor",
    "stranger",
    "office",
    "leading_group",
    "committee",
    "discipline",
    "auditor",
    "outsider",
]
ACTIONS = {
    "view": "risks:filing",
    "edit": "risks:filing_edit",
    "review": "risks:review",
}
SEES_ALL = {"office", "leading_group", "discipline"}
EDITOR = {"personal": "owner", "section": "head", "unit": "office"}
# Who holds the open step when the kind is in review at its first reviewed step.
REVIEWER = {"personal": "head", "section": "supervisor", "unit": "committee"}


def sees(role, kind, state):
    if role in SEES_ALL:
        return True
    if state == "approved" and role in ("committee", "auditor"):
        return True
    if state == "in_review" and role == REVIEWER[kind]:
        return True
    if kind == "personal":
        return role in ("owner", "head", "supervisor")
    if kind == "section":
        return role in ("head", "supervisor")
    return False


def expected(role, kind, state, action):
    if not sees(role, kind, state):
        return 404
    if action == "view":
        return 200
    if action == "edit":
        return 200 if role == EDITOR[kind] and state == "draft" else 403
    return 200 if role == REVIEWER[kind] and state == "in_review" else 403


def _people(risk_org):
    campaign = risk_org["campaign"]
    member = UserFactory(
        section=None, unit=campaign.unit, rank=User.Rank.LEADER, roles=[Role.LEADING_GROUP]
    )
    save_leading_group_member(
        campaign, risk_org["office"], person=member, role=LeadingGroupMember.Role.MEMBER
    )
    return {
        "owner": risk_org["staff"],
        "colleague": risk_org["colleague"],
        "head": risk_org["head"],
        "supervisor": risk_org["supervisor"],
        "stranger": risk_org["stranger"],
        "office": risk_org["office"],
        "leading_group": member,
        "committee": risk_org["committee"],
        "discipline": risk_org["discipline"],
        "auditor": risk_org["auditor"],
        "outsider": risk_org["outsider"],
    }


def _filing(risk_org, kind):
    campaign = risk_org["campaign"]
    if kind == "personal":
        return risk_org["filing"], risk_org["staff"], {}
    if kind == "section":
        filing = Filing.objects.get(
            campaign=campaign, kind=Filing.Kind.SECTION, section=risk_org["section"]
        )
        return filing, risk_org["head"], {"section_meeting_on": "2026-05-20"}
    return Filing.objects.get(campaign=campaign, kind=Filing.Kind.UNIT), risk_org["office"], {}


def _approve_open_step(filing):
    step = services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)
    meeting = date(2026, 6, 1) if step.role == "party_committee" else None
    approvals.approve(step.pk, step.assignees.first(), meeting_date=meeting)


@pytest.mark.parametrize("state", ["draft", "in_review", "approved"])
@pytest.mark.parametrize("kind", ["personal", "section", "unit"])
def test_access_matrix(risk_org, client, kind, state):
    people = _people(risk_org)
    filing, filer, extra = _filing(risk_org, kind)
    make_point(filing, risk_org["category"], risk_org["levels"][2])
    if state != "draft":
        meeting = date.fromisoformat(extra["section_meeting_on"]) if extra else None
        services.submit_filing(filing.pk, filer, section_meeting_on=meeting)
        step = services.review_for(filing).steps.get(status=ReviewStep.Status.OPEN)
        assert step.assignees.filter(pk=people[REVIEWER[kind]].pk).exists()
    if state == "approved":
        while services.review_for(filing).steps.filter(status=ReviewStep.Status.OPEN).exists():
            _approve_open_step(filing)
        filing.refresh_from_db()
        assert filing.status == Filing.Status.APPROVED

    wrong = []
    for role in ROLES:
        client.force_login(people[role])
        for action, url_name in ACTIONS.items():
            status = client.get(reverse(url_name, args=[filing.pk])).status_code
            want = expected(role, kind, state, action)
            if status != want:
                wrong.append(f"{role} {action}: got {status}, expected {want}")
    assert not wrong, f"{kind}/{state}:\n" + "\n".join(wrong)


def test_the_rules_cover_every_cell():
    cells = {
        (role, kind, state, action)
        for role in ROLES
        for kind in EDITOR
        for state in ("draft", "in_review", "approved")
        for action in ACTIONS
    }
    assert len(cells) == 11 * 3 * 3 * 3
    # Sanity of the table itself: the outsider never gets in, the filer edits a draft.
    assert all(expected("outsider", k, s, a) == 404 for _r, k, s, a in cells)
    assert all(expected(EDITOR[k], k, "draft", "edit") == 200 for k in EDITOR)
