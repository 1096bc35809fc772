"""The only writes of chat: conversations, who takes part, messages, read state, settings, the unread-messages
email and a withdrawn member's data.

A message is committed first; only then does the channel layer tell the conversation's sockets (see
realtime.py), and they read what is new from the database. Messages of one conversation are written with
the conversation's row locked, so their ids commit in order and "everything after id N" never skips one.
Structural changes (who takes part, names) are audited; single messages are not (they are not admin actions).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.actions import audit
from kizuna.core.email import send_email
from kizuna.core.text import normalize
from kizuna.members.models import State, User
from kizuna.moderation.ratelimit import check_rate
from kizuna.notifications.access import modes_for
from kizuna.notifications.actions import do_notify, unsubscribe_url
from kizuna.notifications.models import Mode

from . import access, realtime
from .compiled import Compiled, CompiledUpdate
from .models import MAX_PARTICIPANTS, ChatSettings, Conversation, Message, Participant

MAX_TEXT = 5000
MESSAGES_PER_MINUTE = 60  # far above any conversation between people; stops scripts flooding one
MAX_TITLE = 100
# An email about unread messages waits until the conversation has been quiet this long: a lively
# conversation is one email, not one per message.
QUIET_PERIOD = datetime.timedelta(minutes=15)
CATEGORY = "messages"


# --- Settings ---------------------------------------------------------------------------------------------

def do_set_starters(user, starters, *, request=None):
    if starters not in ChatSettings.Starters.values:
        raise ValidationError(_("Choose who may start a conversation with you."))
    ChatSettings.objects.update_or_create(user=user, defaults={"starters": starters})
    audit(user, "chat.settings", user, detail={"starters": starters}, request=request)


# --- Conversations ----------------------------------------------------------------------------------------

def _check_contact(user, other):
    if other.pk == user.pk:
        raise ValidationError(_("You cannot start a conversation with yourself."))
    if other.state != State.ACTIVE or access.blocked_pair(user, other):
        raise ValidationError(_("You cannot send messages to this member."))
    if not access.may_contact(user, other):
        raise ValidationError(_("%(name)s does not accept new conversations.") % {"name": other.name})


def do_start_direct(user, other, *, request=None):
    """The 1:1 conversation of the two: the existing one, or a new one if `other` accepts new conversations."""
    existing = access.direct_conversation(user, other)
    if existing is not None:
        if other.state != State.ACTIVE or access.blocked_pair(user, other):
            raise ValidationError(_("You cannot send messages to this member."))
        return existing
    _check_contact(user, other)
    with transaction.atomic():
        conversation, created = Conversation.objects.get_or_create(
            direct_key=access.direct_key(user, other),
            defaults={"kind": Conversation.Kind.DIRECT, "created_by": user})
        if created:
            Participant.objects.bulk_create([Participant(conversation=conversation, user=user),
                                             Participant(conversation=conversation, user=other)])
            audit(user, "chat.start", conversation, target_label=f"#{conversation.pk}", request=request)
    return conversation


def check_title(title):
    title = (title or "").strip()
    if len(title) > MAX_TITLE:
        raise ValidationError(_("Please keep the name to %(max)d characters.") % {"max": MAX_TITLE})
    return title


def check_add(actor, conversation, members):
    """Whether `actor` may add `members`: a group conversation, room left, each of them accepting contact."""
    if conversation.is_direct:
        raise ValidationError(_("People cannot be added to a 1:1 conversation. Start a group conversation."))
    present = set(Participant.objects.filter(conversation=conversation).values_list("user_id", flat=True))
    new = [m for m in members if m.pk not in present]
    if len(present) + len(new) > MAX_PARTICIPANTS:
        raise ValidationError(_("A conversation can have at most %(max)d people.") % {"max": MAX_PARTICIPANTS})
    for member in new:
        _check_contact(actor, member)
    return new


def do_create_group(user, title, members, *, event=None, request=None):
    """A group conversation of `user` (its administrator) and `members`."""
    title = check_title(title)
    members = [m for m in dict.fromkeys(members) if m.pk != user.pk]
    if not members and event is None:
        raise ValidationError(_("Choose at least one person to talk with."))
    if len(members) + 1 > MAX_PARTICIPANTS:
        raise ValidationError(_("A conversation can have at most %(max)d people.") % {"max": MAX_PARTICIPANTS})
    for member in members:
        _check_contact(user, member)
    with transaction.atomic():
        conversation = Conversation.objects.create(kind=Conversation.Kind.GROUP, title=title, created_by=user,
                                                   event=event)
        Participant.objects.bulk_create(
            [Participant(conversation=conversation, user=user, role=Participant.Role.ADMIN)]
            + [Participant(conversation=conversation, user=member) for member in members])
        audit(user, "chat.create", conversation, detail={"people": len(members) + 1}, request=request)
    return conversation


def do_open_event_conversation(user, event, *, request=None):
    """The event's conversation, joined: hosts and staff start it, confirmed attendees join it."""
    if not access.may_join_event_conversation(user, event):
        raise ValidationError(_("Only the hosts and people with a confirmed seat can join this conversation."))
    conversation = access.event_conversation(event)
    if conversation is None:
        from kizuna.events.access import may_manage

        if not may_manage(user, event):
            raise ValidationError(_("The hosts have not started a conversation for this event yet."))
        with transaction.atomic():
            conversation, _created = Conversation.objects.get_or_create(
                event=event, defaults={"kind": Conversation.Kind.GROUP, "title": event.title[:MAX_TITLE],
                                       "created_by": user})
    _join(user, conversation, request=request)
    return conversation


