"""The groups app's part of a member's data download: the groups they belong to, asked to join or were
invited to, with their role and the message they wrote with a request."""

from django.utils.translation import gettext as _

from kizuna.members.export import Field, Section, _display

from .models import Membership


def sections(user):
    memberships = Membership.objects.filter(user=user).exclude(state=Membership.State.LEFT).select_related("group")
    return [Section("groups", _("Groups"), many=True, entries=[
        [Field("group", _("Group"), m.group.name, m.group.name),
         Field("state", _("Status"), m.state, m.get_state_display()),
         Field("role", _("Role"), m.role, m.get_role_display()),
         Field("message", _("Message to the group admins"), m.message, _display(m.message)),
         Field("since", _("Since"), m.created_at, _display(m.created_at))]
        for m in memberships
    ])]
