"""Messages over HTTP, with the pages' rules (chat.access for who reads what, chat.actions for every write):
your conversations with unread counts, messages after or before an id (a client catches up with `after`, as
the socket does), and sending a text message. Attachments are sent through the page."""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from kizuna.chat import access, actions
from kizuna.chat.models import Conversation
from kizuna.chat.templatetags.chat import author_label

from .errors import FieldErrors, field_errors

router = Router(tags=["messages"])


class ConversationOut(Schema):
    id: int
    kind: str = Field(description="direct (1:1) or group.")
    title: str = Field(description="The conversation's name; in a 1:1, the other person's name.")
    unread: int
    muted: bool
    last_message_at: datetime.datetime | None


class MessageOut(Schema):
    id: int
    author_id: int | None = Field(description="null once the author withdrew.")
    author: str = Field(description="The author's name (退会したメンバー after a withdrawal).")
    text: str = Field(description="Markdown; empty when deleted or hidden by moderators.")
    reply_to: int | None
    attachment: str = Field(description="image, pdf or empty.")
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    deleted: bool


class MessageIn(Schema):
    text: str
    reply_to: int | None = None


def _conversation(user, conversation_id):
    try:
        return access.access_conversation(user, conversation_id)[0]
    except Http404 as error:  # the conversation does not exist for you
        raise HttpError(404, "Not found.") from error


def _message(message) -> dict:
    withdrawn = message.author.state == "withdrawn"
    return {"id": message.pk, "author_id": None if withdrawn else message.author_id,
            "author": str(author_label(message.author)), "text": "" if message.is_removed else message.text,
            "reply_to": message.reply_to_id, "attachment": "" if message.is_removed else message.attachment_kind,
            "created_at": message.created_at, "edited_at": message.edited_at, "deleted": message.is_removed}


@router.get("/conversations", url_name="conversations", response=list[ConversationOut],
            summary="Your conversations")
def list_conversations(request):
    """Newest activity first (at most 200), with the unread count of each."""
    conversations = list(access.conversations_of(request.auth)[:200])
    partners = access.direct_partners(request.auth, conversations)
    return [{"id": c.pk, "kind": c.kind, "unread": c.unread or 0, "muted": bool(c.muted),
             "last_message_at": c.last_message_at,
             "title": actions.conversation_title(request.auth, c, partner=partners.get(c.pk))}
            for c in conversations]


@router.get("/conversations/{int:conversation_id}/messages", url_name="conversation_messages",
            response=list[MessageOut], summary="Messages of a conversation")
def list_messages(request, conversation_id: int, after: int | None = None, before: int | None = None):
    """Oldest first. `after`: everything after that id (up to 200; ask again from the last one); otherwise
    the page of 40 before `before` (or the newest 40)."""
    conversation = _conversation(request.auth, conversation_id)
    if after is not None:
        found = access.messages_after(request.auth.pk, conversation.pk, after)
    else:
        found, _more = access.messages_before(request.auth.pk, conversation.pk, before)
    return [_message(m) for m in found]


@router.post("/conversations/{int:conversation_id}/messages", url_name="conversation_send",
             response={201: MessageOut, 422: FieldErrors}, summary="Send a message")
def send_message(request, conversation_id: int, body: MessageIn):
    conversation = _conversation(request.auth, conversation_id)
    reply_to = None
    if body.reply_to is not None:
        reply_to = access.readable_messages(request.auth.pk, conversation.pk).filter(pk=body.reply_to).first()
        if reply_to is None:
            return Status(422, field_errors([(("body", "reply_to"), "Unknown message.", "invalid")]))
    try:
        message = actions.do_send_message(request.auth, Conversation.objects.get(pk=conversation.pk), body.text,
                                          reply_to=reply_to)
    except ValidationError as error:
        return Status(422, field_errors([(("body", "text"), message, "invalid") for message in error.messages]))
    return Status(201, _message(message))
