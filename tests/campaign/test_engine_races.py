"""A uniqueness race in the approval engine (two submissions of the same thing
at once) is refused with a message, never a server error."""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection

from accounts.models import User
from campaign import approvals
from campaign.approvals import ReviewError
from campaign.models import FilerRank, Review, ReviewStep, Subject
from tests.factories import CampaignFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

RACE = "其他人同时进行了同样的操作"


@pytest.fixture
def people():
    campaign = CampaignFactory()
    section = SectionFactory(unit=campaign.unit)
    head = UserFactory(section=section, rank=User.Rank.MIDDLE)
    section.head = head
    section.save()
    return campaign, head, UserFactory(section=section)


def submit(campaign, staff):
    return approvals.submit(
        staff,
        campaign=campaign,
        subject_kind=Subject.PERSONAL,
        filer=staff,
        section=staff.section,
        by=staff,
        filer_rank=FilerRank.GENERAL,
    )


def test_a_first_submission_racing_another_is_refused(people, monkeypatch):
    """The other request's review is committed between our look-up (nothing
    there yet to lock) and our insert."""
    campaign, _head, staff = people
    real_chain_for = approvals.chain_for

    def chain_for_after_the_other_request(campaign, subject_kind, filer_rank):
        chain = real_chain_for(campaign, subject_kind, filer_rank)
        Review.objects.create(
            campaign=campaign,
            subject_kind=subject_kind,
            subject_type=ContentType.objects.get_for_model(staff),
            subject_id=staff.pk,
            template=chain,
            filer=staff,
            status=Review.Status.IN_REVIEW,
            round=1,
        )
        return chain

    monkeypatch.setattr(approvals, "chain_for", chain_for_after_the_other_request)
    with pytest.raises(ReviewError, match=RACE):
        submit(campaign, staff)
    # Rolled back to the service's savepoint: the caller's transaction goes on.
    assert UserFactory(section=staff.section).pk


def test_a_race_while_deciding_is_refused(people, monkeypatch):
    """E.g. a subject's hook inserting a row another request inserted first."""
    campaign, head, staff = people

    def collide(subject, step, user, data):
        raise IntegrityError("duplicate key value violates unique constraint")

    review = submit(campaign, staff)
    monkeypatch.setattr(User, "on_review_step_approved", collide, raising=False)
    step = review.steps.get(status=ReviewStep.Status.OPEN)
    with pytest.raises(ReviewError, match=RACE):
        approvals.approve(step.pk, head)
    step.refresh_from_db()
    assert step.status == ReviewStep.Status.OPEN
    assert approvals.may_act(head, step)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.services
def test_two_first_submissions_at_once(postgres):
    campaign = CampaignFactory()
    section = SectionFactory(unit=campaign.unit)
    section.head = UserFactory(section=section, rank=User.Rank.MIDDLE)
    section.save()
    staff = UserFactory(section=section)
    barrier = threading.Barrier(2)
    outcomes = []

    def act():
        try:
            barrier.wait(timeout=10)
            submit(campaign, staff)
            outcomes.append("ok")
        except ReviewError as exc:
            outcomes.append(str(exc.message))
        except Exception as exc:
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=act) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(o == "ok" for o in outcomes) == [False, True], outcomes
    loser = next(o for o in outcomes if o != "ok")
    assert RACE in loser or "审核中" in loser, loser
    assert Review.objects.filter(subject_id=staff.pk).count() == 1
