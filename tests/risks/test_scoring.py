"""The scoring model: each factor's effect, thresholds, floors, the explanation."""

from decimal import Decimal

import pytest

from risks.models import Factor
from risks.scoring import DEFAULT_WEIGHTS, Settings, suggest

LABELS = {1: "高", 2: "中", 3: "低"}


def ratings(**given):
    base = dict.fromkeys(Factor.values)
    base.update(given)
    return base


def test_nothing_rated_gives_no_suggestion():
    assert suggest(ratings(), Settings.default(), LABELS) is None


def test_all_medium_is_medium():
    result = suggest(ratings(**dict.fromkeys(Factor.values, 2)), Settings.default(), LABELS)
    assert (result.rank, result.score) == (2, Decimal("2.00"))


def test_money_and_discretion_high_push_the_grade_up_and_say_so():
    base = dict.fromkeys(Factor.values, 2)
    result = suggest(
        ratings(**{**base, "money": 3, "discretion": 3, "likelihood": 3}),
        Settings.default(),
        LABELS,
    )
    assert result.rank == 1
    assert result.reason.startswith("发生可能性高＋自由裁量空间高＋资金流量高 → 高")
    assert result.score >= Decimal("2.30")


@pytest.mark.parametrize("factor", Factor.values)
def test_every_factor_raises_the_score(factor):
    base = dict.fromkeys(Factor.values, 2)
    before = suggest(ratings(**base), Settings.default(), LABELS).score
    after = suggest(ratings(**{**base, factor: 3}), Settings.default(), LABELS).score
    assert after > before
    # Weight two factors move the score twice as far as weight one factors.
    assert (after - before) * sum(DEFAULT_WEIGHTS.values()) == pytest.approx(
        DEFAULT_WEIGHTS[factor], abs=0.15
    )


def test_thresholds_are_configurable():
    base = ratings(**dict.fromkeys(Factor.values, 2))
    strict = Settings(dict(DEFAULT_WEIGHTS), Decimal("1.90"), Decimal("1.50"), True)
    assert suggest(base, strict, LABELS).rank == 1
    lenient = Settings(dict(DEFAULT_WEIGHTS), Decimal("2.90"), Decimal("2.50"), False)
    assert suggest(base, lenient, LABELS).rank == 3


def test_weights_are_configurable():
    only_money = dict.fromkeys(Factor.values, 0)
    only_money["money"] = 1
    result = suggest(
        ratings(money=3, likelihood=1), Settings(only_money, Decimal("2.3"), Decimal("1.7")), LABELS
    )
    assert result.score == Decimal("3.00")
    assert result.rank == 1


def test_criminal_liability_is_at_least_the_highest_level():
    low = ratings(**dict.fromkeys(Factor.values, 1))
    low["accountability"] = 3
    result = suggest(low, Settings.default(), LABELS)
    assert result.rank == 1
    assert "可能追究刑事责任，至少定为高" in result.reason


def test_disciplinary_liability_is_at_least_the_middle_level():
    low = ratings(**dict.fromkeys(Factor.values, 1))
    low["accountability"] = 2
    assert suggest(low, Settings.default(), LABELS).rank == 2


def test_the_floor_can_be_switched_off():
    low = ratings(**dict.fromkeys(Factor.values, 1))
    low["accountability"] = 3
    settings = Settings(dict(DEFAULT_WEIGHTS), Decimal("2.30"), Decimal("1.70"), False)
    assert suggest(low, settings, LABELS).rank == 3


def test_unrated_factors_are_named():
    result = suggest(ratings(likelihood=3, harm=3), Settings.default(), LABELS)
    assert result.rank == 1
    assert "未评：" in result.reason and "资金流量" in result.reason


def test_the_campaigns_own_words_are_used():
    result = suggest(ratings(likelihood=3, harm=3), Settings.default(), {1: "红", 2: "黄", 3: "橙"})
    assert "→ 红" in result.reason
