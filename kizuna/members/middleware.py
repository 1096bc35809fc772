"""Keeps each account state to what it may do.

Pending members (applied, not yet approved) may only see their application, their account and
public pages. Admins must have TOTP set up before reaching admin pages (outside the demo network).
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .models import State

PENDING_ALLOWED_PREFIXES = ("/accounts/", "/account/", "/apply/", "/i18n/", "/static/", "/healthz",
                            "/guidelines", "/privacy", "/api/")


class MemberStateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            path = request.path
            if user.state == State.PENDING and path != "/" and not path.startswith(PENDING_ALLOWED_PREFIXES):
                return redirect("application_status")
            if (
                settings.KIZUNA_ADMIN_MFA_REQUIRED
                and user.is_admin
                and path.startswith("/manage/")
                and not _has_totp(user)
            ):
                return redirect(reverse("mfa_activate_totp") + f"?next={path}")
        return self.get_response(request)


def _has_totp(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
