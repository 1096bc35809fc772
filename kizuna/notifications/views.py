"""The member's notification settings, the one-click unsubscribe link of notification emails, and the bell."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kizuna.core.paging import paginate
from kizuna.members.access import member_required

from . import actions
from .access import access_alert, alerts_of, modes_of, unread_alert_count
from .categories import CATEGORIES
from .forms import PreferencesForm
from .models import Mode


@member_required
def preferences(request):
    modes = modes_of(request.user)
    form = PreferencesForm(request.POST or None, modes=modes)
    if request.method == "POST" and form.is_valid():
        for category, mode in form.cleaned_data.items():
            if mode and mode != modes[category]:  # a category left out of the form keeps its choice
                actions.do_set_preference(request.user, category, mode, request=request)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications_preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# The link works without signing in (it is opened from a mail client; under /account/ so that no pending
# state or new guidelines stand in its way); a POST with the body
# "List-Unsubscribe=One-Click" is the RFC 8058 one-click form mail clients send, so no CSRF token exists.
@csrf_exempt
def unsubscribe(request, token):
    found = actions.read_unsubscribe_token(token)
    if found is None:
        raise Http404
    user, category = found
    done = request.method == "POST"
    if done:
        actions.do_set_preference(user, category, Mode.OFF, request=request)
    return render(request, "notifications/unsubscribe.html", {
        "category": CATEGORIES[category], "done": done, "signed_in": request.user.is_authenticated})


BELL_PAGE = 30


@member_required
def bell(request):
    """Everything the bell holds, newest first; unread items are marked until opened or all marked read."""
    page, params = paginate(request, alerts_of(request.user), per_page=BELL_PAGE)
    return render(request, "notifications/bell.html", {"page": page, "params": params,
                                                       "unread": unread_alert_count(request.user)})


@member_required
def bell_count(request):
    """The navigation's unread badge (loaded by htmx after the page, so pages pay no query for it)."""
    return render(request, "notifications/bell_count_partial.html", {"unread": unread_alert_count(request.user)})


@member_required
def open_alert(request, pk):
    alert = access_alert(request.user, pk)
    actions.do_mark_alerts_read(request.user, [alert.pk])
    if not url_has_allowed_host_and_scheme(alert.url, allowed_hosts={request.get_host()}):
        return redirect("notifications_bell")
    return redirect(alert.url)


@member_required
@require_POST
def mark_all_read(request):
    actions.do_mark_alerts_read(request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications_bell")
