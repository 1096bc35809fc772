"""What identifies a person who goes (a withdrawing member, a deleted applicant) and must go with them:
mail to their addresses, their name in the audit log."""

from allauth.account.models import EmailAddress
from django.db.models import Q

from kizuna.core.models import AuditLog

from ..models import Application, Invitation, User


def _addresses_of(user):
    return {address for address in (user.email, *EmailAddress.objects.filter(user=user)
                                    .values_list("email", flat=True)) if address}


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
    # Their own entries keep what they did, but neither their name nor where they connected from.
    AuditLog.objects.filter(actor=member).update(actor_label=label, ip=None)
