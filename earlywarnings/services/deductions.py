"""Deductions from the yearly integrity score and the automatic warnings
they raise when the year's total crosses a threshold of the unit's policy.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.services import notify
from campaign.approvals import ReviewError

from .. import access
from ..models import (
    LEVEL_RANK,
    Deduction,
    EarlyWarning,
    Level,
    TargetKind,
    WarningPolicy,
    YearlyScore,
)
from .common import (
    _fill_target,
    _require_manager,
    _today,
)
from .warnings import _announce_warning, _mark_warned

# Deductions and automatic warnings -------------------------------------------


def _lock_score(person, year, policy) -> YearlyScore:
    score, _created = YearlyScore.objects.get_or_create(
        person=person,
        year=year,
        defaults={"unit_id": person.unit_id, "base_points": policy.base_points},
    )
    return YearlyScore.objects.select_for_update().get(pk=score.pk)


@transaction.atomic
def deduct(person, by, *, points, reason, signal=None, year=None) -> Deduction:
    """Take ``points`` off ``person``'s score for ``year`` (default: this year).

    When the year's total crosses a threshold of the unit's policy, the
    warning of the level reached is raised in the same transaction. Crossing
    two thresholds at once (say from 2 to 7 points deducted with C at 3 and
    B at 6) raises only the graver level (B); the milder one is skipped, not
    raised afterwards, and the warning says which levels it passed. Each
    level is raised at most once per person and year: ``YearlyScore.level``
    remembers the gravest level reached, and the named unique constraint
    ``warning_auto_once_per_person_year_level`` guards the rows.
    """
    _require_manager(by)
    if person.unit_id != by.unit_id:
        raise ReviewError(_("只能对本单位人员扣分。"))
    if points is None or points < 1:
        raise ReviewError(_("扣分须为正整数。"))
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("请填写扣分事由。"))
    if signal is not None and not access.may_see_signal(by, signal):
        raise ReviewError(_("该线索不存在。"))
    year = year or _today().year
    policy = WarningPolicy.for_unit(person.unit_id)
    score = _lock_score(person, year, policy)
    deduction = Deduction.objects.create(
        unit_id=person.unit_id,
        person=person,
        year=year,
        points=points,
        reason=reason,
        signal=signal,
        recorded_by=by,
    )
    before = score.level
    score.deducted += points
    reached = policy.level_for(score.deducted)
    notify(
        [person],
        Notification.Kind.WARNING,
        _("%(year)d年度廉政积分扣分通知") % {"year": year},
        _("扣 %(points)d 分，事由：%(reason)s。本年度累计扣 %(total)d 分，剩余 %(left)d 分。")
        % {"points": points, "reason": reason, "total": score.deducted, "left": score.score},
        reverse("earlywarnings:my_file"),
    )
    warning = None
    if LEVEL_RANK[reached] > LEVEL_RANK[before]:
        score.level = reached
        warning = _raise_automatic(person, year, reached, before, score, policy, deduction)
    score.save(update_fields=["deducted", "level"])
    if warning is not None and signal is not None:
        _mark_warned(signal)
    deduction.raised_warning = warning
    return deduction


def _raise_automatic(person, year, level, before, score, policy, deduction):
    if EarlyWarning.objects.filter(
        origin=EarlyWarning.Origin.AUTO, person=person, year=year, level=level
    ).exists():
        return None
    skipped = [
        lvl
        for lvl, _points in policy.thresholds()
        if LEVEL_RANK[before] < LEVEL_RANK[lvl] < LEVEL_RANK[level]
    ]
    label = Level(level).label
    message = _(
        "您%(year)d年度累计扣分 %(total)d 分（基础分 %(base)d 分，剩余 %(left)d 分），达到%(level)s预警线"
        "（%(points)d 分）。请认真查找原因，在答复期限内作出书面说明。"
    ) % {
        "year": year,
        "total": score.deducted,
        "base": score.base_points,
        "left": score.score,
        "level": label,
        "points": dict(policy.thresholds())[level],
    }
    if skipped:
        message += _("本次扣分一次越过%(levels)s，直接发出%(level)s预警。") % {
            "levels": "、".join(str(Level(s).label) for s in skipped),
            "level": label,
        }
    warning = EarlyWarning(
        unit_id=person.unit_id,
        level=level,
        origin=EarlyWarning.Origin.AUTO,
        year=year,
        signal=deduction.signal,
        deduction=deduction,
        title=_("%(year)d年度累计扣分达到%(level)s预警线") % {"year": year, "level": label},
        message=message,
        respond_by=_today() + timedelta(days=policy.response_days),
    )
    _fill_target(warning, TargetKind.PERSON, person, None, None)
    try:
        with transaction.atomic():
            warning.save()
    except IntegrityError:
        # Raised meanwhile by a concurrent deduction: once is enough.
        return None
    _announce_warning(warning, by=None)
    return warning
