"""Keeps each account state to what it may do.

Pending members (applied, not yet approved) may only see their application, their account and
public pages. Admins must have TOTP set up before reaching admin pages (outside the demo network).
Active members accept the community guidelines again after an admin changed them, before other pages.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from .access import needs_guidelines_acceptance, needs_mfa_setup
from .models import State

# Reachable before accepting new guidelines: sign-in and account pages (so a member who does not agree can
# download their data or withdraw), the guidelines themselves, public files (the logo, the icon) and the API
# (systems cannot click).
GUIDELINES_EXEMPT_PREFIXES = ("/accounts/", "/account/", "/guidelines", "/privacy", "/i18n/", "/static/",
                              "/media/", "/favicon.ico", "/healthz", "/api/")
# Pending members see the same, plus their application.
PENDING_ALLOWED_PREFIXES = (*GUIDELINES_EXEMPT_PREFIXES, "/apply/")
# Admin pages, the page where admins create API tokens (which reach admin endpoints) and HR's export of
# the directory (everyone's profile at once).
MFA_REQUIRED_PREFIXES = ("/manage/", "/account/tokens/", "/members/export")


class MemberStateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            path = request.path
            if user.state == State.PENDING and path != "/" and not path.startswith(PENDING_ALLOWED_PREFIXES):
                return redirect("application_status")
            if path.startswith(MFA_REQUIRED_PREFIXES) and needs_mfa_setup(user):
                return redirect(reverse("mfa_activate_totp") + f"?next={path}")
            if not path.startswith(GUIDELINES_EXEMPT_PREFIXES) and needs_guidelines_acceptance(user):
                return _to_guidelines(request)
        return self.get_response(request)


def _to_guidelines(request):
    url = reverse("guidelines_accept")
    if request.method in ("GET", "HEAD"):  # come back to the page afterwards (a form would be sent again)
        url += "?" + urlencode({"next": request.get_full_path()})
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)  # the whole page moves, not a fragment of it
    return redirect(url)