def leave_event_conversation(sender, event, user, **kwargs):
    """events.signals.registration_cancelled: without a seat the member no longer takes part in the event's
    conversation (hosts and staff, who may always join it, stay)."""
    if access.may_join_event_conversation(user, event):
        return
    conversation = access.event_conversation(event)
    if conversation is not None and Participant.objects.filter(conversation=conversation, user=user).delete()[0]:
        realtime.members_changed(conversation.pk)


def do_open_group_conversation(user, group, *, request=None):
    """The group's conversation, joined: any confirmed member of the group opens (or starts) it."""
    from kizuna.groups.access import is_group_member

    if not is_group_member(user, group):
        raise ValidationError(_("Only members of the group can join its conversation."))
    with transaction.atomic():
        conversation, _created = Conversation.objects.get_or_create(
            group=group, defaults={"kind": Conversation.Kind.GROUP, "title": group.name[:MAX_TITLE],
                                   "created_by": user})
    _join(user, conversation, request=request)
    return conversation


def _join(user, conversation, *, request=None):
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if Participant.objects.filter(conversation=locked, user=user).exists():
            return
        if Participant.objects.filter(conversation=locked).count() >= MAX_PARTICIPANTS:
            raise ValidationError(_("A conversation can have at most %(max)d people.") % {"max": MAX_PARTICIPANTS})
        role = Participant.Role.ADMIN if locked.created_by_id == user.pk else Participant.Role.MEMBER
        # A newcomer starts with the history read: their unread count is what comes after they joined.
        Participant.objects.create(conversation=locked, user=user, role=role, last_read_id=locked.last_message_id,
                                   last_emailed_id=locked.last_message_id)
        audit(user, "chat.join", locked, request=request)
    realtime.members_changed(conversation.pk)


def do_add_participants(actor, conversation, members, *, request=None):
    if not access.is_conversation_admin(actor, conversation):
        raise ValidationError(_("Only the administrators of this conversation can add people."))
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        new = check_add(actor, locked, members)
        Participant.objects.bulk_create([
            Participant(conversation=locked, user=m, last_read_id=locked.last_message_id,
                        last_emailed_id=locked.last_message_id) for m in new])
        if new:
            audit(actor, "chat.add", locked, detail={"people": len(new)}, request=request)
    realtime.members_changed(conversation.pk)
    return new


def do_remove_participant(actor, conversation, member, *, request=None):
    """An administrator removes someone: from the next socket event on they receive nothing more."""
    if conversation.is_direct or not access.is_conversation_admin(actor, conversation):
        raise ValidationError(_("Only the administrators of this conversation can remove people."))
    if member.pk == actor.pk:
        raise ValidationError(_("To leave the conversation yourself, use “Leave”."))
    with transaction.atomic():
        removed = Participant.objects.filter(conversation=conversation, user=member).delete()[0]
        if removed:
            audit(actor, "chat.remove", conversation, detail={"member": member.pk}, request=request)
    realtime.members_changed(conversation.pk)
    return bool(removed)


def do_leave(user, conversation, *, request=None):
    if conversation.is_direct:
        raise ValidationError(_("A 1:1 conversation cannot be left. You can mute it or block the member."))
    with transaction.atomic():
        Participant.objects.filter(conversation=conversation, user=user).delete()
        # The last administrator leaving hands the role to the longest-standing participant.
        rest = Participant.objects.filter(conversation=conversation)
        if not rest.filter(role=Participant.Role.ADMIN).exists():
            successor = rest.order_by("joined_at", "pk").first()
            if successor is not None:
                rest.filter(pk=successor.pk).update(role=Participant.Role.ADMIN)
        audit(user, "chat.leave", conversation, request=request)
    realtime.members_changed(conversation.pk)


def do_rename(actor, conversation, title, *, request=None):
    if conversation.is_direct:
        raise ValidationError(_("A 1:1 conversation has no name of its own."))
    if not Participant.objects.filter(conversation=conversation, user=actor).exists():
        raise ValidationError(_("You no longer take part in this conversation."))
    conversation.title = check_title(title)
    conversation.save(update_fields=["title"])
    audit(actor, "chat.rename", conversation, request=request)


