"""Signals members' actions send so that other apps (the directory index, events …) keep in step.

Both are sent inside the writing transaction: a receiver's writes commit or roll back with the change.
"""

from django.dispatch import Signal

# A member's profile, career, skills or custom values changed. Argument: member_ids.
profile_changed = Signal()
# Something every profile depends on changed: the admin's visibility rules or the custom fields.
profile_rules_changed = Signal()
# A member is withdrawing: personal data is being erased. Argument: member. Receivers delete or
# anonymise what their app holds about the member; history that others need stays, without the person.
member_withdrawing = Signal()
