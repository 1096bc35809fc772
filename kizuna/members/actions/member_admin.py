"""What admins do to a member's account: change its role, suspend and reactivate it, sign it out."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from kizuna.core.actions import audit

from ..models import Block, Role, State, User


def _check_keeps_an_admin(member):
    """Refuse a change that would leave the network without an active admin.

    Inside a transaction the other admins' rows are locked, so two admins cannot demote each other at once.
    """
    if member.role != Role.ADMIN or member.state != State.ACTIVE:
        return
    others = User.objects.filter(role=Role.ADMIN, state=State.ACTIVE).exclude(pk=member.pk)
    if transaction.get_connection().in_atomic_block:
        others = others.select_for_update()
    if not others.exists():
        raise ValidationError(_("This is the last admin. Appoint another admin first."))


def do_change_role(actor, member, role, *, request=None):
    if role not in Role.values:
        raise ValidationError(_("Please choose a member type."))
    if member.state == State.WITHDRAWN:
        raise ValidationError(_("This member has withdrawn."))
    old = member.role
    if old == role:
        return member
    with transaction.atomic():
        if role != Role.ADMIN:
            _check_keeps_an_admin(member)
        member.role = role
        member.save(update_fields=["role"])
        detail = {"from": old, "to": role}
        # HR and moderators neither block nor can be blocked: every member must be able to reach them.
        if role in (Role.ADMIN, Role.MODERATOR) and (
                removed := Block.objects.filter(Q(blocker=member) | Q(blocked=member)).delete()[0]):
            detail["blocks_removed"] = removed
            member.__dict__.pop("_kizuna_blocked_ids", None)
        audit(actor, "member.change_role", member, request=request, detail=detail)
    return member


def do_end_sessions(member):
    """Sign the member out everywhere: every session's auth hash includes the epoch (see User)."""
    User.objects.filter(pk=member.pk).update(session_epoch=F("session_epoch") + 1)
    member.refresh_from_db(fields=["session_epoch"])


def do_suspend(actor, member, *, reason="", request=None):
    """Block the account (it cannot sign in while suspended) and end its sessions at once."""
    if actor is not None and member.pk == actor.pk:
        raise ValidationError(_("You cannot suspend your own account."))
    if member.state != State.ACTIVE:
        raise ValidationError(_("Only active members can be suspended."))
    with transaction.atomic():
        _check_keeps_an_admin(member)
        member.state = State.SUSPENDED
        member.save(update_fields=["state"])
        do_end_sessions(member)
        audit(actor, "member.suspend", member, request=request, detail={"reason": reason.strip()})
    return member


def do_reactivate(actor, member, *, request=None):
    if member.state != State.SUSPENDED:
        raise ValidationError(_("Only suspended members can be reactivated."))
    with transaction.atomic():
        member.state = State.ACTIVE
        member.save(update_fields=["state"])
        audit(actor, "member.reactivate", member, request=request)
    return member
