"""Withdrawal: personal data is erased at once; an anonymous shell of the account keeps history's references."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kizuna.core.actions import audit
from kizuna.core.email import send_email_leaving_no_trace
from kizuna.core.models import NetworkSettings

from .. import eligibility
from ..changes import member_withdrawing
from ..models import Application, Block, Invitation, LeaverRecord, Profile, State
from .accounts import _set_name
from .applications import _forget_waiting_count
from .erasure import _neutralise_audit_labels, _purge_mail_of
from .member_admin import _check_keeps_an_admin


def withdrawn_label(pk):
    """Neutral name stored in place of a withdrawn member's name (in the network's default language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Withdrawn member #%(id)s") % {"id": pk}


def check_withdraw(member):
    if member.state == State.WITHDRAWN:
        raise ValidationError(_("This member has already withdrawn."))
    _check_keeps_an_admin(member)


def do_withdraw(member, actor, reason="", *, request=None):
    """Withdraw a member (by themselves, or by an admin processing a deletion request).

    Personal data is erased at once; the account row stays as an empty shell so that history
    (audit log, counts) keeps its references. The HR leaver record stays with HR but is marked so
    that the person is never invited again.
    """
    with transaction.atomic():
        check_withdraw(member)
        if member.email:
            # Sent after commit straight to the mail server, never stored: afterwards no row, task or
            # file holds the address (in the embedded mode, without SMTP, it is not sent).
            send_email_leaving_no_trace(member.email, "members/email/goodbye", {}, language=member.language)
        _purge_mail_of(member)
        member_withdrawing.send(sender=member.__class__, member=member)
        _erase_linked_data(member)
        _erase_account(member)
        label = withdrawn_label(member.pk)
        audit(actor, "member.withdraw", member, request=request, target_label=label, detail={
            "by": "self" if actor is not None and actor.pk == member.pk else "admin",
            "reason": (reason or "").strip()[:500],
        })
        _neutralise_audit_labels(member, label)
        # An application still waiting for HR goes with the person: there is nothing left to decide.
        if Application.objects.filter(user=member, status=Application.Status.PENDING).delete()[0]:
            transaction.on_commit(_forget_waiting_count)
    return member


def _erase_linked_data(member):
    EmailAddress.objects.filter(user=member).delete()
    Authenticator.objects.filter(user=member).delete()
    member.api_tokens.all().delete()
    member.invitations.filter(status=Invitation.Status.SENT).update(status=Invitation.Status.REVOKED)
    Application.objects.filter(user=member).update(
        name="", name_kana="", former_email="", employee_number="", joined_year=None, left_year=None,
        department="", message="", decision_message="",
    )
    _erase_profile(member)
    for record in LeaverRecord.objects.filter(member=member):
        record.member, record.opted_out = None, True
        record.eligible = eligibility.evaluate(record, NetworkSettings.load()).eligible
        record.save(update_fields=["member", "opted_out", "eligible", "updated_at"])


def _erase_profile(member):
    """Profile, photo file, career, custom answers and blocks in either direction."""
    profile = Profile.objects.filter(user=member).first()
    if profile and profile.photo:
        name, storage = profile.photo.name, profile.photo.storage
        transaction.on_commit(lambda: storage.delete(name))
    Profile.objects.filter(user=member).delete()
    member.career.all().delete()
    member.custom_values.all().delete()
    Block.objects.filter(Q(blocker=member) | Q(blocked=member)).delete()


def _erase_account(member):
    _set_name(member, "", "")
    member.email = None
    member.set_unusable_password()
    member.company = member.department = None
    member.joined_on = member.left_on = None
    member.guidelines_version, member.privacy_accepted_at = 0, None
    member.language = settings.LANGUAGE_CODE
    member.state, member.withdrawn_at = State.WITHDRAWN, timezone.now()
    member.session_epoch += 1
    member.save()
