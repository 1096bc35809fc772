from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "kizuna.chat"
    label = "chat"
    verbose_name = _("Messages")

    def ready(self):
        from kizuna.core.audit_labels import ACTION_LABELS
        from kizuna.events.signals import registration_cancelled
        from kizuna.groups import sections
        from kizuna.members.changes import member_withdrawing
        from kizuna.members.export import register_sections
        from kizuna.moderation import registry
        from kizuna.notifications.categories import Category, register

        from . import actions, audit_labels, export, reportable

        member_withdrawing.connect(actions.forget_member, dispatch_uid="chat.forget_member")
        registration_cancelled.connect(actions.leave_event_conversation, dispatch_uid="chat.leave_event")
        register_sections(export.sections)
        register(Category(actions.CATEGORY, _("Unread messages"), actions.describe_for_digest))
        registry.register(reportable.MESSAGE)
        sections.register(sections.GroupSection("chat", _("Conversation"), "chat/group_section.html",
                                                group_section_context, order=60))
        ACTION_LABELS.update(audit_labels.ACTION_LABELS)


def group_section_context(request, group):
    from kizuna.groups.access import is_group_member

    from .access import group_conversation

    return {"may_join": is_group_member(request.user, group), "started": group_conversation(group) is not None}
