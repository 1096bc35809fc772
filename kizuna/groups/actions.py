"""The only place that writes groups: check_*() validates, do_*() writes, audits and emails."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kizuna.core.actions import audit
from kizuna.core.email import send_email
from kizuna.core.text import normalize
from kizuna.members.access import is_blocked_between
from kizuna.members.models import State, User, Visibility
from kizuna.members.profiles import visibility_rules

from . import access
from .models import Group, GroupPolicy, Membership

GROUP_FIELDS = ("name", "slug", "kind", "privacy", "description", "department", "auto_fill")
RESERVED_SLUGS = {"new", "manage", "mine", "invitations"}
FILL_BATCH = 2000


def group_url(group):
    return settings.SITE_URL + reverse("group_detail", kwargs={"slug": group.slug})


# A secret group's address must not be guessable, nor be found out by trying addresses: secret groups
# always get a random one, and what members see when they choose or are given an address never depends
# on secret groups. Such an address is only ever taken by chance (or was chosen before this rule): the
# secret group then moves to a new random address, which tells the member choosing nothing.

def _random_slug():
    while True:
        slug = secrets.token_urlsafe(12)
        if not Group.objects.filter(slug=slug).exists():
            return slug


def _taken_by_visible_group(slug, group):
    return Group.objects.filter(slug=slug).exclude(pk=group.pk).exclude(privacy=Group.Privacy.SECRET).exists()


def _free_slug(group):
    base = slugify(group.name)[:40] or "group"
    slug = base
    while _taken_by_visible_group(slug, group) or slug in RESERVED_SLUGS:
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


def _address(group, chosen, was_secret):
    """The group's slug as saved: random for a secret group (a new one when it becomes secret, a chosen
    one ignored), else the chosen one, the current one or one made from the name."""
    if group.privacy == Group.Privacy.SECRET:
        return group.slug if was_secret else _random_slug()
    slug = chosen or group.slug or _free_slug(group)
    Group.objects.filter(slug=slug, privacy=Group.Privacy.SECRET).exclude(pk=group.pk).update(slug=_random_slug())
    return slug


def check_group(actor, group, values):
    """Validate a group's settings as `actor` saves them; errors by field."""
    errors = {}
    name = values.get("name", "").strip()
    if not name:
        errors["name"] = _("Please enter the group's name.")
    kind = values.get("kind")
    if kind not in Group.Kind.values:
        errors["kind"] = _("Choose the kind of group.")
    elif group.pk is None and not access.may_create(actor, kind):
        errors["kind"] = (_("Only HR creates department groups.") if kind == Group.Kind.DEPARTMENT
                          else _("Only HR creates groups in this network."))
    elif group.pk is not None and kind != group.kind and Group.Kind.DEPARTMENT in (kind, group.kind) \
            and not actor.is_admin:
        errors["kind"] = _("Only HR creates department groups.")
    if values.get("privacy") not in Group.Privacy.values:
        errors["privacy"] = _("Choose who may join.")
    if kind == Group.Kind.DEPARTMENT and values.get("department") is None:
        errors["department"] = _("Choose the department this group gathers.")
    if values.get("auto_fill") and kind != Group.Kind.DEPARTMENT:
        errors["auto_fill"] = _("Only department groups are filled automatically.")
    slug = values.get("slug", "")
    if slug and values.get("privacy") != Group.Privacy.SECRET:  # secret groups get a random address
        if slug in RESERVED_SLUGS:
            errors["slug"] = _("This address is reserved. Please choose another.")
        elif _taken_by_visible_group(slug, group):
            errors["slug"] = _("Another group already uses this address.")
    if errors:
        raise ValidationError(errors)


