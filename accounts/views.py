from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import home as home_registry
from .forms import NotificationPreferencesForm
from .models import Notification
from .roles import standing
from .services import mark_read


def home(request):
    return render(
        request,
        "accounts/home.html",
        {"work": home_registry.work_for(request.user), "standing": standing(request.user)},
    )


def inbox(request):
    notes = Notification.objects.filter(recipient=request.user)
    if request.GET.get("unread") == "1":
        notes = notes.filter(read_at__isnull=True)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/inbox.html",
        {"page": page, "unread_only": request.GET.get("unread") == "1"},
    )


@require_POST
def inbox_mark_read(request):
    ids = request.POST.getlist("ids") or None
    count = mark_read(request.user, ids)
    messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": count})
    return redirect("inbox")


def open_notification(request, pk):
    note = get_object_or_404(Notification, recipient=request.user, pk=pk)
    mark_read(request.user, [note.pk])
    return redirect(note.url or "inbox")


def notification_preferences(request):
    form = NotificationPreferencesForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("通知偏好已保存。"))
        return redirect("notification_preferences")
    return render(request, "accounts/preferences.html", {"form": form})


def _broker_state():
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # The embedded first run has no broker on purpose: tasks run inline.
        return {"ok": True, "state": "eager"}
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # any failure to reach the broker is "down"
        return {"ok": False, "state": "down", "error": exc.__class__.__name__}
    return {"ok": True, "state": "up"}


def _database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "state": "down", "error": exc.__class__.__name__}
    return {"ok": True, "state": "up", "vendor": connection.vendor}


@login_not_required
@never_cache
@require_GET
def healthz(request):
    database = _database_state()
    broker = _broker_state()
    healthy = database["ok"] and broker["ok"]
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )
