"""Publicity pages.

* ``list`` — open notices for everyone signed in (the "公示" entry);
* ``manage`` / ``window`` — the office opens, watches, ends windows, answers
  feedback, revokes the public link;
* ``notice`` — the printable internal notice, with the feedback form;
* ``public`` — the notice at the unguessable link, for anyone, no login.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign.access import administered_campaigns, current_campaign
from campaign.views.common import load, message_of, render_campaign

from . import content, services
from .access import get_public_window, get_window, may_manage, visible_windows
from .forms import AnswerForm, FeedbackForm, WindowForm
from .models import Feedback, Window
from .qr import absolute, qr_svg

RECENT_PAGE_SIZE = 20


def _client_address(request) -> str:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ""


# Everyone -----------------------------------------------------------------------


def notices(request):
    """Open (and coming) notices first, then those that ended."""
    now = timezone.now()
    windows = visible_windows(request.user).select_related("campaign", "section")
    current = list(
        windows.filter(status=Window.Status.OPEN, ends_at__gt=now).order_by("ends_at", "pk")
    )
    ended = windows.filter(Q(status=Window.Status.CLOSED) | Q(ends_at__lte=now)).order_by(
        "-ends_at", "-pk"
    )
    page = Paginator(ended, RECENT_PAGE_SIZE).get_page(request.GET.get("page"))
    read = set(
        Window.objects.filter(
            pk__in=[w.pk for w in current], reads__person=request.user
        ).values_list("pk", flat=True)
    )
    for window in current:
        window.read = window.pk in read
    campaign = current_campaign(request.user)
    managed = campaign if campaign is not None and may_manage(request.user, campaign) else None
    if managed is None:
        managed = (
            administered_campaigns(request.user)
            .filter(unit_id=request.user.unit_id)
            .order_by("-year")
            .first()
        )
    return render(
        request,
        "publicity/list.html",
        {"current": current, "page": page, "managed": managed, "now": now},
    )


def notice(request, pk):
    window = get_window(request.user, pk)
    services.mark_read(window, request.user)
    form = FeedbackForm()
    return _render_notice(request, "publicity/notice.html", window, form=form, public=False)


@require_POST
def feedback(request, pk):
    window = get_window(request.user, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.submit_feedback(
                window.pk, channel=Feedback.Channel.INTERNAL, **form.cleaned_data
            )
        except ValidationError as exc:
            _refused(request, window, form, exc)
        else:
            messages.success(request, _("您的意见已提交，谢谢！"))
            return redirect(window.get_absolute_url() + "#feedback")
    return _render_notice(
        request, "publicity/notice.html", window, form=form, public=False, status=400
    )


def _takes_feedback(window, now=None) -> bool:
    return not window.campaign.is_closed and window.is_open(now)


def _refused(request, window, form, exc):
    """A refused opinion: shown on the form, or at the top of the page when
    the form is gone (the window ended, the campaign closed)."""
    if _takes_feedback(window):
        form.add_error(None, message_of(exc))
    else:
        messages.error(request, message_of(exc))


def _render_notice(request, template, window, *, form, public, status=200):
    campaign = window.campaign
    now = timezone.now()
    # A closed campaign is locked: its notices read as ended, with no form.
    state = Window.State.ENDED if campaign.is_closed else window.state(now)
    context = {
        "window": window,
        "notice_campaign": campaign,
        "unit": campaign.unit,
        "state": state,
        "state_label": Window.State(state).label,
        "is_open": state == Window.State.OPEN,
        "form": form if state == Window.State.OPEN else None,
        "public": public,
        "printed_at": timezone.localtime(now),
    }
    if not public:
        # The closed banner of base.html reads ``campaign``.
        context["campaign"] = campaign
        context["may_manage"] = may_manage(request.user, campaign)
    if window.scope == Window.Scope.POWERS:
        context["powers"] = content.powers_with_flowcharts(window, public=public)
    else:
        context.update(_register_part(request, window))
    link = window.public_url()
    if link:
        context["public_link"] = absolute(link)
        context["qr"] = qr_svg(context["public_link"], _("公示公开链接二维码"))
        context["qr_label"] = _("扫码查看公示、提出意见")
    else:
        # An internal notice: the code leads staff to the notice (sign-in needed).
        context["qr"] = qr_svg(absolute(window.get_absolute_url()), _("公示页面二维码"))
        context["qr_label"] = _("本单位人员扫码登录后查看")
    return render(request, template, context, status=status)


def _register_part(request, window) -> dict:
    """The whole register, or for a long one the part asked for (``?part=``)
    with the index of every part."""
    parts = content.register_parts(window)
    if len(parts) <= 1:
        return {"groups": content.register_groups(window)}
    wanted = request.GET.get("part", "")
    number = min(max(int(wanted), 1), len(parts)) if wanted.isdigit() else 1
    part = parts[number - 1]
    return {
        "groups": content.register_groups(window, part.section_ids),
        "parts": parts,
        "part": part,
        "register_total": sum(p.rows for p in parts),
    }


# The public link -------------------------------------------------------------------


@login_not_required
def public(request, token):
    window = get_public_window(token)
    form = FeedbackForm(request.POST or None) if request.method == "POST" else FeedbackForm()
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_feedback(
                    window.pk,
                    channel=Feedback.Channel.PUBLIC,
                    address=_client_address(request),
                    **form.cleaned_data,
                )
            except services.RateLimited as exc:
                _refused(request, window, form, exc)
                status = 429
            except ValidationError as exc:
                _refused(request, window, form, exc)
                status = 400
            else:
                messages.success(request, _("您的意见已提交，谢谢您的监督！"))
                return redirect(request.path + "#feedback")
        else:
            status = 400
    response = _render_notice(
        request, "publicity/public.html", window, form=form, public=True, status=status
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


# The office --------------------------------------------------------------------------


def manage(request, campaign_pk):
    campaign = load(request, campaign_pk, administer=True)
    form = WindowForm(request.POST or None, campaign=campaign)
    if request.method == "POST":
        if campaign.is_closed:
            messages.error(request, _("本次活动已结束并锁定，不能再发布公示。"))
            return redirect("publicity:manage", campaign.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                window = services.open_window(
                    campaign,
                    request.user,
                    scope=data["scope"],
                    section=data.get("section"),
                    starts_on=data["starts_on"],
                    show_names=data["show_names"],
                    public=data["public"],
                    title=data["title"],
                    note=data["note"],
                    supervision_phone=data["supervision_phone"],
                )
            except ValidationError as exc:
                form.add_error(None, message_of(exc))
            else:
                messages.success(request, _("公示已发布：%(title)s") % {"title": window.title})
                return redirect("publicity:window", window.pk)
    now = timezone.now()
    windows = list(
        Window.objects.filter(campaign=campaign)
        .select_related("section", "opened_by")
        .annotate(
            feedback_total=Count("feedback"),
            feedback_open=Count("feedback", filter=Q(feedback__answered_at__isnull=True)),
        )
        .order_by("-starts_at", "-pk")
    )
    for window in windows:
        window.current_state = window.state(now)
    return render_campaign(
        request,
        "publicity/manage.html",
        campaign,
        "publicity",
        {"form": form, "windows": windows, "State": Window.State},
    )


def window(request, pk):
    window = get_window(request.user, pk, manage=True)
    return _render_window(request, window)


def _render_window(request, window, *, answered=None, unsaved="", status=200):
    """The office's page of a window. A refused answer comes back as
    ``answered`` = (feedback id, bound form with its errors); when the
    forms are gone (the campaign was closed), what was typed is ``unsaved``."""
    campaign = load(request, window.campaign_id, administer=True)
    window.campaign = campaign
    now = timezone.now()
    feedback = list(window.feedback.select_related("answered_by").order_by("submitted_at", "pk"))
    for item in feedback:
        if answered is not None and answered[0] == item.pk:
            item.form = answered[1]
            if item.form.errors:
                widget = item.form.fields["answer"].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        else:
            item.form = AnswerForm(initial={"answer": item.answer}, prefix=f"f{item.pk}")
    context = {
        "window": window,
        "feedback": feedback,
        "state": window.state(now),
        "state_label": window.state_label(now),
        "State": Window.State,
        "unanswered": sum(1 for item in feedback if not item.is_answered),
        "unsaved": unsaved,
    }
    link = window.public_url()
    if link:
        context["public_link"] = absolute(link)
        context["qr"] = qr_svg(context["public_link"], _("公示公开链接二维码"))
    return render_campaign(
        request, "publicity/window.html", campaign, "publicity", context, status=status
    )


def _office_action(request, pk, action, success):
    window = get_window(request.user, pk, manage=True)
    try:
        action(window.pk, request.user)
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, success)
    return redirect("publicity:window", window.pk)


@require_POST
def close(request, pk):
    return _office_action(request, pk, services.close_window, _("公示已提前结束。"))


@require_POST
def regenerate(request, pk):
    return _office_action(
        request, pk, services.regenerate_link, _("原公开链接已失效，已生成新的公开链接和二维码。")
    )


@require_POST
def answer(request, pk):
    item = Feedback.objects.select_related("window").filter(pk=pk).first()
    if item is None:
        raise Http404
    window = get_window(request.user, item.window_id, manage=True)
    form = AnswerForm(request.POST, prefix=f"f{item.pk}")
    if form.is_valid():
        try:
            services.answer_feedback(item.pk, request.user, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            if window.campaign.is_closed:
                # The answer forms are gone from a closed campaign's page.
                messages.error(request, message_of(exc))
            else:
                form.add_error("answer", message_of(exc))
        else:
            messages.success(request, _("答复已保存。"))
            return redirect(reverse("publicity:window", args=[window.pk]) + f"#feedback-{item.pk}")
    elif window.campaign.is_closed:
        messages.error(request, _("本次活动已结束并锁定，不能再修改。"))
    unsaved = request.POST.get(form.add_prefix("answer"), "") if window.campaign.is_closed else ""
    return _render_window(request, window, answered=(item.pk, form), unsaved=unsaved, status=400)
