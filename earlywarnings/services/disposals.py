"""Services for disposals (处置) of a warning: planned → reported →
evaluated → closed, with the notifications of each step.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.services import notify
from campaign.approvals import ReviewError

from .. import access
from ..models import (
    Disposal,
)
from .common import (
    _notify_each,
    _require_manager,
    _today,
)
from .warnings import _locked_warning

# Disposals ------------------------------------------------------------------------


def default_reporter(warning):
    """Who reports on a disposal unless the office names someone else."""
    people = access.answerers(warning)
    return people[0] if people else None


@transaction.atomic
def add_disposal(
    warning_id, by, *, kind, responsible, reporter, due_on, instructions=""
) -> Disposal:
    _require_manager(by)
    warning = _locked_warning(warning_id)
    if warning.unit_id != by.unit_id:
        raise ReviewError(_("该预警不存在。"))
    if warning.is_closed:
        raise ReviewError(_("该预警已办结，不能再增加处置。"))
    if kind not in Disposal.Kind.values:
        raise ReviewError(_("请选择处置方式。"))
    for person in (responsible, reporter):
        if person is None or person.unit_id != warning.unit_id or not person.is_active:
            raise ReviewError(_("责任人和报告人须为本单位在职人员。"))
    if due_on < _today():
        raise ReviewError(_("完成期限不能早于今天。"))
    disposal = Disposal.objects.create(
        warning=warning,
        kind=kind,
        responsible=responsible,
        reporter=reporter,
        due_on=due_on,
        instructions=(instructions or "").strip(),
        created_by=by,
    )
    notify(
        [reporter],
        Notification.Kind.DISPOSAL,
        _("预警处置：%(kind)s，请于 %(date)s 前报告落实情况")
        % {"kind": disposal.get_kind_display(), "date": due_on.isoformat()},
        disposal.instructions,
        reverse("earlywarnings:my_warning", args=[warning.pk]),
    )
    if responsible.pk not in (by.pk, reporter.pk):
        _notify_each(
            [responsible],
            Notification.Kind.DISPOSAL,
            _("请组织实施预警处置：%(kind)s（%(target)s）")
            % {"kind": disposal.get_kind_display(), "target": warning.target_label()},
            disposal.instructions,
            warning,
        )
    return disposal


def _locked_disposal(disposal_id) -> Disposal:
    disposal = (
        Disposal.objects.select_for_update(of=("self",))
        .select_related("warning", "responsible", "reporter", "created_by")
        .filter(pk=disposal_id)
        .first()
    )
    if disposal is None:
        raise ReviewError(_("该处置不存在。"))
    return disposal


def _wrong_state(disposal, action):
    return ReviewError(
        _("该处置当前为“%(status)s”，不能%(action)s。")
        % {"status": disposal.get_status_display(), "action": action}
    )


@transaction.atomic
def report_disposal(disposal_id, by, *, report) -> Disposal:
    """The person concerned reports how the disposal was carried out."""
    disposal = _locked_disposal(disposal_id)
    if disposal.reporter_id != by.pk:
        raise ReviewError(_("只有报告人本人可以报告落实情况。"))
    if disposal.status != Disposal.Status.PLANNED:
        raise _wrong_state(disposal, _("报告"))
    report = (report or "").strip()
    if not report:
        raise ReviewError(_("请填写落实情况报告。"))
    disposal.report = report
    disposal.reported_at = timezone.now()
    disposal.status = Disposal.Status.REPORTED
    disposal.save(update_fields=["report", "reported_at", "status"])
    evaluators = {p.pk: p for p in (disposal.created_by, disposal.responsible) if p is not None}
    evaluators.pop(by.pk, None)
    _notify_each(
        evaluators.values(),
        Notification.Kind.DISPOSAL,
        _("%(who)s 已报告处置落实情况：%(kind)s")
        % {"who": by, "kind": disposal.get_kind_display()},
        report[:500],
        disposal.warning,
    )
    return disposal


@transaction.atomic
def evaluate_disposal(disposal_id, by, *, evaluation, adequate) -> Disposal:
    _require_manager(by)
    disposal = _locked_disposal(disposal_id)
    if disposal.warning.unit_id != by.unit_id:
        raise ReviewError(_("该处置不存在。"))
    if disposal.status != Disposal.Status.REPORTED:
        raise _wrong_state(disposal, _("评估"))
    evaluation = (evaluation or "").strip()
    if not evaluation:
        raise ReviewError(_("请填写评估意见。"))
    disposal.evaluation = evaluation
    disposal.adequate = bool(adequate)
    disposal.evaluated_at = timezone.now()
    disposal.evaluated_by = by
    disposal.status = Disposal.Status.EVALUATED
    disposal.save(
        update_fields=["evaluation", "adequate", "evaluated_at", "evaluated_by", "status"]
    )
    verdict = _("整改到位") if disposal.adequate else _("整改未到位")
    notify(
        [disposal.reporter],
        Notification.Kind.DISPOSAL,
        _("处置落实情况已评估（%(verdict)s）：%(kind)s")
        % {"verdict": verdict, "kind": disposal.get_kind_display()},
        evaluation[:500],
        reverse("earlywarnings:my_warning", args=[disposal.warning_id]),
    )
    return disposal


@transaction.atomic
def close_disposal(disposal_id, by) -> Disposal:
    _require_manager(by)
    disposal = _locked_disposal(disposal_id)
    if disposal.warning.unit_id != by.unit_id:
        raise ReviewError(_("该处置不存在。"))
    if disposal.status != Disposal.Status.EVALUATED:
        raise _wrong_state(disposal, _("办结"))
    disposal.status = Disposal.Status.CLOSED
    disposal.closed_at = timezone.now()
    disposal.closed_by = by
    disposal.save(update_fields=["status", "closed_at", "closed_by"])
    return disposal