def do_save_group(actor, group, values, *, request=None):
    """Create or change a group. The creator becomes its first group admin. Turning on the department
    filling starts it in the background (a large department has thousands of members)."""
    check_group(actor, group, values)
    values = {**values, "name": values["name"].strip()}
    if values.get("kind") != Group.Kind.DEPARTMENT:
        values.update(department=None, auto_fill=False)
    created = group.pk is None
    was_secret = not created and group.privacy == Group.Privacy.SECRET
    with transaction.atomic():
        for field in GROUP_FIELDS:
            if field in values and field != "slug":
                setattr(group, field, values[field])
        group.slug = _address(group, values.get("slug"), was_secret)
        group.name_key = normalize(group.name)
        group.save()
        if created and actor is not None:
            Membership.objects.create(group=group, user=actor, role=Membership.Role.ADMIN)
        audit(actor, "group.create" if created else "group.update", group, request=request,
              detail={"kind": group.kind, "privacy": group.privacy, "auto_fill": group.auto_fill})
        if group.auto_fill:
            from .tasks import fill_department_group

            transaction.on_commit(lambda: fill_department_group.enqueue(group.pk))
    return group


def do_delete_group(actor, group, *, request=None):
    with transaction.atomic():
        audit(actor, "group.delete", group, request=request,
              detail={"members": group.memberships.filter(state=Membership.State.MEMBER).count()})
        group.delete()


def do_set_policy(actor, *, members_may_create, request=None):
    with transaction.atomic():
        policy = GroupPolicy.load()
        policy.members_may_create = members_may_create
        policy.save()
        audit(actor, "group.policy", policy, request=request, detail={"members_may_create": members_may_create})
    return policy


# --- Joining and leaving -------------------------------------------------------------------------
# Each membership action locks the group's row first and checks inside the same transaction: a double
# click, or two group admins acting at once (both demoting the other of the last two admins), then run
# one after the other and the second is checked against what the first did.

def _lock(group):
    list(Group.objects.select_for_update().filter(pk=group.pk).values_list("pk", flat=True))


def _fresh(membership, gone):
    """The membership as it is now (after the lock); `gone` is the error when it no longer exists."""
    current = Membership.objects.select_related("group", "user").filter(pk=membership.pk).first()
    if current is None:
        raise ValidationError(gone)
    return current


def _take_out(membership):
    """Delete a membership, request or invitation. In an auto-filled group the row stays as "left", so
    the filling does not add the member again (pages treat it as no membership: they may ask again)."""
    if membership.group.auto_fill:
        membership.state, membership.role, membership.auto = Membership.State.LEFT, Membership.Role.MEMBER, False
        membership.save()
    else:
        membership.delete()


def _forget_cached_ids(user):
    user.__dict__.pop("_kizuna_group_ids", None)


def check_join(user, group):
    membership = access.membership_of(user, group)
    if membership is not None and membership.state == Membership.State.MEMBER:
        raise ValidationError(_("You are already a member of this group."))
    if membership is not None and membership.state == Membership.State.REQUESTED:
        raise ValidationError(_("You have already asked to join. The group admins will answer soon."))
    if group.privacy == Group.Privacy.SECRET and (membership is None or membership.state != Membership.State.INVITED):
        raise ValidationError(_("This group can only be joined by invitation."))


def do_join(user, group, *, message="", request=None):
    """Open groups (and invitations) make a member at once; closed groups record a request and tell the
    group admins. Returns the membership."""
    try:
        with transaction.atomic():
            _lock(group)
            check_join(user, group)
            membership = access.membership_of(user, group) or Membership(group=group, user=user)
            invited = membership.state == Membership.State.INVITED and membership.pk is not None
            if group.privacy == Group.Privacy.CLOSED and not invited:
                membership.state, membership.message = Membership.State.REQUESTED, message.strip()[:500]
                membership.save()
                _tell_admins_of_request(group, membership)
                audit(user, "group.request", group, request=request)
            else:
                membership.state, membership.auto = Membership.State.MEMBER, False
                membership.save()
                audit(user, "group.join", group, request=request, detail={"invited": invited})
    except IntegrityError:  # the filling added them meanwhile (it does not take the lock)
        raise ValidationError(_("You are already in this group or have already asked to join it.")) from None
    _forget_cached_ids(user)
    return membership


def _tell_admins_of_request(group, membership):
    url = settings.SITE_URL + reverse("group_manage", kwargs={"slug": group.slug})
    for admin in User.objects.filter(pk__in=access.group_admin_ids(group)).exclude(email=None):
        if is_blocked_between(admin, membership.user):
            continue
        send_email(admin.email, "groups/email/join_requested",
                   {"group": group, "requester": membership.user, "url": url}, language=admin.language)


