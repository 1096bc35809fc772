"""Inviting people from their HR records: send, send again, revoke."""

import datetime
import secrets

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.actions import audit, ensure_company, ensure_department
from kizuna.core.email import send_email
from kizuna.core.models import NetworkSettings

from .. import eligibility
from ..models import Invitation, LeaverRecord, Role, State, User
from .accounts import _set_name
from .invitation_acceptance import invitation_url


def _check_eligible(record):
    result = eligibility.evaluate(record, NetworkSettings.load())
    if not result.eligible:
        raise ValidationError(str(result))


def check_invite(record):
    """Raise ValidationError with the reason a record cannot be invited now."""
    _check_eligible(record)
    if not record.email:
        raise ValidationError(_("The HR record has no email address."))
    member = record.member
    if member is not None and member.state != State.INVITED:
        raise ValidationError(_("This person is already registered."))
    # Account addresses are stored lower-cased (by these actions and by allauth): the unique index answers.
    # A member's confirmed extra address counts too: it logs them in.
    email, member_pk = record.email.strip().lower(), getattr(member, "pk", None)
    if (User.objects.filter(email=email).exclude(pk=member_pk).exists()
            or EmailAddress.objects.filter(email=email, verified=True).exclude(user_id=member_pk).exists()):
        raise ValidationError(_("Another account already uses this email address."))


def _send_invitation(invitation):
    user = invitation.user
    send_email(user.email, "members/email/invitation", {
        "name": user.name, "url": invitation_url(invitation), "expires_at": invitation.expires_at,
    }, language=user.language)


def do_invite(actor, record, *, request=None):
    """Invite the person of an HR record: an invited account prefilled from HR, and a single-use link."""
    now = timezone.now()
    try:
        with transaction.atomic():
            # Checked on the locked row: a parallel run, import or approval cannot change it in between.
            locked = (LeaverRecord.objects.select_for_update(of=("self",)).select_related("member")
                      .get(pk=record.pk))
            check_invite(locked)
            user = locked.member
            if user is None:
                user = User(email=locked.email.strip().lower(), role=Role.ALUMNI, state=State.INVITED,
                            joined_on=locked.joined_on, left_on=locked.left_on,
                            company=ensure_company(locked.company),
                            department=ensure_department(locked.department))
                _set_name(user, locked.name, locked.name_kana)
                user.set_unusable_password()
                user.save()
                locked.member = user
                locked.save(update_fields=["member"])
            user.invitations.filter(status=Invitation.Status.SENT).update(status=Invitation.Status.REVOKED)
            invitation = Invitation.objects.create(
                user=user, record=locked, nonce=secrets.token_urlsafe(16), sent_at=now, created_by=actor,
                expires_at=now + datetime.timedelta(days=NetworkSettings.load().invitation_valid_days),
            )
            audit(actor, "invitation.send", user, request=request, detail={"record": locked.employee_number})
            _send_invitation(invitation)
    except IntegrityError:
        # The address was taken by an account created at the same moment (an application, a sign-up).
        raise ValidationError(_("Another account already uses this email address.")) from None
    record.member = locked.member
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


def check_resend_invitation(invitation):
    if invitation.status != Invitation.Status.SENT:
        raise ValidationError(_("Only an open invitation can be sent again."))
    if invitation.record is not None:
        try:
            _check_eligible(invitation.record)
        except ValidationError as error:
            raise ValidationError(_("This person is no longer eligible, so the invitation cannot be sent again: "
                                    "%(reasons)s") % {"reasons": " ".join(error.messages)}) from None


def do_resend_invitation(actor, invitation, *, request=None):
    """Send a fresh link (older links stop working) and extend the expiry."""
    check_resend_invitation(invitation)
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
