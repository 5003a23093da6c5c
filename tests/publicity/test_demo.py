"""The demo's notices: a closed internal notice with feedback answered and
an open public one with its link; a second load changes nothing."""

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from campaign import demo as campaign_demo
from powers import demo as powers_demo
from publicity import demo
from publicity.models import Feedback, Window
from risks import demo as risks_demo

pytestmark = pytest.mark.django_db


def _load():
    context = {}
    for module in (accounts_demo, campaign_demo, powers_demo, risks_demo, demo):
        module.load(context)
    return context


def _snapshot():
    return (
        list(Window.objects.values().order_by("pk")),
        list(Feedback.objects.values().order_by("pk")),
    )


def test_the_demo_notices(client):
    context = _load()
    first = _snapshot()
    _load()
    assert _snapshot() == first

    now = timezone.now()
    closed = Window.objects.get(scope=Window.Scope.REGISTER)
    assert closed.status == Window.Status.CLOSED and closed.ends_at < now and not closed.public
    assert closed.feedback.count() == 2 and all(f.is_answered for f in closed.feedback.all())
    open_window = Window.objects.get(scope=Window.Scope.POWERS)
    assert open_window.is_open(now) and open_window.public and open_window.token
    assert context["publicity_link"] == open_window.public_url()
    response = client.get(open_window.public_url())
    assert (
        response.status_code == 200 and 'data-testid="feedback-form"' in response.content.decode()
    )
    assert 'data-testid="notice-power"' in response.content.decode()
