from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "kizuna.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        from kizuna.members.changes import member_withdrawing
        from kizuna.members.export import register_sections

        from . import actions, export

        member_withdrawing.connect(actions.erase_member_event_data, dispatch_uid="events-erase-member")
        register_sections(export.event_sections)
