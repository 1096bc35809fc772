"""The moderation app's own reportable: a member's profile. Moderators see only what every member may
see of it (values at the "all members" level), whatever their own role."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kizuna.members import actions as member_actions
from kizuna.members.access import is_blocked_between, profile_members
from kizuna.members.models import State, User, Visibility
from kizuna.members.profiles import view_profile

from .registry import Reportable

SEEN_BY_EVERY_MEMBER = frozenset({Visibility.MEMBERS})
# No set_hidden: "hide me from the directory" is the member's own choice (they may undo it, and it would
# outlive a suspension). Moderators remove what the member wrote, warn them or suspend the account.


def _excerpt(member):
    member = profile_members().get(pk=member.pk)
    view = view_profile(member, seen=SEEN_BY_EVERY_MEMBER)
    lines = [view.name]
    lines += [value for value in (view.current_title, view.current_company) if value]
    lines += [link.get("url", "") if isinstance(link, dict) else str(link) for link in (view.links or [])]
    if view.bio:
        lines.append(view.bio)
    return "\n".join(lines)


def _visible_to(user, member):
    return member.state == State.ACTIVE and not is_blocked_between(user, member)


def _remove(member):
    """What a member wrote about themselves goes; their account stays (suspend is a separate decision)."""
    member_actions.do_update_profile(member, {"bio": "", "links": []}, confirm=False)
    member_actions.do_set_photo(member, None)


PROFILE = Reportable(
    kind="profile",
    model=User,
    label=_("Profile"),
    owner=lambda member: member,
    excerpt=_excerpt,
    url=lambda member: reverse("member_profile", kwargs={"pk": member.pk}),
    visible_to=_visible_to,
    remove=_remove,
)
