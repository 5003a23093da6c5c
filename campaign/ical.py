"""The personal calendar feed: the dates of running campaigns that concern
one person, as iCalendar for Outlook, WPS, phone calendars.

Calendar clients cannot sign in, so the feed's address carries a signed
token of the person's id instead of a session, and of their
:class:`~campaign.models.CalendarFeed` secret once they have one: resetting
the address (:func:`reset`) draws a new secret, and every address handed out
before gives 404.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from accounts.models import User
from accounts.roles import standing

from .models import CalendarFeed, Campaign, LeadingGroupMember, Milestone, Stage
from .models.calendar import new_secret

SALT = "campaign.ical"


def _signer():
    # No timestamp: the address stays the same, so a subscription never breaks.
    return signing.Signer(salt=SALT)


def _secret(user_id) -> str:
    # No row yet: the address of before secrets existed (it keeps working
    # until the person first resets it).
    return (
        CalendarFeed.objects.filter(person_id=user_id).values_list("secret", flat=True).first()
        or ""
    )


def _value(user_id, secret) -> str:
    return f"{user_id}.{secret}" if secret else str(user_id)


def token_for(user) -> str:
    return _signer().sign(_value(user.pk, _secret(user.pk)))


def user_for(token):
    """The active person the token was made for, or None (also when the
    person has reset their address since)."""
    try:
        value = _signer().unsign(token)
    except signing.BadSignature:
        return None
    user_id, _dot, secret = value.partition(".")
    if not user_id.isdigit():
        return None
    user = User.objects.filter(pk=int(user_id), is_active=True).first()
    if user is None or not constant_time_compare(secret, _secret(user.pk)):
        return None
    return user


@transaction.atomic
def reset(user) -> str:
    """Revoke every address of ``user``'s feed; the new token."""
    feed = CalendarFeed.objects.select_for_update().filter(person=user).first()
    if feed is None:
        feed = CalendarFeed.objects.create(person=user)
    else:
        feed.secret = new_secret()
        feed.save(update_fields=["secret", "reset_at"])
    return _signer().sign(_value(user.pk, feed.secret))


def feed_url(request, user) -> str:
    return request.build_absolute_uri(reverse("campaign:ical", args=[token_for(user)]))


def milestones_for(user, campaigns):
    """Milestones of ``campaigns`` whose responsible includes ``user``."""
    who = standing(user)
    wanted = Q(responsible=Milestone.Responsible.ALL_STAFF)
    if user.section_id:
        wanted |= Q(responsible=Milestone.Responsible.SECTION, section_id=user.section_id)
    if who.is_section_head:
        wanted |= Q(responsible=Milestone.Responsible.SECTION_HEADS)
    if who.is_party_committee:
        wanted |= Q(responsible=Milestone.Responsible.PARTY_COMMITTEE)
    seats = LeadingGroupMember.objects.filter(person=user, campaign__in=campaigns)
    office_seats = seats.filter(role__in=LeadingGroupMember.OFFICE_ROLES).values("campaign")
    if who.is_office:
        wanted |= Q(responsible=Milestone.Responsible.OFFICE)
    else:
        wanted |= Q(responsible=Milestone.Responsible.OFFICE, stage__campaign__in=office_seats)
    if who.is_leading_group:
        wanted |= Q(responsible=Milestone.Responsible.LEADING_GROUP)
    else:
        wanted |= Q(
            responsible=Milestone.Responsible.LEADING_GROUP,
            stage__campaign__in=seats.values("campaign"),
        )
    return (
        Milestone.objects.filter(stage__campaign__in=campaigns)
        .filter(wanted)
        .select_related("stage__campaign", "section")
        .order_by("due_on", "pk")
    )


def _host():
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "lianfang"


def build(user, site_url=None) -> bytes:
    site = (site_url or settings.SITE_URL).rstrip("/")
    campaigns = Campaign.objects.filter(unit_id=user.unit_id, status=Campaign.Status.RUNNING)
    stamp = timezone.now()
    host = _host()
    calendar = Calendar()
    calendar.add("prodid", "-//lianfang//campaign calendar//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("廉政风险防控工作日程"))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stages = Stage.objects.filter(campaign__in=campaigns).select_related("campaign")
    for stage in stages.order_by("campaign_id", "position"):
        event = Event()
        event.add("uid", f"stage-{stage.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add(
            "summary",
            _("【%(campaign)s】%(stage)s阶段") % {"campaign": stage.campaign, "stage": stage},
        )
        event.add("dtstart", stage.starts_on)
        event.add("dtend", stage.due_on + timedelta(days=1))
        event.add("description", stage.description)
        event.add("url", site + reverse("campaign:detail", args=[stage.campaign_id]))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    for milestone in milestones_for(user, campaigns):
        campaign = milestone.stage.campaign
        event = Event()
        event.add("uid", f"milestone-{milestone.pk}@{host}")
        event.add("dtstamp", stamp)
        done = _("（已完成）") if milestone.done else ""
        event.add(
            "summary",
            _("【%(campaign)s】截止：%(title)s%(done)s")
            % {"campaign": campaign, "title": milestone.title, "done": done},
        )
        event.add("dtstart", milestone.due_on)
        event.add("dtend", milestone.due_on + timedelta(days=1))
        event.add(
            "description",
            _("阶段：%(stage)s；责任主体：%(who)s")
            % {"stage": milestone.stage, "who": milestone.responsible_label()},
        )
        event.add("url", site + reverse("campaign:detail", args=[campaign.pk]))
        calendar.add_component(event)
    return calendar.to_ical()


__all__ = ["build", "feed_url", "milestones_for", "reset", "token_for", "user_for"]
