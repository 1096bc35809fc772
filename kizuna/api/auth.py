"""API authentication: a personal token (Authorization: Bearer …) or the browser session."""

import hashlib

from django.conf import settings
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kizuna.members.access import needs_mfa_setup
from kizuna.members.actions import do_touch_token
from kizuna.members.models import ApiToken, State


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenAuth(HttpBearer):
    """A personal token of an active member. Revoked tokens and suspended/withdrawn owners get 401."""

    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__state=State.ACTIVE)
            .first()
        )
        if found is None:
            return None
        do_touch_token(found)
        request.user = found.user
        request.api_token = found
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session of an active member.

    A cross-site page can make the browser send the session cookie but cannot set an Authorization
    header, so unsafe methods need the CSRF token here and not with a bearer token. The CSRF check
    runs only once a session user is found: a request without any credentials gets 401, not 403.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        user = self.authenticate(request, None)
        csrf_applies = self.csrf and not getattr(request, "_ninja_csrf_exempt", False)
        if user is not None and csrf_applies and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed.")
        return user

    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and user.state == State.ACTIVE:
            return user
        return None


auth = [TokenAuth(), SessionAuth()]


def require_admin(request):
    """Admin endpoints: admins only, and (outside the demo network) only while the admin has TOTP, as on
    /manage/, whether the request comes with a token or a session. A token outlives the moment it was
    created: its owner may have been promoted to admin since, or may have removed TOTP."""
    if not request.auth.is_admin:
        raise HttpError(403, "Admins only.")
    if needs_mfa_setup(request.auth):
        raise HttpError(403, "Set up two-factor authentication before using admin functions.")
