"""The only place that writes accounts: check_*() validates, do_*() writes, audits and sends."""

import datetime
import itertools
import secrets
from dataclasses import dataclass

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
from .models import ApiToken, Application, Invitation, LeaverRecord, Role, State, User

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


# --- Verified addresses, bulk creation (set-up, demo and seed data) ----------------------------

def do_verify_email(user):
    """Mark the account's address as verified and primary, so it can log in without a mail round trip.

    For accounts created by an operator (createadmin) or as demo data; sign-ups verify by email.
    """
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).exclude(email=user.email).update(primary=False)
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


@dataclass
class NewMember:
    """An account prepared in memory for do_bulk_create_members, with its HR record or application."""

    user: User
    record: LeaverRecord | None = None
    application: Application | None = None


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _prepare_record(record, rules):
    record.name_key, record.kana_key = normalize(record.name), normalize(record.name_kana)
    record.eligible = eligibility.evaluate(record, rules).eligible
    return record


def do_bulk_create_members(entries, *, email_verified=False, actor=None, batch_size=5000):
    """Insert many prepared accounts at once (seed and demo data); returns (members, records) created.

    Each entry's user needs email, role, state and a password hash already set (callers share one
    precomputed hash: hashing every password would take hours for a large network). Name keys,
    activation time, record eligibility and the links between rows are filled in here. All or nothing.
    """
    rules = NetworkSettings.load()
    now = timezone.now()
    members = records = 0
    with transaction.atomic():
        for batch in _batches(entries, batch_size):
            for entry in batch:
                user = entry.user
                _set_name(user, user.name, user.name_kana)
                if user.state == State.ACTIVE and user.activated_at is None:
                    user.activated_at = now
            User.objects.bulk_create([entry.user for entry in batch], batch_size=batch_size)
            linked, applications = [], []
            for entry in batch:
                if entry.record is not None:
                    entry.record.member = entry.user
                    linked.append(_prepare_record(entry.record, rules))
                if entry.application is not None:
                    entry.application.user = entry.user
                    applications.append(entry.application)
            LeaverRecord.objects.bulk_create(linked, batch_size=batch_size)
            Application.objects.bulk_create(applications, batch_size=batch_size)
            if email_verified:
                from allauth.account.models import EmailAddress

                EmailAddress.objects.bulk_create(
                    [EmailAddress(user=entry.user, email=entry.user.email, verified=True, primary=True)
                     for entry in batch], batch_size=batch_size,
                )
            members += len(batch)
            records += len(linked)
        audit(actor, "member.bulk_create", detail={"members": members, "records": records})
    return members, records


def do_bulk_create_records(records, *, actor=None, batch_size=5000):
    """Insert prepared HR leaver records that have no account yet (demo data); returns the count."""
    rules = NetworkSettings.load()
    with transaction.atomic():
        created = LeaverRecord.objects.bulk_create([_prepare_record(r, rules) for r in records], batch_size=batch_size)
        audit(actor, "leaver_record.bulk_create", detail={"records": len(created)})
    return len(created)


# --- Personal API tokens -----------------------------------------------------------------------

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


def do_revoke_token(actor, token, *, request=None):
    """Revoke a token at once; requests using it get 401 from now on. `actor` is None for the CLI."""
    if token.revoked_at is not None:
        raise ValidationError(_("This token has already been revoked."))
    token.revoked_at = timezone.now()
    with transaction.atomic():
        token.save(update_fields=["revoked_at"])
        audit(actor, "token.revoke", token, request=request, detail={"owner": token.user_id})
    return token
