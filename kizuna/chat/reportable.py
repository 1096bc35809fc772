"""A chat message as moderators see a report of it: the message and a few around it in its conversation,
nothing more (not the conversation's name, its people or the rest of its history)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from kizuna.members.models import State
from kizuna.moderation.registry import Reportable

from . import access, actions
from .models import Message

AROUND = 3  # messages before and after the reported one


def _author(message):
    if message.author.state == State.WITHDRAWN:
        return _("Withdrawn member")
    return message.author.name


def _text(message):
    if message.is_removed:
        return _("This message was deleted.")
    return message.text or message.attachment_name


def _context(message):
    nearby = Message.objects.filter(conversation_id=message.conversation_id).select_related("author")
    before = list(nearby.filter(pk__lt=message.pk).order_by("-pk")[:AROUND])[::-1]
    after = list(nearby.filter(pk__gt=message.pk).order_by("pk")[:AROUND])
    return [{"author": _author(m), "text": _text(m), "created_at": m.created_at, "reported": m.pk == message.pk}
            for m in [*before, message, *after]]


def _visible_to(user, message):
    return access.readable_messages(user.pk, message.conversation_id).filter(
        pk=message.pk, deleted_at__isnull=True, hidden=False).exists()


MESSAGE = Reportable(
    kind="message",
    model=Message,
    label=pgettext_lazy("chat", "Message"),
    owner=lambda message: message.author if message.author.state != State.WITHDRAWN else None,
    excerpt=_text,
    url=lambda message: reverse("chat_conversation", args=[message.conversation_id]) + f"#m{message.pk}",
    visible_to=_visible_to,
    context=_context,
    set_hidden=actions.set_hidden,
    remove=actions.remove,
)
