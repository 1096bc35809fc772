"""The only place that writes accounts: check_*() validates, do_*() writes, audits and sends."""

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

from kizuna.core.actions import audit, ensure_company, ensure_department
from kizuna.core.email import send_email
from kizuna.core.models import NetworkSettings
from kizuna.core.text import normalize

from . import eligibility
from .models import Invitation, LeaverRecord, Role, State, User

INVITATION_SALT = "kizuna.invitation"


def _set_name(user, name, name_kana):
    user.name, user.name_kana = (name or "").strip(), (name_kana or "").strip()
    user.name_key, user.kana_key = normalize(user.name), normalize(user.name_kana)


def do_create_member(*, email, password=None, name="", name_kana="", role=Role.ALUMNI, state=State.ACTIVE,
                     actor=None, request=None, **fields):
    """Create an account directly (admin set-up, demo data, migrations from another network)."""
    user = User(email=User.objects.normalize_email(email).lower(), role=role, state=state, **fields)
    _set_name(user, name, name_kana)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    if state == State.ACTIVE:
        user.activated_at = timezone.now()
    user.save()
    # Accounts created by HR or the operator carry an address they vouch for.
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    if actor is not None:
        audit(actor, "member.create", user, request=request, detail={"role": role, "state": state})
    return user


def do_start_employee_signup(user, *, name, name_kana):
    """An employee signed up with a company address: pending until the address is verified."""
    _set_name(user, name, name_kana)
    user.role, user.state = Role.EMPLOYEE, State.PENDING
    user.save()
    return user


def do_confirm_employee(user, email):
    from .adapter import email_domain

    if user.role != Role.EMPLOYEE or user.state != State.PENDING:
        return user
    if email_domain(email) not in NetworkSettings.load().employee_domains:
        return user
    user.state, user.activated_at = State.ACTIVE, timezone.now()
    user.save(update_fields=["state", "activated_at"])
    audit(None, "member.employee_verified", user)
    return user


def do_refresh_eligibility(records=None):
    """Re-evaluate stored eligibility (after an import or a change of rules). Returns rows changed."""
    rules = NetworkSettings.load()
    records = LeaverRecord.objects.all() if records is None else records
    changed = []
    for record in records.iterator(chunk_size=2000):
        value = eligibility.evaluate(record, rules).eligible
        if value != record.eligible:
            record.eligible = value
            changed.append(record)
    LeaverRecord.objects.bulk_update(changed, ["eligible"], batch_size=2000)
    return len(changed)


# --- Invitations -------------------------------------------------------------------------------

def invitation_url(invitation):
    token = signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)
    return settings.SITE_URL + reverse("invitation_accept", args=[token])


def check_invite(record):
    """Raise ValidationError with the reason a record cannot be invited now."""
    result = eligibility.evaluate(record, NetworkSettings.load())
    if not result.eligible:
        raise ValidationError(str(result))
    if not record.email:
        raise ValidationError(_("The HR record has no email address."))
    member = record.member
    if member is not None and member.state != State.INVITED:
        raise ValidationError(_("This person is already registered."))
    if User.objects.filter(email__iexact=record.email).exclude(pk=getattr(member, "pk", None)).exists():
        raise ValidationError(_("Another account already uses this email address."))


def _send_invitation(invitation):
    user = invitation.user
    send_email(user.email, "members/email/invitation", {
        "name": user.name, "url": invitation_url(invitation), "expires_at": invitation.expires_at,
    }, language=user.language)


def do_invite(actor, record, *, request=None):
    """Invite the person of an HR record: an invited account prefilled from HR, and a single-use link."""
    check_invite(record)
    now = timezone.now()
    with transaction.atomic():
        user = record.member
        if user is None:
            user = User(email=record.email.lower(), role=Role.ALUMNI, state=State.INVITED,
                        joined_on=record.joined_on, left_on=record.left_on,
                        company=ensure_company(record.company), department=ensure_department(record.department))
            _set_name(user, record.name, record.name_kana)
            user.set_unusable_password()
            user.save()
            record.member = user
            record.save(update_fields=["member"])
        user.invitations.filter(status=Invitation.Status.SENT).update(status=Invitation.Status.REVOKED)
        invitation = Invitation.objects.create(
            user=user, record=record, nonce=secrets.token_urlsafe(16), sent_at=now, created_by=actor,
            expires_at=now + datetime.timedelta(days=NetworkSettings.load().invitation_valid_days),
        )
        audit(actor, "invitation.send", user, request=request, detail={"record": record.employee_number})
        _send_invitation(invitation)
    return invitation


def do_invite_many(actor, records, *, request=None):
    """Invite several records; returns (invitations sent, [(record, reason)] skipped)."""
    sent, skipped = [], []
    for record in records:
        try:
            sent.append(do_invite(actor, record, request=request))
        except ValidationError as error:
            skipped.append((record, " ".join(error.messages)))
    return sent, skipped


def do_resend_invitation(actor, invitation, *, request=None):
    """Send a fresh link (older links stop working) and extend the expiry."""
    if invitation.status != Invitation.Status.SENT:
        raise ValidationError(_("Only an open invitation can be sent again."))
    now = timezone.now()
    invitation.nonce = secrets.token_urlsafe(16)
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=NetworkSettings.load().invitation_valid_days)
    invitation.send_count += 1
    with transaction.atomic():
        invitation.save()
        audit(actor, "invitation.resend", invitation.user, request=request)
        _send_invitation(invitation)
    return invitation


def do_revoke_invitation(actor, invitation, *, request=None):
    if invitation.status != Invitation.Status.SENT:
        raise ValidationError(_("Only an open invitation can be revoked."))
    invitation.status = Invitation.Status.REVOKED
    with transaction.atomic():
        invitation.save(update_fields=["status"])
        audit(actor, "invitation.revoke", invitation.user, request=request)
    return invitation
