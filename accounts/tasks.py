from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification


@shared_task
def ping():
    """Answers ``pong``: the health check and the round-trip test use it."""
    return "pong"


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_notification_emails(self, notification_ids):
    """Mail the given notifications; each one at most once.

    A notification is claimed (``emailed_at`` set) in the same transaction
    that sends it, so a retry or a second delivery of this task skips what
    already went out. Deleted notifications are simply not found.
    """
    sent = 0
    connection = get_connection()
    for pk in notification_ids:
        with transaction.atomic():
            note = (
                Notification.objects.select_for_update()
                .select_related("recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if note is None or not note.recipient.email:
                continue
            body = note.body
            if note.url:
                body = f"{body}\n\n{settings.SITE_URL}{note.url}".strip()
            EmailMessage(
                subject=_("【廉政风险防控】%(title)s") % {"title": note.title},
                body=body,
                to=[note.recipient.email],
                connection=connection,
            ).send()
            note.emailed_at = timezone.now()
            note.save(update_fields=["emailed_at"])
            sent += 1
    return sent
