"""The member's notification settings and the one-click unsubscribe link of notification emails."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kizuna.members.access import member_required

from . import actions
from .access import modes_of
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
