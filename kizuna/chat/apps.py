from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "kizuna.chat"
    label = "chat"
    verbose_name = _("Messages")

    def ready(self):
        from kizuna.members.changes import member_withdrawing
        from kizuna.members.export import register_sections
        from kizuna.notifications.categories import Category, register

        from . import actions, export

        member_withdrawing.connect(actions.forget_member, dispatch_uid="chat.forget_member")
        register_sections(export.sections)
        register(Category(actions.CATEGORY, _("Unread messages"), actions.describe_for_digest))
