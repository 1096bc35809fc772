from kizuna.groups import actions
from kizuna.groups.models import Group, Membership

from ..factories import MemberFactory


def make_group(creator=None, *, name="エンジニア勉強会", kind=Group.Kind.INTEREST, privacy=Group.Privacy.OPEN,
               department=None, auto_fill=False, slug="", description=""):
    creator = creator or MemberFactory()
    return actions.do_save_group(creator, Group(), {
        "name": name, "kind": kind, "privacy": privacy, "description": description, "slug": slug,
        "department": department, "auto_fill": auto_fill})


def add_member(group, user, role=Membership.Role.MEMBER):
    """Put `user` in `group` the way members get there (an invitation accepted), then set the role."""
    creator_admin = Membership.objects.filter(group=group, role=Membership.Role.ADMIN).first().user
    if group.privacy == Group.Privacy.OPEN:
        membership = actions.do_join(user, group)
    else:
        actions.do_invite(creator_admin, group, user)
        membership = actions.do_join(user, group)
    if role != Membership.Role.MEMBER:
        actions.do_set_role(creator_admin, membership, role)
    return membership
