"""Readable names of the chat app's audit actions (joined to core's list when the app is ready)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "chat.settings": _("Changed who may start a conversation with them"),
    "chat.start": _("Started a 1:1 conversation"),
    "chat.create": _("Created a group conversation"),
    "chat.join": _("Joined a conversation"),
    "chat.add": _("Added people to a conversation"),
    "chat.remove": _("Removed someone from a conversation"),
    "chat.leave": _("Left a conversation"),
    "chat.rename": _("Renamed a conversation"),
}
