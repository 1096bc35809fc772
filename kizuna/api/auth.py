"""API authentication: a personal token (Authorization: Bearer …) or the browser session."""

import hashlib

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from kizuna.members.models import ApiToken, State


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__state=State.ACTIVE)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session (CSRF-checked by ninja for unsafe methods)."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and user.state == State.ACTIVE:
            return user
        return None


auth = [TokenAuth(), SessionAuth()]
