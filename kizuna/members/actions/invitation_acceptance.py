"""The invitation link: signed when it is sent, checked when it is followed, and accepted by the invitee."""

import datetime
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.actions import audit
from kizuna.core.models import NetworkSettings

from .. import eligibility
from ..models import Invitation, State
from .accounts import _send_welcome, _set_name

INVITATION_SALT = "kizuna.invitation"


def invitation_url(invitation):
    token = signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)
    return settings.SITE_URL + reverse("invitation_accept", args=[token])


# The link is signed a moment after `sent_at` is stored; allow for that (and for clock skew).
LINK_SIGNING_SLACK = datetime.timedelta(minutes=5)


def check_invitation_link(token):
    """Return the open invitation a link points to, or raise ValidationError with code
    "invalid" (tampered, revoked, replaced by a newer link), "used" or "expired"."""
    invalid = ValidationError(_("This invitation link is not valid."), code="invalid")
    try:
        payload = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        raise invalid from None
    invitation = (Invitation.objects.select_related("user__company", "user__department", "record")
                  .filter(pk=payload.get("i")).first())
    if invitation is None or not secrets.compare_digest(str(payload.get("n", "")), invitation.nonce):
        raise invalid
    if invitation.status == Invitation.Status.ACCEPTED:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.status != Invitation.Status.SENT or invitation.user.state != State.INVITED:
        raise invalid
    max_age = invitation.expires_at - invitation.sent_at + LINK_SIGNING_SLACK
    try:
        signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError(_("This invitation link has expired."), code="expired") from None
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation link has expired."), code="expired")
    if invitation.record is not None and not eligibility.evaluate(invitation.record, NetworkSettings.load()).eligible:
        # HR's reasons are not the invitee's to read: only that the invitation no longer stands.
        raise ValidationError(_("This invitation has been withdrawn."), code="withdrawn")
    return invitation


def do_accept_invitation(invitation, *, name, name_kana, language, password, request=None):
    """The invitee checked HR's data, set a password and accepted the guidelines and the privacy
    notice: the account becomes active and its address counts as verified (the link proved it)."""
    now = timezone.now()
    rules = NetworkSettings.load()
    with transaction.atomic():
        # The conditional update makes the link single-use even when two requests race.
        claimed = Invitation.objects.filter(
            pk=invitation.pk, status=Invitation.Status.SENT, expires_at__gt=now, user__state=State.INVITED,
        ).update(status=Invitation.Status.ACCEPTED, accepted_at=now)
        if not claimed:
            raise ValidationError(_("This invitation can no longer be used."), code="used")
        user = invitation.user
        _set_name(user, name, name_kana)
        user.language = language
        user.set_password(password)
        user.state, user.activated_at = State.ACTIVE, now
        user.guidelines_version, user.privacy_accepted_at = rules.guidelines_version, now
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=user.email,
                                              defaults={"primary": True, "verified": True})
        audit(user, "invitation.accept", user, request=request)
        _send_welcome(user)
    return user
