"""The personal iCalendar feed. Calendar clients cannot sign in: the
address carries a signed token of the person instead (see campaign.ical)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import ical


@login_not_required
@never_cache
@require_GET
def feed(request, token):
    user = ical.user_for(token)
    if user is None or user.unit_id is None:
        raise Http404
    response = HttpResponse(ical.build(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lianfang.ics"'
    return response
