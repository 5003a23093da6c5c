"""The campaign's history (活动记录): writing a line, and reading the lines a
person may see.

A line about an object (its ``target``) may quote it: a return reason, a
review opinion, whose form it is. Apps whose objects are not open to every
watcher of the campaign register who may read them
(:func:`register_reader`, e.g. risks for filings); the history page then
leaves out the lines about objects the reader cannot open.
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .access import may_administer
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


# model → visible(user, campaign): a queryset of the pks this person may open.
_readers: dict[type, Callable] = {}


def register_reader(model, visible: Callable) -> None:
    _readers[model] = visible


def entries_for(user, campaign):
    """The campaign's history lines this person may read (the office: all)."""
    entries = campaign.history.all()
    if may_administer(user, campaign):
        return entries
    for model, visible in _readers.items():
        kind = ContentType.objects.get_for_model(model)
        entries = entries.exclude(Q(target_type=kind) & ~Q(target_id__in=visible(user, campaign)))
    return entries
