"""Evidence on measures (佐证材料): storing and removing files.

What may be uploaded (type by extension and first bytes, size) is checked by
``campaign.uploads``; files are only ever sent back through the
permission-checked download view. Evidence is the proof a measure is carried
out, so it may be added after the filing is approved — by whoever may edit
the filing and by the measure's owner (who need not see the rest of the
filing: ``access.get_measure``) — but never in a closed campaign.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaign.approvals import refuse_races
from campaign.audit import record
from campaign.services import lock_open
from campaign.uploads import extension, original_name, validate_attachment

from .access import may_edit
from .models import Evidence

# Evidence is a document, a scan or a photo: no slides.
EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png", "txt")
ACCEPT = ",".join(f".{ext}" for ext in EXTENSIONS)


def validate_evidence(upload) -> None:
    """Type (extension and first bytes) and size, with Chinese messages."""
    ext = extension(upload.name)
    if ext not in EXTENSIONS:
        raise ValidationError(
            _("不支持的文件类型%(ext)s。佐证材料可以上传：%(allowed)s。")
            % {"ext": f"（.{ext}）" if ext else "", "allowed": "、".join(EXTENSIONS)},
            code="file_type",
        )
    validate_attachment(upload)


def may_upload(user, filing, measure) -> bool:
    if filing.campaign.is_closed:
        return False
    return may_edit(user, filing) or (measure.owner_id is not None and measure.owner_id == user.pk)


def may_remove(user, filing, evidence) -> bool:
    if filing.campaign.is_closed:
        return False
    return may_edit(user, filing) or (
        evidence.uploaded_by_id is not None and evidence.uploaded_by_id == user.pk
    )


@refuse_races
@transaction.atomic
def add_evidence(filing, measure, upload, by) -> Evidence:
    filing.campaign = lock_open(filing.campaign_id)
    if not may_upload(by, filing, measure):
        raise PermissionDenied(_("只有填报人和措施责任人可以上传佐证材料。"))
    validate_evidence(upload)
    evidence = Evidence.objects.create(
        measure=measure,
        file=upload,
        original_name=original_name(upload),
        size=upload.size,
        content_type=(getattr(upload, "content_type", "") or "")[:100],
        uploaded_by=by,
    )
    record(
        filing.campaign,
        by,
        "evidence.added",
        _("%(who)s 为措施“%(measure)s”上传佐证材料 %(name)s")
        % {"who": by, "measure": measure, "name": evidence.original_name},
        target=filing,
    )
    return evidence


@refuse_races
@transaction.atomic
def remove_evidence(filing, evidence, by) -> None:
    filing.campaign = lock_open(filing.campaign_id)
    if not may_remove(by, filing, evidence):
        raise PermissionDenied(_("只有上传人和填报人可以删除佐证材料。"))
    name = evidence.original_name
    stored = evidence.file
    evidence.delete()
    # The file goes once the row is surely gone.
    transaction.on_commit(lambda: stored.storage.delete(stored.name) if stored.name else None)
    record(
        filing.campaign,
        by,
        "evidence.removed",
        _("%(who)s 删除佐证材料 %(name)s") % {"who": by, "name": name},
        target=filing,
    )
