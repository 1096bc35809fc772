"""Keeps each account state to what it may do.

Pending members (applied, not yet approved) may only see their application, their account and
public pages. Admins must have TOTP set up before reaching admin pages (outside the demo network).
"""

from django.shortcuts import redirect
from django.urls import reverse

from .access import needs_mfa_setup
from .models import State

PENDING_ALLOWED_PREFIXES = ("/accounts/", "/account/", "/apply/", "/i18n/", "/static/", "/media/", "/favicon.ico",
                            "/healthz", "/guidelines", "/privacy", "/api/")
# Admin pages, and the page where admins create API tokens (which reach admin endpoints).
MFA_REQUIRED_PREFIXES = ("/manage/", "/account/tokens/")


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
        return self.get_response(request)