def check_leave(user, group):
    membership = access.membership_of(user, group)
    if membership is None or membership.state not in (Membership.State.MEMBER, Membership.State.REQUESTED):
        raise ValidationError(_("You are not a member of this group."))
    if (membership.role == Membership.Role.ADMIN and membership.state == Membership.State.MEMBER
            and access.group_admin_ids(group) == [user.pk]):
        raise ValidationError(_("You are the group's only admin. Make another member an admin before you leave."))
    return membership


def do_leave(user, group, *, request=None):
    """Leave (or withdraw a request)."""
    with transaction.atomic():
        _lock(group)
        _take_out(check_leave(user, group))
        audit(user, "group.leave", group, request=request)
    _forget_cached_ids(user)


# --- Group admins: requests, invitations, members ------------------------------------------------

def check_decide(actor, membership):
    if not access.may_manage(actor, membership.group):
        raise ValidationError(_("Only the group admins can do this."))
    if membership.state != Membership.State.REQUESTED:
        raise ValidationError(_("This request has already been answered."))


def do_decide_request(actor, membership, *, approve, request=None):
    """Approve or decline a request to join; the requester is told by email either way."""
    with transaction.atomic():
        _lock(membership.group)
        membership = _fresh(membership, _("This request has already been answered."))
        check_decide(actor, membership)
        group, member = membership.group, membership.user
        if approve:
            membership.state = Membership.State.MEMBER
            membership.save(update_fields=["state", "updated_at"])
        else:
            _take_out(membership)
        audit(actor, "group.request_approved" if approve else "group.request_declined", group, request=request,
              detail={"member": member.pk})
        if member.email:
            send_email(member.email, "groups/email/request_decided",
                       {"group": group, "approved": approve, "url": group_url(group)}, language=member.language)
    return membership


def check_invite(actor, group, member):
    if not access.may_manage(actor, group):
        raise ValidationError(_("Only the group admins can do this."))
    if member.state != State.ACTIVE or is_blocked_between(actor, member):
        raise ValidationError(_("This member cannot be invited."))
    membership = access.membership_of(member, group)
    if membership is not None and membership.state == Membership.State.MEMBER:
        raise ValidationError(_("This member is already in the group."))
    if membership is not None and membership.state == Membership.State.INVITED:
        raise ValidationError(_("This member has already been invited."))


def do_invite(actor, group, member, *, request=None):
    """Invite a member (the way into a secret group); a pending request to join counts as accepted."""
    with transaction.atomic():
        _lock(group)
        check_invite(actor, group, member)
        membership = access.membership_of(member, group) or Membership(group=group, user=member)
        if membership.state == Membership.State.REQUESTED:
            return do_decide_request(actor, membership, approve=True, request=request)
        membership.state, membership.invited_by = Membership.State.INVITED, actor
        membership.role = Membership.Role.MEMBER
        membership.save()
        audit(actor, "group.invite", group, request=request, detail={"member": member.pk})
        if member.email:
            send_email(member.email, "groups/email/invited",
                       {"group": group, "inviter": actor, "url": group_url(group)}, language=member.language)
    return membership


def do_decline_invitation(user, group, *, request=None):
    with transaction.atomic():
        _lock(group)
        membership = access.membership_of(user, group)
        if membership is None or membership.state != Membership.State.INVITED:
            raise ValidationError(_("There is no invitation to answer."))
        _take_out(membership)
        audit(user, "group.invitation_declined", group, request=request)


def check_change_member(actor, membership, *, role=None):
    group = membership.group
    if not access.may_manage(actor, group):
        raise ValidationError(_("Only the group admins can do this."))
    if membership.state not in (Membership.State.MEMBER, Membership.State.INVITED):
        raise ValidationError(_("This person is not a member of the group."))
    demoted_or_removed = membership.role == Membership.Role.ADMIN and role != Membership.Role.ADMIN
    if demoted_or_removed and access.group_admin_ids(group) == [membership.user_id]:
        raise ValidationError(_("A group needs at least one admin. Make another member an admin first."))


