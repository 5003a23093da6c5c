"""A person's calendar subscription (see ``campaign/ical.py``)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    return secrets.token_urlsafe(12)


class CalendarFeed(models.Model):
    """The secret mixed into a person's feed address.

    A person without a row has the address of before secrets existed;
    resetting the address gives them a row, and every reset a new secret, so
    every address handed out before stops working.
    """

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("人员"),
    )
    secret = models.CharField(_("订阅密钥"), max_length=32, default=new_secret)
    reset_at = models.DateTimeField(_("重置时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self):
        return str(self.person)
