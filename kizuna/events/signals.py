"""Signals of the events app for other apps (the feed's "an event was published" item, the chat's event
conversation)."""

from django.dispatch import Signal

# An event was created (events are published when created); sent inside the writing transaction. Argument: event.
event_published = Signal()

# A member's registration was cancelled; sent inside the writing transaction. Arguments: event, user.
registration_cancelled = Signal()
