"""Services for warnings: raising one by hand, telling the people it
concerns (never its source), the answer of the person concerned and closing
it. The automatic warnings of deductions are announced the same way.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.services import notify
from campaign.approvals import ReviewError

from .. import access
from ..models import (
    Disposal,
    EarlyWarning,
    Level,
    TargetKind,
    WarningSignal,
)
from .common import (
    _check_target,
    _fill_target,
    _require_manager,
    _today,
    managers_of,
)

# Warnings by hand ----------------------------------------------------------------


@transaction.atomic
def raise_warning(
    by,
    *,
    level,
    title,
    message,
    respond_by,
    target_kind=TargetKind.PERSON,
    person=None,
    post=None,
    section=None,
    signal=None,
) -> EarlyWarning:
    _require_manager(by)
    if level not in Level.values:
        raise ReviewError(_("请选择预警等级。"))
    _check_target(by.unit_id, target_kind, person, post, section)
    if signal is not None and not access.may_see_signal(by, signal):
        raise ReviewError(_("该线索不存在。"))
    if respond_by < _today():
        raise ReviewError(_("答复期限不能早于今天。"))
    warning = EarlyWarning(
        unit_id=by.unit_id,
        level=level,
        origin=EarlyWarning.Origin.MANUAL,
        year=_today().year,
        signal=signal,
        title=title.strip(),
        message=message.strip(),
        respond_by=respond_by,
        raised_by=by,
    )
    _fill_target(warning, target_kind, person, post, section)
    warning.save()
    if signal is not None:
        _mark_warned(signal)
    _announce_warning(warning, by=by)
    return warning


def _mark_warned(signal):
    """A signal a warning was raised from is "warned", whatever it was before."""
    if signal.status != WarningSignal.Status.WARNED:
        signal.status = WarningSignal.Status.WARNED
        signal.save(update_fields=["status"])


def _addressees(warning):
    if warning.target_kind == TargetKind.UNIT:
        return list(User.objects.filter(unit_id=warning.unit_id, is_active=True))
    return access.answerers(warning)


def _announce_warning(warning, by):
    """The people concerned learn the level and the warning's own text —
    never its source; the unit's managers learn of automatic warnings."""
    title = _("%(level)s：%(title)s") % {
        "level": warning.get_level_display(),
        "title": warning.title,
    }
    body = _("%(message)s\n请于 %(date)s 前答复。") % {
        "message": warning.message,
        "date": warning.respond_by.isoformat(),
    }
    addressees = _addressees(warning)
    url = reverse("earlywarnings:my_warning", args=[warning.pk])
    notify(addressees, Notification.Kind.WARNING, title, body, url)
    if by is None:
        told = {p.pk for p in addressees}
        managers = [p for p in managers_of(warning.unit_id) if p.pk not in told]
        notify(
            managers,
            Notification.Kind.WARNING,
            _("自动预警：%(title)s") % {"title": warning.title},
            warning.message,
            reverse("earlywarnings:detail", args=[warning.pk]),
        )


def _locked_warning(warning_id) -> EarlyWarning:
    warning = (
        EarlyWarning.objects.select_for_update(of=("self",))
        .select_related("person", "post", "section__head", "raised_by")
        .filter(pk=warning_id)
        .first()
    )
    if warning is None:
        raise ReviewError(_("该预警不存在。"))
    return warning


@transaction.atomic
def answer_warning(warning_id, by, *, response) -> EarlyWarning:
    """The person concerned answers the warning (one answer; it may be
    rewritten until the office closes the warning)."""
    warning = _locked_warning(warning_id)
    if not access.may_answer(by, warning):
        raise ReviewError(_("只有预警对象本人可以答复。"))
    if warning.is_closed:
        raise ReviewError(_("该预警已办结，不能再答复。"))
    response = (response or "").strip()
    if not response:
        raise ReviewError(_("请填写答复内容。"))
    warning.response = response
    warning.responded_at = timezone.now()
    warning.responded_by = by
    warning.status = EarlyWarning.Status.ANSWERED
    warning.save(update_fields=["response", "responded_at", "responded_by", "status"])
    recipients = [warning.raised_by] if warning.raised_by_id else list(managers_of(warning.unit_id))
    notify(
        [p for p in recipients if p.pk != by.pk],
        Notification.Kind.WARNING,
        _("%(who)s 已答复预警：%(title)s") % {"who": by, "title": warning.title},
        response[:500],
        reverse("earlywarnings:detail", args=[warning.pk]),
    )
    return warning


@transaction.atomic
def close_warning(warning_id, by, *, note="") -> EarlyWarning:
    _require_manager(by)
    warning = _locked_warning(warning_id)
    if warning.unit_id != by.unit_id:
        raise ReviewError(_("该预警不存在。"))
    if warning.is_closed:
        raise ReviewError(_("该预警已经办结。"))
    open_disposals = warning.disposals.exclude(status=Disposal.Status.CLOSED).count()
    if open_disposals:
        raise ReviewError(
            _("还有 %(count)d 项处置未办结，请先办结全部处置。") % {"count": open_disposals}
        )
    warning.status = EarlyWarning.Status.CLOSED
    warning.closed_at = timezone.now()
    warning.closed_by = by
    warning.closing_note = (note or "").strip()
    warning.save(update_fields=["status", "closed_at", "closed_by", "closing_note"])
    notify(
        access.answerers(warning),
        Notification.Kind.WARNING,
        _("预警已办结：%(title)s") % {"title": warning.title},
        warning.closing_note,
        reverse("earlywarnings:my_warning", args=[warning.pk]),
    )
    return warning
