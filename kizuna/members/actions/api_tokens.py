"""Personal API tokens: created and revoked by their owner (or revoked by the operator from the CLI)."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.actions import audit

from ..models import ApiToken, State

API_TOKEN_PREFIX = "kzn_"  # noqa: S105 - makes leaked tokens recognisable to secret scanners
MAX_ACTIVE_API_TOKENS = 20


def check_create_token(user, name):
    if user.state != State.ACTIVE:
        raise ValidationError(_("Only active members can create API tokens."))
    if not (name or "").strip():
        raise ValidationError(_("Give the token a name, for example the system that will use it."))
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_API_TOKENS:
        raise ValidationError(
            _("You already have %(count)s active tokens. Revoke one you no longer use first.")
            % {"count": MAX_ACTIVE_API_TOKENS}
        )


def do_create_token(user, name, *, request=None):
    """Create a personal API token; returns (token, raw secret). Only the secret's SHA-256 is stored."""
    from kizuna.api.auth import hash_token

    check_create_token(user, name)
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip()[:100], prefix=raw[: ApiToken._meta.get_field("prefix").max_length],
            key_hash=hash_token(raw),
        )
        audit(user, "token.create", token, request=request)
    return token, raw


def do_touch_token(token):
    """Remember when a token was last used (shown on the token page). One UPDATE, no audit: it happens on
    every API request and is not a change anyone made."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


def do_revoke_token(actor, token, *, request=None):
    """Revoke a token at once; requests using it get 401 from now on. `actor` is None for the CLI."""
    if token.revoked_at is not None:
        raise ValidationError(_("This token has already been revoked."))
    token.revoked_at = timezone.now()
    with transaction.atomic():
        token.save(update_fields=["revoked_at"])
        audit(actor, "token.revoke", token, request=request, detail={"owner": token.user_id})
    return token
