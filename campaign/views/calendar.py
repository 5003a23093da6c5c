"""The personal iCalendar feed. Calendar clients cannot sign in: the
address carries a signed token of the person instead (see campaign.ical).

A POST to the address, by its owner signed in, resets it (重置订阅链接):
every address handed out before gives 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import ical
from .common import back


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def feed(request, token):
    if request.method == "POST":
        return reset(request, token)
    user = ical.user_for(token)
    if user is None or user.unit_id is None:
        raise Http404
    response = HttpResponse(ical.build(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lianfang.ics"'
    return response


def reset(request, token):
    """Only the address's owner, signed in, with its current address."""
    user = request.user
    if not user.is_authenticated or ical.user_for(token) != user:
        raise Http404
    ical.reset(user)
    messages.success(
        request,
        _("订阅链接已重置，原来的链接已失效。请复制新的链接，在日历中重新订阅。"),
    )
    return back(request, "campaign:list")
