"""Messages as HTML, the same for the page, the polling endpoint and the socket.

A socket process renders a message of a group once per language and viewpoint, not once per recipient:
the HTML is kept by (message version, language, own message, reply visible) in a small in-process cache.
A reply's HTML quotes another message, so the quoted message's own state (edited, deleted, hidden, its author
withdrawn) is part of the key too: a quote never outlives what its author took back.
"""

from collections import OrderedDict
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import translation

CACHE_SIZE = 5000
MESSAGES_SIZE = 1000
_cache = OrderedDict()
# _shown_state() of a message → the Message (author and quoted message loaded), ready to render.
_messages = OrderedDict()


def render_message(message, *, viewer_id, language):
    mine = message.author_id == viewer_id
    # `reply_hidden` is annotated by access.readable_messages: the quoted author is blocked either way.
    reply_shown = message.reply_to_id is not None and not getattr(message, "reply_hidden", False)
    quoted = (message.reply_to.version, message.reply_to.author.state) if reply_shown else None
    key = (message.version, message.author.state, language, mine, quoted)
    html = _cache.get(key)
    if html is None:
        with translation.override(language):
            html = render_to_string("chat/message.html", {"m": message, "mine": mine, "reply_shown": reply_shown})
        _cache[key] = html
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(key)
    return html


def rendered(messages, *, viewer_id, language):
    """[{"id", "html"}] for the client, oldest first."""
    return [{"id": m.pk, "html": render_message(m, viewer_id=viewer_id, language=language)} for m in messages]


def _shown_state(pk, edited, deleted, hidden, state, quoted):
    """What a message shows depends on: its own state and its quoted message's (edited, deleted, hidden, the
    author's state; all None without a quote), as access.DELIVERY_COLUMNS gives them."""
    quoted_edited, quoted_deleted, quoted_hidden, quoted_state = quoted
    return (pk, edited, deleted, bool(hidden), state, quoted_edited, quoted_deleted,
            None if quoted_hidden is None else bool(quoted_hidden), quoted_state)


def remember(message):
    """A message this process has just written (author and quoted message loaded; realtime.message_added): its
    recipients' sockets here render it from this object instead of loading it again."""
    _keep(_messages, _shown_of(message), message, MESSAGES_SIZE)


def _shown_of(message):
    quoted = message.reply_to
    state = (quoted.edited_at, quoted.deleted_at, quoted.hidden, quoted.author.state) if quoted else (None,) * 4
    return _shown_state(message.pk, message.edited_at, message.deleted_at, message.hidden, message.author.state,
                        state)


# What a notice carries of a new message for the other socket processes (scaled out with Redis): enough to render
# it, so that none of them loads it again. Plain values only (the layer serialises with msgpack).
_CARRIED = ("id", "conversation_id", "text", "reply_to_id", "attachment_kind", "attachment_name", "attachment_size",
            "created_at", "edited_at", "deleted_at", "hidden")
_CARRIED_AUTHOR = ("id", "name", "state")
_DATES = {"created_at", "edited_at", "deleted_at"}


def carried(message):
    """A message this process has just written (author and quoted message loaded), as a notice carries it."""
    def values(obj, names):
        return [value.isoformat() if isinstance(value, datetime) else value
                for value in (getattr(obj, name) for name in names)]

    quoted = message.reply_to
    return {"message": values(message, _CARRIED), "author": values(message.author, _CARRIED_AUTHOR),
            "quoted": values(quoted, _CARRIED) if quoted else None,
            "quoted_author": values(quoted.author, _CARRIED_AUTHOR) if quoted else None}


def take(notice):
    """remember() a message another process wrote, from what its notice carries. Only a cache: each socket still
    reads from the database which messages its member may see, and in which state; a message is rendered from
    this copy only when that state is the one carried here."""
    from kizuna.members.models import User

    from .models import Message

    def build(model, names, values):
        fields = dict(zip(names, values, strict=True))
        for name in _DATES & fields.keys():
            fields[name] = fields[name] and datetime.fromisoformat(fields[name])
        return model(**fields)

    message = build(Message, _CARRIED, notice["message"])
    message.author = build(User, _CARRIED_AUTHOR, notice["author"])
    if notice["quoted"]:
        message.reply_to = build(Message, _CARRIED, notice["quoted"])
        message.reply_to.author = build(User, _CARRIED_AUTHOR, notice["quoted_author"])
    shown = _shown_of(message)
    if shown not in _messages:  # each socket of this process hands it over: the first one keeps it
        _keep(_messages, shown, message, MESSAGES_SIZE)


def clear():
    """Forget every message and HTML kept (tests: a fresh database gives ids out from 1 again)."""
    _cache.clear()
    _messages.clear()


def _keep(cache, key, value, size):
    cache[key] = value
    if len(cache) > size:
        cache.popitem(last=False)


def rendered_rows(rows, *, viewer_id, language):
    """rendered() from access.new_message_rows(): a message is loaded (once per version for all viewpoints) only
    when this process has not rendered it in this form yet (the first recipient of a group message pays for the
    others)."""
    from .models import Message

    keys = []
    for pk, author_id, _created, edited, deleted, hidden, state, reply_to_id, reply_hidden, *quoted in rows:
        shown = _shown_state(pk, edited, deleted, hidden, state, quoted)
        mine, reply_shown = author_id == viewer_id, reply_to_id is not None and not reply_hidden
        keys.append((pk, shown, mine, reply_shown, ("row", shown, language, mine, reply_shown)))
    found = {key: _cache.get(key) for *_rest, key in keys}  # taken now: rendering below may evict
    objects = {shown: _messages.get(shown) for _pk, shown, _mine, _reply, key in keys if found[key] is None}
    missing = [shown for shown, message in objects.items() if message is None]
    if missing:
        loaded = Message.objects.select_related("author", "reply_to", "reply_to__author").in_bulk(
            [shown[0] for shown in missing])
        for shown in missing:
            objects[shown] = loaded[shown[0]]
            _keep(_messages, shown, objects[shown], MESSAGES_SIZE)
    result = []
    for pk, shown, mine, reply_shown, key in keys:
        html = found[key]
        if html is None:
            with translation.override(language):
                html = render_to_string("chat/message.html", {"m": objects[shown], "mine": mine,
                                                              "reply_shown": reply_shown})
            _keep(_cache, key, html, CACHE_SIZE)
        result.append({"id": pk, "html": html})
    return result
