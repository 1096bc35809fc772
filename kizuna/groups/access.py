"""Who may see and do what with groups. Views, the API and other apps (feed, chat) ask here.

A group is seen by every network member unless it is secret: a secret group exists only for its
members, the people invited to it and network admins (anyone else gets 404). What happens inside a
group (its posts, its member list) is read by its members, by everyone when the group is open, and by
network admins, who run the network.
"""

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from kizuna.core.text import normalize
from kizuna.members.access import blocked_ids
from kizuna.members.models import State

from .models import Group, GroupPolicy, Membership


def _is_member_of_network(user) -> bool:
    return user.is_authenticated and user.is_member


def member_group_ids(user) -> set[int]:
    """Groups the user is a confirmed member of (one query; kept on the user for the request)."""
    if not _is_member_of_network(user):
        return set()
    cached = getattr(user, "_kizuna_group_ids", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user, state=Membership.State.MEMBER)
                     .values_list("group_id", flat=True))
        user._kizuna_group_ids = cached
    return cached


def requested_group_ids(user) -> set[int]:
    """Groups the user asked to join and is waiting for (the list marks them)."""
    if not _is_member_of_network(user):
        return set()
    return set(Membership.objects.filter(user=user, state=Membership.State.REQUESTED)
               .values_list("group_id", flat=True))


def visible_groups(user):
    """Groups the user may see: all but secret ones, which only their members, invitees and admins see."""
    if not _is_member_of_network(user):
        return Group.objects.none()
    if user.is_admin:
        return Group.objects.all()
    involved = Membership.objects.filter(group=OuterRef("pk"), user=user,
                                         state__in=[Membership.State.MEMBER, Membership.State.INVITED])
    return Group.objects.filter(~Q(privacy=Group.Privacy.SECRET) | Exists(involved))


def access_group(user, slug) -> Group:
    """The group if the user may see it, else 404 (a secret group does not exist for outsiders)."""
    try:
        return visible_groups(user).select_related("department").get(slug=slug)
    except Group.DoesNotExist:
        raise Http404 from None


def membership_of(user, group):
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(group=group, user=user).first()


def current_membership(user, group):
    """membership_of() for pages: a "left" row (kept only so the filling does not add them back) is no
    membership, so someone who left may join or ask again."""
    membership = membership_of(user, group)
    return None if membership is None or membership.state == Membership.State.LEFT else membership


def memberships_of(user, group_ids):
    return Membership.objects.filter(user=user, group_id__in=group_ids) if user.is_authenticated else []


def is_group_member(user, group) -> bool:
    return group.pk in member_group_ids(user)


def is_group_admin(user, group) -> bool:
    """A confirmed member with the group admin role (network admins manage groups through may_manage)."""
    return (_is_member_of_network(user)
            and Membership.objects.filter(group=group, user=user, state=Membership.State.MEMBER,
                                          role=Membership.Role.ADMIN).exists())


def may_manage(user, group) -> bool:
    """Group admins and network admins accept requests, invite, and change members and settings."""
    return _is_member_of_network(user) and (user.is_admin or is_group_admin(user, group))


def may_read(user, group) -> bool:
    """Whether the user reads what happens inside the group (sections, member list)."""
    if not _is_member_of_network(user):
        return False
    return group.privacy == Group.Privacy.OPEN or user.is_admin or is_group_member(user, group)


def readable_groups(user):
    """may_read() for lists: the groups whose inside the user reads."""
    if not _is_member_of_network(user):
        return Group.objects.none()
    if user.is_admin:
        return Group.objects.all()
    return Group.objects.filter(Q(privacy=Group.Privacy.OPEN) | Q(pk__in=member_group_ids(user)))


def may_create(user, kind) -> bool:
    """Network admins create any group; members create regional and interest groups if HR allows it."""
    if not _is_member_of_network(user):
        return False
    if user.is_admin:
        return True
    return kind != Group.Kind.DEPARTMENT and GroupPolicy.load().members_may_create


def may_create_any(user) -> bool:
    return may_create(user, Group.Kind.INTEREST)


def search_groups(user, *, q="", kind="", mine=False):
    """The group list: visible groups matching every word of `q` (Japanese folding), with member counts."""
    groups = visible_groups(user)
    for word in q.split():
        groups = groups.filter(name_key__contains=normalize(word))
    if kind:
        groups = groups.filter(kind=kind)
    if mine:
        groups = groups.filter(pk__in=member_group_ids(user))
    return with_member_counts(user, groups).order_by("name_key", "pk")


def _seen_memberships(viewer, state):
    """Memberships in `state` of active accounts, without members blocked either way."""
    return (Membership.objects.filter(state=state, user__state=State.ACTIVE)
            .exclude(user_id__in=blocked_ids(viewer)))


def _listed(memberships, viewer):
    """Without those who hid themselves from the directory (each still sees themselves)."""
    return memberships.filter(Q(user__profile__hidden=False) | Q(user__profile__isnull=True) | Q(user=viewer))


def with_member_counts(viewer, groups):
    """The members `viewer` would see in each group's member list (listed_members): a count must not
    reveal suspended, withdrawn, blocked or hidden members either."""
    listed = (_listed(_seen_memberships(viewer, Membership.State.MEMBER), viewer).filter(group=OuterRef("pk"))
              .order_by().values("group").annotate(n=Count("pk")).values("n"))
    return groups.annotate(member_count=Coalesce(Subquery(listed), 0))


def group_members(viewer, group):
    """Confirmed members as `viewer` sees them: active accounts, blocks hidden both ways, admins first,
    then 五十音順. Profiles are viewed through the directory's helpers (see views)."""
    return (_seen_memberships(viewer, Membership.State.MEMBER).filter(group=group)
            .select_related("user")
            .order_by("role", "user__kana_key", "user__name_key", "user__pk"))  # "admin" < "member"


def listed_members(viewer, group):
    """group_members() without those who hid themselves from the directory (each still sees themselves)."""
    return _listed(group_members(viewer, group), viewer)


def pending_requests(viewer, group):
    """Requests to join as the group admin `viewer` sees them (blocks hide both ways)."""
    return (_seen_memberships(viewer, Membership.State.REQUESTED).filter(group=group)
            .select_related("user").order_by("created_at"))


def open_invitations(viewer, group):
    return (_seen_memberships(viewer, Membership.State.INVITED).filter(group=group)
            .select_related("user").order_by("created_at"))


def own_invitations(user):
    """Invitations to groups waiting for the user's answer."""
    return (Membership.objects.filter(user=user, state=Membership.State.INVITED)
            .select_related("group", "invited_by").order_by("-created_at"))


def access_membership(group, pk):
    try:
        return Membership.objects.select_related("user").get(group=group, pk=pk)
    except (Membership.DoesNotExist, ValueError):
        raise Http404 from None


def group_admin_ids(group) -> list[int]:
    return list(Membership.objects.filter(group=group, state=Membership.State.MEMBER, role=Membership.Role.ADMIN,
                                          user__state=State.ACTIVE).values_list("user_id", flat=True))
