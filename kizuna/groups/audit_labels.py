"""Readable names of the groups app's audit actions (joined to core's list when the app is ready)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "group.create": _("Created a group"),
    "group.update": _("Changed a group's settings"),
    "group.delete": _("Deleted a group"),
    "group.policy": _("Changed who may create groups"),
    "group.join": _("Joined a group"),
    "group.request": _("Asked to join a group"),
    "group.leave": _("Left a group"),
    "group.request_approved": _("Approved a request to join a group"),
    "group.request_declined": _("Declined a request to join a group"),
    "group.invite": _("Invited a member to a group"),
    "group.invitation_declined": _("Declined an invitation to a group"),
    "group.role": _("Changed a member's role in a group"),
    "group.remove_member": _("Removed a member from a group"),
    "group.fill": _("Filled a department group automatically"),
}
