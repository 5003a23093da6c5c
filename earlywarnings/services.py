"""State changes of early warning: signals, deductions (and the automatic
warnings they raise), warnings raised by hand, answers and disposals.

Every function checks who is acting and the state it starts from, runs in
one transaction, locks the row two people could change at once, saves with
``update_fields`` and notifies through ``accounts.services.notify`` (whose
e-mails go out after the commit). Refusals raise ``ReviewError`` with a
Chinese message.

No line goes to the campaign history (``campaign.audit``): warnings belong to
the unit, not to one campaign, and a campaign's history is read by every
watcher — a confidential signal must never surface there. Each row records
who did what and when itself; the office's changes to the unit's settings
(the rules and the holiday list) go to the unit's own log,
:class:`~earlywarnings.models.SettingsChange`.

Confidentiality in notifications: a confidential signal is announced only to
those who may see it (discipline inspection and the office head, minus the
person named and the head of their section), with no content in the
message; a warning raised from it tells the people it concerns the level and
the warning's own text, never its source.
"""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.roles import GROUP_NAMES, Role
from accounts.services import notify
from campaign.approvals import ReviewError
from campaign.uploads import original_name
from risks.models import Filing

from . import access
from .models import (
    LEVEL_RANK,
    Deduction,
    Disposal,
    EarlyWarning,
    Holiday,
    Level,
    SettingsChange,
    SignalAttachment,
    TargetKind,
    WarningPolicy,
    WarningSignal,
    YearlyScore,
)


def _today():
    return timezone.localdate()


def _require_manager(by):
    if not access.may_manage(by):
        raise ReviewError(_("只有领导小组办公室和纪检组可以进行此操作。"))


def _people_with_roles(unit_id, roles):
    names = [GROUP_NAMES[role] for role in roles]
    group_ids = Group.objects.filter(name__in=names).values("pk")
    return User.objects.filter(unit_id=unit_id, is_active=True, groups__in=group_ids).distinct()


def managers_of(unit_id):
    """The office and discipline inspection of a unit: who handles warnings."""
    return _people_with_roles(unit_id, [Role.OFFICE, Role.OFFICE_HEAD, Role.DISCIPLINE])


def warning_url_for(person, warning) -> str:
    """The page of ``warning`` this person can open."""
    if access.may_read_warnings(person):
        return reverse("earlywarnings:detail", args=[warning.pk])
    return reverse("earlywarnings:my_warning", args=[warning.pk])


def _notify_each(people, kind, title, body, warning):
    """One message to several people, each with the link they can open."""
    by_url = {}
    for person in people:
        by_url.setdefault(warning_url_for(person, warning), []).append(person)
    for url, group in by_url.items():
        notify(group, kind, title, body, url)


def _check_target(unit_id, target_kind, person, post, section):
    if person is not None and person.unit_id != unit_id:
        raise ReviewError(_("涉及人员须为本单位人员。"))
    if post is not None and post.section.unit_id != unit_id:
        raise ReviewError(_("涉及岗位须为本单位岗位。"))
    if section is not None and section.unit_id != unit_id:
        raise ReviewError(_("涉及科室须为本单位科室。"))
    needed = {TargetKind.PERSON: person, TargetKind.POST: post, TargetKind.SECTION: section}
    if target_kind in needed and needed[target_kind] is None:
        raise ReviewError(_("请选择预警对象。"))


def _fill_target(obj, target_kind, person, post, section):
    """Set the target; a person's post and section (and a post's section)
    are copied so that lists filter by section without joins."""
    obj.target_kind = target_kind
    obj.person = obj.post = obj.section = None
    if target_kind == TargetKind.PERSON:
        obj.person = person
        obj.post = post or person.post
        obj.section = section or person.section
    elif target_kind == TargetKind.POST:
        obj.post = post
        obj.section = post.section
    elif target_kind == TargetKind.SECTION:
        obj.section = section


# Signals -------------------------------------------------------------------


@transaction.atomic
def record_signal(
    by,
    *,
    source,
    title,
    description,
    received_on,
    target_kind=TargetKind.PERSON,
    person=None,
    post=None,
    section=None,
    risk_point=None,
    confidential=False,
    uploads=(),
) -> WarningSignal:
    """Register a signal; petition signals are confidential whatever is ticked."""
    _require_manager(by)
    confidential = confidential or source in WarningSignal.CONFIDENTIAL_SOURCES
    if confidential and not access.sees_confidential(by):
        raise ReviewError(_("信访举报等保密线索只能由纪检组或办公室主任登记。"))
    _check_target(by.unit_id, target_kind, person, post, section)
    if risk_point is not None:
        if risk_point.campaign.unit_id != by.unit_id:
            raise ReviewError(_("相关风险点须为本单位的风险点。"))
        filing = risk_point.filing
        if (
            target_kind != TargetKind.PERSON
            or person is None
            or filing.kind != Filing.Kind.PERSONAL
            or filing.owner_id != person.pk
        ):
            raise ReviewError(_("相关风险点须为涉及人员本人登记表中的风险点。"))
    signal = WarningSignal(
        unit_id=by.unit_id,
        source=source,
        title=title.strip(),
        description=description.strip(),
        received_on=received_on,
        risk_point=risk_point,
        confidential=confidential,
        recorded_by=by,
    )
    _fill_target(signal, target_kind, person, post, section)
    signal.save()
    for upload in uploads:
        add_attachment(signal, by, upload)
    _announce_signal(signal, by)
    return signal


def _announce_signal(signal, by):
    """Tell the others who may see it that a signal came in."""
    readers = [
        person
        for person in managers_of(signal.unit_id).exclude(pk=by.pk).select_related("section")
        if person.pk != signal.person_id and access.may_see_signal(person, signal)
    ]
    if not readers:
        return
    if signal.confidential:
        # Nothing of the content leaves the system, not even in an e-mail.
        title = _("有一条保密线索待研判")
        body = _("请登录系统查看。")
    else:
        title = _("新的预警线索：%(title)s") % {"title": signal.title}
        body = _("来源：%(source)s；涉及：%(target)s") % {
            "source": signal.get_source_display(),
            "target": signal.target_label(),
        }
    notify(readers, Notification.Kind.WARNING, title, body, signal.get_absolute_url())


def add_attachment(signal, by, upload) -> SignalAttachment:
    """Store an uploaded file (validated by the form's AttachmentField)."""
    attachment = SignalAttachment(
        signal=signal, original_name=original_name(upload), size=upload.size, uploaded_by=by
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def set_signal_status(signal_id, by, status) -> WarningSignal:
    if not access.visible_signals(by).filter(pk=signal_id).exists():
        raise ReviewError(_("该线索不存在。"))
    # Locked on its own: PostgreSQL locks no row of an outer join.
    signal = WarningSignal.objects.select_for_update().get(pk=signal_id)
    if status not in WarningSignal.Status.values:
        raise ReviewError(_("请选择研判结果。"))
    signal.status = status
    signal.save(update_fields=["status"])
    return signal


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
