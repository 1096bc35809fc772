"""The member's chat data in their data download: their setting, the conversations they take part in and the
messages they wrote. Others' messages are those members' data and are left out."""

from django.utils.translation import gettext as _

from kizuna.members.export import Field, Section, _display

from .access import starters_of
from .models import ChatSettings, Message, Participant


def sections(user):
    starters = starters_of(user)
    setting = Section("chat_settings", _("Messages: settings"), many=False, entries=[[
        Field("starters", _("Who may start a conversation with you"), starters,
              str(ChatSettings.Starters(starters).label))]])
    conversations = Section("chat_conversations", _("Conversations you take part in"), many=True, entries=[
        [Field("conversation", _("Conversation"), p.conversation_id, f"#{p.conversation_id}"),
         Field("name", _("Name"), p.conversation.title, _display(p.conversation.title)),
         Field("kind", _("Kind"), p.conversation.kind, p.conversation.get_kind_display()),
         Field("joined_at", _("Joined at"), p.joined_at, _display(p.joined_at)),
         Field("muted", _("Muted"), p.muted, _display(p.muted))]
        for p in Participant.objects.filter(user=user).select_related("conversation").order_by("pk")
    ])
    messages = Section("chat_messages", _("Messages you wrote"), many=True, entries=[
        [Field("conversation", _("Conversation"), m.conversation_id, f"#{m.conversation_id}"),
         Field("text", _("Message"), m.text, _display(m.text)),
         Field("attachment", _("Attachment"), m.attachment_name, _display(m.attachment_name)),
         Field("created_at", _("Sent at"), m.created_at, _display(m.created_at)),
         Field("edited_at", _("Edited at"), m.edited_at, _display(m.edited_at)),
         Field("deleted_at", _("Deleted at"), m.deleted_at, _display(m.deleted_at))]
        for m in Message.objects.filter(author=user).order_by("pk").iterator()
    ])
    return [setting, conversations, messages]
