"""Who may read and write which conversation. Views, the socket consumer, the API and emails ask here.

A member sees a conversation while they take part in it. A 1:1 conversation with someone blocked either way
is hidden (404); in a group conversation the messages of someone blocked either way are left out. A message
is read through `readable_messages()`, which joins the participation: a member removed from a conversation
gets nothing from the next query on, whichever path asks (page, polling, socket).
"""

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.http import Http404

from kizuna.core.text import normalize
from kizuna.events import access as event_access
from kizuna.groups.models import Membership
from kizuna.members.access import blocked_ids
from kizuna.members.models import Block, State, User

from .compiled import Compiled
from .models import ChatSettings, Conversation, Message, Participant

PAGE_SIZE = 40
CATCH_UP_BATCH = 200  # messages per read of "everything after id N"; a client further behind reads again
SEARCH_LIMIT = 50


def _blocked_between(user_ref, author="author_id"):
    """A condition on Message rows: the author (or the quoted one) and `user_ref` are blocked either way."""
    return (Exists(Block.objects.filter(blocker_id=user_ref, blocked_id=OuterRef(author)))
            | Exists(Block.objects.filter(blocker_id=OuterRef(author), blocked_id=user_ref)))


def blocked_pair(user, other) -> bool:
    """Blocked either way, asked of the database now: a socket's member object lives for hours, so the
    per-request cache of members.access.blocked_ids must not decide whether a message may be written."""
    return Block.objects.filter(Q(blocker=user, blocked=other) | Q(blocker=other, blocked=user)).exists()


def _taking_part(user_id, conversation_ref):
    """Participations that let the member read now: an active account, and for a group's conversation a
    confirmed membership of the group (leaving the group ends the reading at once)."""
    in_group = Membership.objects.filter(group_id=OuterRef("conversation__group_id"), user_id=user_id,
                                         state=Membership.State.MEMBER)
    return (Participant.objects.filter(conversation_id=conversation_ref, user_id=user_id, user__state=State.ACTIVE)
            .filter(Q(conversation__group__isnull=True) | Exists(in_group)))


def _hidden_direct(user_id):
    """1:1 conversations the member does not see: the other person is blocked either way (a subquery)."""
    return (Participant.objects.filter(conversation_id=OuterRef("pk")).exclude(user_id=user_id)
            .filter(Exists(Block.objects.filter(blocker_id=user_id, blocked_id=OuterRef("user_id")))
                    | Exists(Block.objects.filter(blocker_id=OuterRef("user_id"), blocked_id=user_id))))


def conversations_of(user):
    """The member's conversations, newest activity first, with their own participation and unread count.
    One query (blocks as subqueries)."""
    if not (user.is_authenticated and user.is_member):
        return Conversation.objects.none()
    return _conversations(user.pk)


def _conversations(user_id):
    mine = _taking_part(user_id, OuterRef("pk"))
    unread = (Message.objects.filter(conversation_id=OuterRef("pk"), id__gt=OuterRef("my_last_read"),
                                     deleted_at__isnull=True, hidden=False)
              .exclude(author_id=user_id).exclude(_blocked_between(user_id))
              .values("conversation_id").annotate(n=Count("pk")).values("n"))
    # Start from the member's own participations (index participant_user), not from every conversation.
    return (Conversation.objects.filter(pk__in=Participant.objects.filter(user_id=user_id).values("conversation_id"))
            .filter(Exists(mine))
            .exclude(Q(kind=Conversation.Kind.DIRECT) & Exists(_hidden_direct(user_id)))
            .annotate(my_last_read=Subquery(mine.values("last_read_id")[:1]),
                      muted=Subquery(mine.values("muted")[:1]))
            .annotate(unread=Subquery(unread))
            .order_by(F("last_message_at").desc(nulls_last=True), "-pk"))


# The navigation asks on every page: its SQL is built once per process (compiled.py).
_unread_counts = Compiled(lambda user: _conversations(user).filter(muted=False).values_list("unread"), "user")


def unread_total(user) -> int:
    """Unread messages over the member's conversations that are not muted (the navigation's count)."""
    if not (user.is_authenticated and user.is_member):
        return 0
    return sum(n or 0 for (n,) in _unread_counts.rows(user=user.pk))