def do_set_muted(user, conversation, muted):
    Participant.objects.filter(conversation=conversation, user=user).update(muted=bool(muted))


# --- Messages ----------------------------------------------------------------------------------------------

def check_send(user, conversation, text, *, attachment=None, reply_to=None):
    """The message's text, or ValidationError: it is empty, too long, replies into another conversation, or the
    member writes too often. Whether they may write into the conversation is checked under its lock, when the
    message is written (do_send_message)."""
    text = (text or "").strip()
    if not text and attachment is None:
        raise ValidationError(_("Please write a message or attach a file."))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("A message can be at most %(max)d characters.") % {"max": MAX_TEXT})
    if reply_to is not None and reply_to.conversation_id != conversation.pk:
        raise ValidationError(_("The message you reply to is not in this conversation."))
    check_rate(user, "chat.message", limit=MESSAGES_PER_MINUTE, per_seconds=60)
    return text


def _refuse(user, conversation):
    """The member may not write into the conversation now (access.writable): tell them why."""
    if not access.is_taking_part(user.pk, conversation.pk):
        raise ValidationError(_("You no longer take part in this conversation."))
    other = User.objects.filter(chat_participations__conversation=conversation).exclude(pk=user.pk).first()
    if other is None or other.state != State.ACTIVE:
        raise ValidationError(_("This member is no longer in the network."))
    raise ValidationError(_("You cannot send messages to this member."))


# The statements of every message sent, compiled once (compiled.py): the socket sends hundreds a second. The lock
# on the conversation keeps its messages' ids in the order they are committed (a socket's cursor relies on it),
# and its query checks that the member may write now.
_lock = Compiled(lambda conversation, user: access.writable(user, conversation).select_for_update(of=("self",))
                 .values_list("pk"), "conversation", "user")
_newest = CompiledUpdate(lambda conversation, message: (
    Conversation.objects.filter(pk=conversation),
    {"last_message_id": message,
     "last_message_at": Subquery(Message.objects.filter(pk=message).values("created_at"))}), "conversation", "message")
# Writing means having read everything before.
_read_by_writer = CompiledUpdate(lambda conversation, user, message: (
    Participant.objects.filter(conversation_id=conversation, user_id=user),
    {"last_read_id": message, "last_emailed_id": message}), "conversation", "user", "message")


def do_send_message(user, conversation, text, *, attachment=None, reply_to=None):
    """Store the message (attachment: a clean attachments.CleanAttachment), then notify the sockets."""
    text = check_send(user, conversation, text, attachment=attachment, reply_to=reply_to)
    with transaction.atomic():
        if not _lock.rows(conversation=conversation.pk, user=user.pk):
            _refuse(user, conversation)
        message = Message(conversation_id=conversation.pk, author=user, text=text, search_key=normalize(text),
                          reply_to=reply_to)
        if attachment is not None:
            message.attachment = attachment.file
            message.attachment_kind = attachment.kind
            message.attachment_name = attachment.name
            message.attachment_size = attachment.file.size
        message.save()
        _newest.update(conversation=conversation.pk, message=message.pk)
        _read_by_writer.update(conversation=conversation.pk, user=user.pk, message=message.pk)
        realtime.message_added(message)
    return message


def _own_live_message(user, message):
    if message.author_id != user.pk:
        raise ValidationError(_("You can only change your own messages."))
    if message.is_removed:
        raise ValidationError(_("This message has been deleted."))
    if not access.is_participant(user.pk, message.conversation_id):
        raise ValidationError(_("You no longer take part in this conversation."))


def _tell_changed(message):
    """Open pages replace the message, and the replies quoting it (their quote shows it as it is now)."""
    quoting = Message.objects.filter(reply_to=message).values_list("pk", flat=True)
    for pk in [message.pk, *quoting]:
        realtime.message_changed(message.conversation_id, pk)


def do_edit_message(user, message, text):
    _own_live_message(user, message)
    text = (text or "").strip()
    if not text and not message.attachment:
        raise ValidationError(_("Please write a message or attach a file."))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("A message can be at most %(max)d characters.") % {"max": MAX_TEXT})
    message.text, message.search_key, message.edited_at = text, normalize(text), timezone.now()
    message.save(update_fields=["text", "search_key", "edited_at"])
    _tell_changed(message)
    return message


def do_delete_message(user, message):
    """The text and the attachment are erased; a placeholder keeps the place in the conversation."""
    _own_live_message(user, message)
    if message.attachment:
        message.attachment.delete(save=False)
    message.text = message.search_key = message.attachment_name = ""
    message.attachment_kind, message.attachment_size = "", 0
    message.deleted_at = timezone.now()
    message.save()
    _tell_changed(message)


