from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def record(campaign, actor, action, summary, *, target=None, detail=""):
    """Add a line to the campaign's history (shown on its history page)."""
    return AuditEntry.objects.create(
        campaign=campaign,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        summary=str(summary)[:300],
        detail=str(detail),
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
    )
