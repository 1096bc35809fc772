from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kizuna.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from kizuna.members.changes import member_withdrawing
        from kizuna.members.export import register_sections

        from . import actions, export

        member_withdrawing.connect(actions.forget_member, dispatch_uid="notifications.forget_member")
        register_sections(export.sections)