def access_conversation(user, pk):
    """(conversation, the member's participation), or 404: outsiders do not learn the conversation exists."""
    try:
        conversation = conversations_of(user).get(pk=pk)
    except (Conversation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return conversation, Participant.objects.get(conversation=conversation, user=user)


def is_participant(user_id, conversation_id) -> bool:
    return _taking_part(user_id, conversation_id).exists()


def readable_messages(user_id, conversation_id):
    """Messages of the conversation the member may read now: nothing unless they take part (active), and
    without those of members blocked either way. One query, whatever is asked of it."""
    return (Message.objects.filter(conversation_id=conversation_id).filter(Exists(_taking_part(user_id,
                                                                                              conversation_id)))
            .exclude(_blocked_between(user_id))
            .annotate(reply_hidden=_blocked_between(user_id, "reply_to__author_id"))
            .select_related("author", "reply_to", "reply_to__author"))


def messages_after(user_id, conversation_id, after, limit=CATCH_UP_BATCH):
    """What a client that has seen everything up to `after` is missing, oldest first."""
    return list(readable_messages(user_id, conversation_id).filter(id__gt=after).order_by("id")[:limit])


# What the socket needs to know of each new message to send it (the HTML comes from the render cache), the
# quoted message's state last: a changed quote is rendered again.
DELIVERY_COLUMNS = ("id", "author_id", "created_at", "edited_at", "deleted_at", "hidden", "author__state",
                    "reply_to_id", "reply_hidden", "reply_to__edited_at", "reply_to__deleted_at", "reply_to__hidden",
                    "reply_to__author__state")
_new_rows = Compiled(
    lambda user, conversation, after: readable_messages(user, conversation).filter(id__gt=after)
    .order_by("id").values_list(*DELIVERY_COLUMNS)[:CATCH_UP_BATCH], "user", "conversation", "after")
_taking_part_now = Compiled(lambda user, conversation: _taking_part(user, conversation).values("pk")[:1],
                            "user", "conversation")


def new_message_rows(user_id, conversation_id, after):
    """messages_after() as rows of DELIVERY_COLUMNS, for the socket (same rule, SQL built once)."""
    return new_message_read(user_id, conversation_id, after).rows()


def new_message_read(user_id, conversation_id, after):
    """new_message_rows() as a read that the socket process runs with the other sockets' (chat/reads.py)."""
    return _new_rows.bind(user=user_id, conversation=conversation_id, after=after)


def is_taking_part(user_id, conversation_id) -> bool:
    """is_participant() for the socket (same rule, SQL built once)."""
    return bool(taking_part_read(user_id, conversation_id).rows())


def taking_part_read(user_id, conversation_id):
    """is_taking_part() as a read run with the other sockets' (chat/reads.py): it finds a row or none."""
    return _taking_part_now.bind(user=user_id, conversation=conversation_id)


def _reachable_peers(user_id, conversation_id):
    """The other participants of a conversation who are active and not blocked either way with the member."""
    return (Participant.objects.filter(conversation_id=conversation_id, user__state=State.ACTIVE)
            .exclude(user_id=user_id)
            .exclude(Exists(Block.objects.filter(blocker_id=user_id, blocked_id=OuterRef("user_id"))))
            .exclude(Exists(Block.objects.filter(blocker_id=OuterRef("user_id"), blocked_id=user_id))))


def writable(user_id, conversation_id):
    """The conversation, if the member may write into it now: they take part, and in a 1:1 conversation the other
    person is active and not blocked either way. One query (the sender's lock takes it: actions.do_send_message)."""
    return (Conversation.objects.filter(pk=conversation_id).filter(Exists(_taking_part(user_id, conversation_id)))
            .filter(Q(kind=Conversation.Kind.GROUP) | Exists(_reachable_peers(user_id, conversation_id))))


_writable_now = Compiled(lambda user, conversation: writable(user, conversation).values("pk"), "user", "conversation")


def may_write(user_id, conversation_id) -> bool:
    """writable(), asked of the database now (a socket's member object lives for hours)."""
    return bool(_writable_now.rows(user=user_id, conversation=conversation_id))


def messages_before(user_id, conversation_id, before=None, limit=PAGE_SIZE):
    """One page of history, oldest first, ending just before `before` (the newest page without it), and
    whether older messages exist."""
    messages = readable_messages(user_id, conversation_id)
    if before:
        messages = messages.filter(id__lt=before)
    page = list(messages.order_by("-id")[:limit + 1])
    return page[:limit][::-1], len(page) > limit


def search_messages(user_id, conversation_id, q):
    """Messages whose text contains the words of `q` (folded like every Japanese search: width, kana,
    variants), newest first. A substring match, so one- and two-character words (林, 佐藤) are found."""
    words = [normalize(word) for word in (q or "").split()]
    messages = readable_messages(user_id, conversation_id).filter(deleted_at__isnull=True, hidden=False)
    for word in filter(None, words):
        messages = messages.filter(search_key__contains=word)
    return list(messages.order_by("-id")[:SEARCH_LIMIT]) if any(words) else []


def participants_of(viewer, conversation):
    """Who takes part, as the viewer may see them: active members, blocked ones left out, by reading."""
    return (Participant.objects.filter(conversation=conversation, user__state=State.ACTIVE)
            .exclude(user_id__in=blocked_ids(viewer)).select_related("user")
            .order_by("user__kana_key", "user__pk"))


def other_party(viewer, conversation):
    """The other person of a 1:1 conversation (None once they withdrew or were suspended)."""
    participant = (Participant.objects.filter(conversation=conversation).exclude(user=viewer)
                   .select_related("user").first())
    return participant.user if participant and participant.user.state == State.ACTIVE else None


def direct_partners(viewer, conversations):
    """{conversation_id: other member} for the 1:1 conversations in the list (one query)."""
    ids = [c.pk for c in conversations if c.is_direct]
    rows = (Participant.objects.filter(conversation_id__in=ids).exclude(user=viewer).select_related("user"))
    return {row.conversation_id: row.user for row in rows}


def is_conversation_admin(user, conversation) -> bool:
    """Whoever created a group conversation or was made its administrator; HR and moderators too."""
    if conversation.is_direct:
        return False
    return user.is_moderator or Participant.objects.filter(
        conversation=conversation, user=user, role=Participant.Role.ADMIN).exists()


def starters_of(user) -> str:
    found = ChatSettings.objects.filter(user=user).values_list("starters", flat=True).first()
    return found or ChatSettings.Starters.ANYONE


def have_talked(user, other) -> bool:
    """They take part in a conversation together in which one of them has written."""
    shared = Participant.objects.filter(user=other).values("conversation_id")
    return (Participant.objects.filter(user=user, conversation_id__in=shared)
            .filter(Exists(Message.objects.filter(conversation_id=OuterRef("conversation_id"),
                                                  author__in=[user, other])))
            .exists())


def may_contact(user, other) -> bool:
    """Whether `user` may start a conversation with `other` or add them to one (their own choice decides)."""
    if other.pk == user.pk or other.state != State.ACTIVE or blocked_pair(user, other):
        return False
    starters = starters_of(other)
    if starters == ChatSettings.Starters.NOBODY:
        return False
    return starters == ChatSettings.Starters.ANYONE or have_talked(user, other)


def direct_conversation(user, other):
    """The existing 1:1 conversation of the two, or None."""
    return Conversation.objects.filter(direct_key=direct_key(user, other)).first()


def direct_key(user, other):
    low, high = sorted((user.pk, other.pk))
    return f"{low}:{high}"


def contact_candidates(user, q, limit=20):
    """Active members matching `q` by name or reading whom `user` could add, blocks left out both ways and,
    as in the directory, members hidden from it. Only names are matched: what a member sees next to every
    message anyway."""
    key = normalize(q)
    if not key:
        return []
    found = (User.objects.filter(state=State.ACTIVE).filter(Q(name_key__contains=key) | Q(kana_key__contains=key))
             .exclude(pk=user.pk).exclude(pk__in=blocked_ids(user)).exclude(profile__hidden=True)
             .order_by("kana_key", "pk")[:limit * 3])
    return [member for member in found if may_contact(user, member)][:limit]


# --- Conversations tied to an event ------------------------------------------------------------------------

def may_join_event_conversation(user, event) -> bool:
    """Hosts, staff and members with a confirmed seat."""
    if event_access.may_manage(user, event):
        return True
    registration = event_access.own_registration(user, event)
    return registration is not None and registration.status == registration.Status.CONFIRMED


def group_conversation(group):
    return Conversation.objects.filter(group=group).first()


def event_conversation(event):
    return Conversation.objects.filter(event=event).first()


def access_attachment(user, message_pk):
    """A message with an attachment the member may read, or 404."""
    message = Message.objects.filter(pk=message_pk).exclude(attachment="").only("conversation_id").first()
    if message is None:
        raise Http404
    found = readable_messages(user.pk, message.conversation_id).filter(
        pk=message_pk, deleted_at__isnull=True, hidden=False).first()
    if found is None:
        raise Http404
    return found


def contactable_ids(viewer, member_ids) -> set:
    """Which of `member_ids` the viewer may message ("メッセージを送る" in the directory): two queries for a page."""
    member_ids = set(member_ids) - {viewer.pk} - blocked_ids(viewer)
    if not member_ids:
        return set()
    starters = dict(ChatSettings.objects.filter(user_id__in=member_ids).values_list("user_id", "starters"))
    existing = set(Participant.objects.filter(
        user_id__in=member_ids, conversation__direct_key__isnull=False,
        conversation__participants__user=viewer).values_list("user_id", flat=True))
    talked = set()
    if any(value == ChatSettings.Starters.TALKED for value in starters.values()):
        shared = Participant.objects.filter(user=viewer).values("conversation_id")
        talked = set(Participant.objects.filter(user_id__in=member_ids, conversation_id__in=shared)
                     .values_list("user_id", flat=True))
    allowed = set()
    for pk in member_ids:
        choice = starters.get(pk, ChatSettings.Starters.ANYONE)
        if pk in existing or choice == ChatSettings.Starters.ANYONE or (
                choice == ChatSettings.Starters.TALKED and pk in talked):
            allowed.add(pk)
    return allowed
