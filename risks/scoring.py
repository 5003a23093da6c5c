"""The scoring model that suggests a grade for a risk point.

The seed plans name eight factors for grading: how likely abuse is, how much
harm it would do, how important the power is, how much discretion it
carries, how much money flows through it, how often it is exercised, how
hidden abuse would be, and how severe the accountability would be. The filer
rates each 1 (低), 2 (中) or 3 (高); accountability is rated 1 (a minor
breach), 2 (party or administrative discipline) or 3 (criminal liability).

1. **Weighted score.** The weighted mean of the rated factors, between 1
   and 3. Unrated factors are left out (and named in the explanation).
   Likelihood, harm and accountability weigh double by default: the seeds
   grade above all by "被追究的严厉程度、危害程度以及发生的可能程度".
2. **Thresholds.** Score ≥ the high threshold (default 2.30) suggests the
   campaign's highest level (高 / 一级 / 红); ≥ the medium threshold
   (default 1.70) the middle one; otherwise the lowest.
3. **Severity floor** (on by default). Two seeds define the grades by the
   accountability at stake: a risk that could end in criminal liability is at
   least the highest level, one that could end in party or administrative
   discipline at least the middle one. When in doubt grade higher
   (就高不就低): the floor only ever raises a grade.

The suggestion comes with its reason in words, e.g. "资金流量高＋自由裁量
空间高 → 高（加权得分 2.45）". Weights and thresholds are per campaign
(:class:`~risks.models.ScoringModel`).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import Factor, Rating, ScoringModel

DEFAULT_WEIGHTS = {
    Factor.LIKELIHOOD: 2,
    Factor.HARM: 2,
    Factor.ACCOUNTABILITY: 2,
    Factor.IMPORTANCE: 1,
    Factor.DISCRETION: 1,
    Factor.MONEY: 1,
    Factor.FREQUENCY: 1,
    Factor.CONCEALMENT: 1,
}
DEFAULT_HIGH = Decimal("2.30")
DEFAULT_MEDIUM = Decimal("1.70")


@dataclass(frozen=True)
class Suggestion:
    rank: int  # 1 is the highest level
    score: Decimal
    reason: str


@dataclass(frozen=True)
class Settings:
    weights: dict
    high: Decimal
    medium: Decimal
    severity_floor: bool = True

    @classmethod
    def default(cls):
        return cls(dict(DEFAULT_WEIGHTS), DEFAULT_HIGH, DEFAULT_MEDIUM, True)

    @classmethod
    def for_campaign(cls, campaign):
        model = ScoringModel.objects.filter(campaign=campaign).first()
        if model is None:
            return cls.default()
        weights = {
            **DEFAULT_WEIGHTS,
            **{k: v for k, v in model.weights.items() if k in Factor.values},
        }
        return cls(
            weights,
            Decimal(model.high_threshold),
            Decimal(model.medium_threshold),
            model.severity_floor,
        )


def suggest(ratings: dict, settings: Settings, labels: dict) -> Suggestion | None:
    """Suggest a level for ``ratings`` (factor → 1..3 or None).

    ``labels`` maps rank (1, 2, 3) to the campaign's own level names, used in
    the explanation. Returns None when no factor is rated.
    """
    rated = {f: r for f, r in ratings.items() if r in (1, 2, 3) and settings.weights.get(f, 0) > 0}
    if not rated:
        return None
    total_weight = sum(settings.weights[f] for f in rated)
    score = Decimal(sum(settings.weights[f] * r for f, r in rated.items())) / Decimal(total_weight)
    score = score.quantize(Decimal("0.01"))
    if score >= settings.high:
        rank = 1
    elif score >= settings.medium:
        rank = 2
    else:
        rank = 3

    floor_note = ""
    if settings.severity_floor:
        accountability = ratings.get(Factor.ACCOUNTABILITY)
        floor = {3: 1, 2: 2}.get(accountability)
        if floor is not None and floor < rank:
            rank = floor
            floor_note = (
                _("可能追究刑事责任，至少定为%(level)s")
                if accountability == 3
                else _("可能受党纪政务处分，至少定为%(level)s")
            ) % {"level": labels.get(floor, floor)}

    names = dict(Factor.choices)
    high_factors = sorted(
        (f for f, r in rated.items() if r == Rating.HIGH),
        key=lambda f: (-settings.weights[f], Factor.values.index(f)),
    )
    drivers = "＋".join(_("%(factor)s高") % {"factor": names[f]} for f in high_factors) or _(
        "各因素均不高"
    )
    reason = _("%(drivers)s → %(level)s（加权得分 %(score)s）") % {
        "drivers": drivers,
        "level": labels.get(rank, rank),
        "score": score,
    }
    if floor_note:
        reason = f"{reason}；{floor_note}"
    missing = [str(names[f]) for f in Factor.values if f not in rated]
    if missing:
        reason = f"{reason}；" + _("未评：%(names)s") % {"names": "、".join(missing)}
    return Suggestion(rank=rank, score=score, reason=reason)


def suggest_for(point, settings: Settings, levels_by_rank: dict):
    """Set ``point.suggested_grade`` and its reason from its factors (not saved)."""
    labels = {rank: level.label for rank, level in levels_by_rank.items()}
    suggestion = suggest(point.factor_ratings(), settings, labels)
    if suggestion is None:
        point.suggested_grade = None
        point.suggestion_reason = ""
    else:
        point.suggested_grade = levels_by_rank.get(suggestion.rank)
        point.suggestion_reason = suggestion.reason[:300]
    return suggestion
