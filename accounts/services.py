from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from .models import Notification, NotificationPreference


def email_kinds_for(user_ids, kind) -> set[int]:
    """The people among ``user_ids`` who want ``kind`` by e-mail."""
    prefs = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "by_email"
        )
    )
    default = kind in Notification.EMAIL_BY_DEFAULT
    return {uid for uid in user_ids if prefs.get(uid, default)}


def notify(recipients, kind, title, body="", url="") -> list[Notification]:
    """Put a message in each recipient's inbox; e-mail those who asked for it.

    The e-mail is sent by a Celery task after the surrounding transaction
    commits, so a rolled-back action never mails anyone.
    """
    people = {r.pk: r for r in recipients if r is not None and r.is_active}
    if not people:
        return []
    created = Notification.objects.bulk_create(
        [
            Notification(recipient_id=pk, kind=kind, title=title[:200], body=body, url=url)
            for pk in people
        ]
    )
    wanted = email_kinds_for(list(people), kind)
    ids = [n.pk for n in created if n.recipient_id in wanted and people[n.recipient_id].email]
    if ids:
        from .tasks import send_notification_emails

        transaction.on_commit(partial(send_notification_emails.delay, ids))
    return created


def mark_read(user, ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


@dataclass(frozen=True)
class Message:
    """One inbox message for :func:`notify_many`."""

    recipient_id: int
    kind: str
    title: str
    body: str = ""
    url: str = ""


# How many notifications one e-mail task is given at most.
EMAIL_TASK_BATCH = 500


def notify_many(messages) -> list[Notification]:
    """Like :func:`notify`, but each message has its own recipient and text.

    For jobs that write thousands of personal reminders at once: one insert
    and one preference query whatever the number of messages (the caller
    chooses active recipients), e-mails queued after the commit in batches.
    """
    messages = list(messages)
    if not messages:
        return []
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=m.recipient_id,
                kind=m.kind,
                title=m.title[:200],
                body=m.body,
                url=m.url[:300],
            )
            for m in messages
        ]
    )
    recipients = {m.recipient_id for m in messages}
    kinds = {m.kind for m in messages}
    prefs = {
        (user_id, kind): by_email
        for user_id, kind, by_email in NotificationPreference.objects.filter(
            user_id__in=recipients, kind__in=kinds
        ).values_list("user_id", "kind", "by_email")
    }
    ids = [
        n.pk
        for n in created
        if prefs.get((n.recipient_id, n.kind), n.kind in Notification.EMAIL_BY_DEFAULT)
    ]
    if ids:
        from .tasks import send_notification_emails

        for start in range(0, len(ids), EMAIL_TASK_BATCH):
            transaction.on_commit(
                partial(send_notification_emails.delay, ids[start : start + EMAIL_TASK_BATCH])
            )
    return created
