"""Readable names of the moderation app's audit actions (joined to core's list when the app is ready)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "moderation.report": _("Reported content to the moderators"),
    "moderation.hold": _("Held content for review (word list)"),
    "moderation.word_add": _("Added a word to the moderation list"),
    "moderation.word_remove": _("Removed a word from the moderation list"),
    "moderation.hide": _("Moderation: hid content"),
    "moderation.remove": _("Moderation: removed content"),
    "moderation.warn": _("Moderation: warned a member"),
    "moderation.suspend": _("Moderation: suspended a member"),
    "moderation.dismiss": _("Moderation: dismissed reports"),
    "moderation.approve": _("Moderation: approved held content"),
}
