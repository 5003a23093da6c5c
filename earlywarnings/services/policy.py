"""The office's settings of its unit: the warning rules and the holiday
list, each change logged to the unit's :class:`~earlywarnings.models.SettingsChange`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.approvals import ReviewError

from .. import access
from ..models import (
    Holiday,
    SettingsChange,
    WarningPolicy,
)

# The office's settings: the unit's rules and the holiday list -------------------------


def _require_configurer(by, unit_id, message):
    if not access.may_configure(by) or by.unit_id != unit_id:
        raise ReviewError(message)


def _log_change(unit_id, by, kind, summary):
    SettingsChange.objects.create(unit_id=unit_id, by=by, kind=kind, summary=summary[:500])


@transaction.atomic
def save_policy(by, *, unit_id, **values) -> WarningPolicy:
    """The office changes its unit's rules (扣分线, base points, reminder days).

    The policy row is locked, so two office members saving at once change it
    in turn; only the fields that changed are saved, with who and when, and
    the change (old → new values) goes to the unit's settings log. New
    thresholds apply from the next deduction on.
    """
    _require_configurer(by, unit_id, _("只有领导小组办公室可以修改预警规则。"))
    unknown = set(values) - set(WarningPolicy.EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    WarningPolicy.for_unit(unit_id)  # created lazily with the defaults
    policy = WarningPolicy.objects.select_for_update().get(unit_id=unit_id)
    changed = {}
    for name, value in values.items():
        before = getattr(policy, name)
        if value is not None and value != before:
            changed[name] = (before, value)
            setattr(policy, name, value)
    if not changed:
        return policy
    try:
        policy.full_clean(exclude=["unit", "changed_by", "changed_at"], validate_unique=False)
    except ValidationError as exc:
        raise ReviewError("；".join(exc.messages)) from exc
    policy.changed_by = by
    policy.changed_at = timezone.now()
    policy.save(update_fields=[*changed, "changed_by", "changed_at"])
    parts = [
        _("%(field)s %(before)s → %(after)s")
        % {
            "field": WarningPolicy._meta.get_field(name).verbose_name,
            "before": before,
            "after": after,
        }
        for name, (before, after) in changed.items()
    ]
    _log_change(
        unit_id,
        by,
        SettingsChange.Kind.POLICY,
        _("修改预警规则：%(changes)s") % {"changes": "；".join(parts)},
    )
    return policy


@transaction.atomic
def save_holiday(by, *, unit_id, date, name):
    _require_configurer(by, unit_id, _("只有领导小组办公室可以维护节假日。"))
    name = name.strip()
    holiday, _created = Holiday.objects.update_or_create(
        unit_id=unit_id, date=date, defaults={"name": name}
    )
    _log_change(
        unit_id,
        by,
        SettingsChange.Kind.HOLIDAY_SAVED,
        _("保存节假日：%(date)s %(name)s") % {"date": date.isoformat(), "name": name},
    )
    return holiday


@transaction.atomic
def delete_holiday(by, *, unit_id, holiday_id) -> None:
    """Take a holiday off the unit's list (its reminders are no longer sent)."""
    _require_configurer(by, unit_id, _("只有领导小组办公室可以维护节假日。"))
    holiday = Holiday.objects.select_for_update().filter(pk=holiday_id, unit_id=unit_id).first()
    if holiday is None:
        raise ReviewError(_("该节假日不存在或已被删除。"))
    summary = _("删除节假日：%(date)s %(name)s") % {
        "date": holiday.date.isoformat(),
        "name": holiday.name,
    }
    holiday.delete()
    _log_change(unit_id, by, SettingsChange.Kind.HOLIDAY_DELETED, summary)