def do_mark_read(user, conversation_id, upto):
    """The member has seen everything up to message `upto` (never moves backwards)."""
    try:
        upto = int(upto)
    except (TypeError, ValueError):
        return 0
    return (Participant.objects.filter(conversation_id=conversation_id, user=user, last_read_id__lt=upto)
            .update(last_read_id=upto))


def set_hidden(message, hidden):
    """Moderation hides a reported message (or shows it again)."""
    Message.objects.filter(pk=message.pk).update(hidden=hidden)
    _tell_changed(message)


def remove(message):
    """Moderation removes a message: erased like a deletion by its author."""
    if message.attachment:
        message.attachment.delete(save=False)
    Message.objects.filter(pk=message.pk).update(text="", search_key="", attachment="", attachment_name="",
                                                 attachment_kind="", attachment_size=0, deleted_at=timezone.now())
    _tell_changed(message)


# --- Emails about unread messages --------------------------------------------------------------------------

def _waiting(now):
    """Participations with messages neither read nor emailed, in conversations quiet for QUIET_PERIOD."""
    return (Participant.objects.filter(muted=False, user__state=State.ACTIVE,
                                       conversation__last_message_at__lte=now - QUIET_PERIOD,
                                       conversation__last_message_id__gt=F("last_read_id"))
            .filter(conversation__last_message_id__gt=F("last_emailed_id"))
            .select_related("conversation", "user"))


def do_email_unread_messages(now=None):
    """One email per member listing their conversations with unread messages (housekeeping runs this).
    Members who chose the weekly digest get a line in it instead; nothing for those who turned it off.
    Each message is told about once (Participant.last_emailed_id)."""
    now = now or timezone.now()
    by_user = {}
    for participant in _waiting(now):
        by_user.setdefault(participant.user, []).append(participant)
    modes = modes_for(list(by_user), CATEGORY) if by_user else {}
    sent = 0
    for user, participations in by_user.items():
        with transaction.atomic():
            lines = []
            for participant in participations:
                floor = max(participant.last_read_id, participant.last_emailed_id)
                counted = (access.readable_messages(user.pk, participant.conversation_id)
                           .filter(id__gt=floor, deleted_at__isnull=True, hidden=False).exclude(author=user)
                           .count())
                newest = participant.conversation.last_message_id
                Participant.objects.filter(pk=participant.pk).update(last_emailed_id=newest)
                if counted:
                    lines.append({"title": conversation_title(user, participant.conversation), "count": counted,
                                  "url": _conversation_url(participant.conversation),
                                  "key": f"{participant.conversation_id}.{newest}"})
            mode = modes.get(user.pk, Mode.INSTANT)
            if not lines or mode == Mode.OFF:
                continue
            if mode == Mode.WEEKLY:
                for line in lines:
                    do_notify(CATEGORY, line["key"], [user], template="chat/email/unread", context={})
                continue
            send_email(user.email, "chat/email/unread", {
                "member": user, "conversations": lines, "total": sum(line["count"] for line in lines),
                "unsubscribe_url": unsubscribe_url(user, CATEGORY)}, language=user.language)
            sent += 1
    return sent


def _conversation_url(conversation):
    from django.conf import settings

    return settings.SITE_URL + reverse("chat_conversation", args=[conversation.pk])


def conversation_title(viewer, conversation, partner=None):
    """The name a member sees for a conversation: its own name, or the other person's in a 1:1."""
    if conversation.title:
        return conversation.title
    if conversation.is_direct:
        partner = partner if partner is not None else access.other_party(viewer, conversation)
        return partner.name if partner is not None else _("Withdrawn member")
    return _("Group conversation")


def describe_for_digest(member, keys):
    """The weekly digest's lines: one per conversation the member still takes part in, without names or text
    (the page shows them)."""
    ids = {int(key.split(".")[0]) for key in keys}
    return [(_("Unread messages in a conversation"), _conversation_url(conversation))
            for conversation in access.conversations_of(member).filter(pk__in=ids).order_by("pk")]


# --- Withdrawal --------------------------------------------------------------------------------------------

def forget_member(sender, member, **kwargs):
    """member_withdrawing: the member leaves every conversation; their messages stay for the others, shown as
    from "退会したメンバー" (the account row keeps no personal data); attached files, which may show them, go."""
    for message in Message.objects.filter(author=member).exclude(attachment=""):
        message.attachment.delete(save=False)
    Message.objects.filter(author=member).exclude(attachment="").update(
        attachment="", attachment_name="", attachment_kind="", attachment_size=0)
    conversation_ids = list(Participant.objects.filter(user=member).values_list("conversation_id", flat=True))
    Participant.objects.filter(user=member).delete()
    ChatSettings.objects.filter(user=member).delete()
    for conversation_id in conversation_ids:
        realtime.members_changed(conversation_id)
