"""Signals of the events app for other apps (the feed's "an event was published" item)."""

from django.dispatch import Signal

# An event was created (events are published when created); sent inside the writing transaction. Argument: event.
event_published = Signal()