def do_set_role(actor, membership, role, *, request=None):
    if role not in Membership.Role.values:
        raise ValidationError(_("Choose a role."))
    with transaction.atomic():
        _lock(membership.group)
        membership = _fresh(membership, _("This person is not a member of the group."))
        check_change_member(actor, membership, role=role)
        if membership.state != Membership.State.MEMBER:
            raise ValidationError(_("Only members who joined can become group admins."))
        membership.role = role
        if role == Membership.Role.ADMIN:  # the filling never takes out an admin, even after a move
            membership.auto = False
        membership.save(update_fields=["role", "auto", "updated_at"])
        audit(actor, "group.role", membership.group, request=request,
              detail={"member": membership.user_id, "role": role})
    return membership


def do_remove_member(actor, membership, *, request=None):
    """Take a member out (or cancel an invitation). Someone removed from an auto-filled group stays out."""
    with transaction.atomic():
        _lock(membership.group)
        membership = _fresh(membership, _("This person is not a member of the group."))
        check_change_member(actor, membership)
        _take_out(membership)
        audit(actor, "group.remove_member", membership.group, request=request, detail={"member": membership.user_id})


# --- Department groups filled automatically ------------------------------------------------------

def _department_shown_to_all():
    """Members whose department every member may see: the filling makes membership public, so it must
    not tell anyone a department its member chose to hide. The same rule as profiles.effective_visibility
    (a choice the rules do not allow falls back to the default), as a query so it works on any number."""
    rule = visibility_rules(fields=[])["department"]
    chosen = "profile__visibility__department"
    if Visibility.MEMBERS not in rule.allowed:
        return Q(pk__in=[])
    if rule.default == Visibility.MEMBERS:
        return ~Q(**{f"{chosen}__in": sorted(rule.allowed - {Visibility.MEMBERS})})
    return Q(**{chosen: Visibility.MEMBERS})


def department_members(group):
    """Active members whose last department is the group's department or one below it, and visible to
    every member (the others may still join by themselves)."""
    if group.department_id is None:
        return User.objects.none()
    path = group.department.path
    return User.objects.filter(Q(department__path=path) | Q(department__path__startswith=path + "/"),
                               _department_shown_to_all(), state=State.ACTIVE)


def do_fill_department_group(group_id):
    """Bring an auto-filled department group in step with the members' departments: add members of the
    department who are not in it (in batches; those who left stay out), and take out members the filling
    had added who moved to another department or hid it (admins stay). Safe to run again at any time
    (the fill task, housekeeping)."""
    group = Group.objects.select_related("department").filter(pk=group_id).first()
    if group is None:
        return 0
    belong = department_members(group)
    if not group.auto_fill:
        belong = User.objects.none()
    moved = (Membership.objects.filter(group=group, auto=True).exclude(role=Membership.Role.ADMIN)
             .exclude(user__in=belong.values("pk")))
    moved_count, _deleted = moved.delete()
    added = 0
    known = Membership.objects.filter(group=group).values("user_id")
    missing = belong.exclude(pk__in=known).order_by("pk").values_list("pk", flat=True)
    while True:
        batch = list(missing[:FILL_BATCH])
        if not batch:
            break
        with transaction.atomic():
            created = Membership.objects.bulk_create(
                [Membership(group=group, user_id=pk, auto=True) for pk in batch], ignore_conflicts=True)
        added += len(created)
        if len(batch) < FILL_BATCH:
            break
    if added or moved_count:
        audit(None, "group.fill", group, detail={"added": added, "removed": moved_count})
    return added


def do_fill_all_department_groups():
    """Housekeeping: members who joined the network or changed department since the last run."""
    for pk in Group.objects.filter(auto_fill=True).values_list("pk", flat=True):
        do_fill_department_group(pk)


def forget_member(sender, member, **kwargs):
    """member_withdrawing: the member's memberships, requests and invitations go with them. A group whose
    only admin withdraws keeps going: network admins manage every group."""
    Membership.objects.filter(user=member).delete()
    Membership.objects.filter(invited_by=member).update(invited_by=None)
    Group.objects.filter(created_by=member).update(created_by=None)
