"""Signals of the jobs app for other apps (the feed's "a job was published" item)."""

from django.dispatch import Signal

# A posting was opened for the first time; sent inside the writing transaction. Argument: posting.
posting_published = Signal()
