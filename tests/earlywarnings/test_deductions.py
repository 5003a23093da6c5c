"""The yearly score: deductions, thresholds and the automatic warnings they
raise (once per person, year and level; the graver level only when two
thresholds are crossed at once)."""

import pytest
from django.db import IntegrityError, transaction

from campaign.approvals import ReviewError
from earlywarnings import services
from earlywarnings.models import EarlyWarning, Level, WarningPolicy, YearlyScore


def auto(person, year=2026):
    return list(
        EarlyWarning.objects.filter(origin=EarlyWarning.Origin.AUTO, person=person, year=year)
        .order_by("pk")
        .values_list("level", flat=True)
    )


def test_policy_is_created_lazily_with_the_defaults(org):
    assert not WarningPolicy.objects.filter(unit=org.unit).exists()
    policy = WarningPolicy.for_unit(org.unit)
    assert (policy.base_points, policy.level_c_at, policy.level_b_at, policy.level_a_at) == (
        12,
        3,
        6,
        9,
    )
    assert policy.level_for(2) == "" and policy.level_for(3) == Level.C
    assert policy.level_for(8) == Level.B and policy.level_for(12) == Level.A


def test_crossing_a_threshold_raises_the_level_in_the_same_transaction(org):
    services.deduct(org.named, org.office, points=2, reason="材料审核不细", year=2026)
    assert auto(org.named) == []
    deduction = services.deduct(org.named, org.office, points=1, reason="再次出现", year=2026)
    assert auto(org.named) == [Level.C]
    warning = deduction.raised_warning
    assert warning.deduction == deduction and warning.target_kind == "person"
    assert warning.section == org.section and warning.post == org.post
    assert "累计扣分 3 分" in warning.message
    score = YearlyScore.objects.get(person=org.named, year=2026)
    assert (score.base_points, score.deducted, score.score, score.level) == (12, 3, 9, Level.C)


def test_each_level_only_once(org):
    services.deduct(org.named, org.office, points=3, reason="一", year=2026)
    services.deduct(org.named, org.office, points=1, reason="二", year=2026)
    services.deduct(org.named, org.office, points=1, reason="三", year=2026)
    assert auto(org.named) == [Level.C]
    services.deduct(org.named, org.office, points=1, reason="四", year=2026)  # 6: B
    services.deduct(org.named, org.office, points=2, reason="五", year=2026)  # 8: still B
    assert auto(org.named) == [Level.C, Level.B]


def test_crossing_two_thresholds_at_once_raises_only_the_graver(org):
    services.deduct(org.named, org.office, points=2, reason="一", year=2026)
    deduction = services.deduct(org.named, org.office, points=5, reason="二", year=2026)  # 7
    assert auto(org.named) == [Level.B]
    assert "越过C级（蓝色）" in deduction.raised_warning.message
    # The skipped level is never raised afterwards.
    services.deduct(org.named, org.office, points=1, reason="三", year=2026)
    assert auto(org.named) == [Level.B]


def test_all_three_at_once_goes_straight_to_red(org):
    services.deduct(org.named, org.discipline, points=10, reason="严重违规", year=2026)
    assert auto(org.named) == [Level.A]
    assert YearlyScore.objects.get(person=org.named).score == 2


def test_years_are_counted_apart(org):
    services.deduct(org.named, org.office, points=3, reason="去年", year=2025)
    services.deduct(org.named, org.office, points=2, reason="今年", year=2026)
    assert auto(org.named, 2025) == [Level.C]
    assert auto(org.named, 2026) == []


def test_thresholds_follow_the_units_policy(org):
    WarningPolicy.objects.create(
        unit=org.unit, base_points=20, level_c_at=5, level_b_at=10, level_a_at=15
    )
    services.deduct(org.named, org.office, points=4, reason="一", year=2026)
    assert auto(org.named) == []
    services.deduct(org.named, org.office, points=1, reason="二", year=2026)
    assert auto(org.named) == [Level.C]
    assert YearlyScore.objects.get(person=org.named).base_points == 20


def test_the_database_refuses_a_second_auto_warning_of_a_level(org):
    warning = services.deduct(
        org.named, org.office, points=3, reason="一", year=2026
    ).raised_warning
    duplicate = EarlyWarning(
        unit=org.unit,
        person=org.named,
        target_kind="person",
        level=Level.C,
        origin=EarlyWarning.Origin.AUTO,
        year=2026,
        title="x",
        message="x",
        respond_by=warning.respond_by,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.parametrize("who", ["head", "auditor", "leader", "colleague", "outsider"])
def test_only_the_office_and_discipline_deduct(org, who):
    with pytest.raises(ReviewError):
        services.deduct(org.named, getattr(org, who), points=1, reason="x", year=2026)
    assert not YearlyScore.objects.exists()


def test_a_deduction_needs_a_reason_and_positive_points(org):
    with pytest.raises(ReviewError, match="事由"):
        services.deduct(org.named, org.office, points=1, reason="  ", year=2026)
    with pytest.raises(ReviewError):
        services.deduct(org.named, org.office, points=0, reason="x", year=2026)


def test_a_signal_becomes_warned_once_a_warning_comes_of_it(org):
    from earlywarnings.models import WarningSignal
    from tests.factories import WarningSignalFactory

    signal = WarningSignalFactory(person=org.named)
    services.deduct(org.named, org.office, points=2, reason="一", year=2026, signal=signal)
    signal.refresh_from_db()
    assert signal.status == WarningSignal.Status.NEW  # a deduction alone decides nothing
    signal.status = WarningSignal.Status.FILED
    signal.save()
    services.deduct(org.named, org.office, points=1, reason="二", year=2026, signal=signal)
    signal.refresh_from_db()
    assert signal.status == WarningSignal.Status.WARNED
