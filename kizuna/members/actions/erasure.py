"""What identifies a person who goes (a withdrawing member, a deleted applicant) and must go with them:
mail to them and to every address ever linked to them, their name and free text about them in the
audit log."""

from allauth.account.models import EmailAddress
from django.db.models import Q

from kizuna.core.actions import do_purge_mail
from kizuna.core.models import AuditLog

from ..models import Application, Invitation, LeaverRecord, User

# Audit entries whose detail holds free text written about the person (HR's rejection message, the
# suspension reason): the text goes with them, the entry keeps that some was given.
FREE_TEXT_IN_AUDIT = {"application.reject": "message", "member.suspend": "reason"}


def _addresses_of(user):
    """Every address that was ever theirs: the account's, added ones, the company address they applied
    with, and the HR record's address their invitation went to (they may have changed or removed it since)."""
    return {address for address in (
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
        *Application.objects.filter(user=user).values_list("former_email", flat=True),
        *LeaverRecord.objects.filter(member=user).values_list("email", flat=True),
        *LeaverRecord.objects.filter(invitation__user=user).values_list("email", flat=True),
    ) if address}


def _purge_mail_of(user):
    """Call before the links to their addresses are erased."""
    do_purge_mail(_addresses_of(user), user=user)


def _neutralise_audit_labels(member, label):
    """Audit entries keep what happened, but no longer the member's name or address."""
    own = {
        User._meta.label_lower: [member.pk],
        Application._meta.label_lower: list(Application.objects.filter(user=member).values_list("pk", flat=True)),
        Invitation._meta.label_lower: list(member.invitations.values_list("pk", flat=True)),
    }
    about_them = Q()
    for target_type, ids in own.items():
        if ids:
            about_them |= Q(target_type=target_type, target_id__in=[str(pk) for pk in ids])
    AuditLog.objects.filter(about_them).update(target_label=label)
    for action, key in FREE_TEXT_IN_AUDIT.items():
        for entry in AuditLog.objects.filter(about_them, action=action, **{f"detail__{key}__isnull": False}):
            text = entry.detail.pop(key)
            entry.detail[f"{key}_given"] = bool(text)
            entry.save(update_fields=["detail"])
    # Their own entries keep what they did, but neither their name nor where they connected from.
    AuditLog.objects.filter(actor=member).update(actor_label=label, ip=None)
