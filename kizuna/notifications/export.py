"""The member's notification preferences in their data download."""

from django.utils.translation import gettext as _

from kizuna.members.export import Field, Section

from .access import modes_of
from .categories import CATEGORIES
from .models import Mode


def sections(user):
    labels = dict(Mode.choices)
    return [Section("notification_preferences", _("Notification settings"), many=True, entries=[
        [Field("category", _("Notifications"), key, str(CATEGORIES[key].label)),
         Field("mode", _("How"), mode, str(labels[mode]))]
        for key, mode in modes_of(user).items()
    ])]
