"""Services for warning signals: recording a signal (with its attachments),
announcing it only to those who may see it, and setting its status.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Notification
from accounts.services import notify
from campaign.approvals import ReviewError
from campaign.uploads import original_name
from risks.models import Filing

from .. import access
from ..models import (
    SignalAttachment,
    TargetKind,
    WarningSignal,
)
from .common import (
    _check_target,
    _fill_target,
    _require_manager,
    managers_of,
)

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
