"""Messages as HTML, the same for the page, the polling endpoint and the socket.

A socket process renders a message of a group once per language, not once per recipient: the HTML is kept by
(message version, language, reply visible) in an in-process cache, and the author's copy differs only by a class.
A reply's HTML quotes another message, so the quoted message's own state (edited, deleted, hidden, its author
withdrawn) is part of the key too: a quote never outlives what its author took back.
"""

import threading
from collections import OrderedDict
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from .compiled import Compiled

# Large enough to outlast a burst (10,000 messages is 50 s at 200 a second): a busy process reaches its last
# socket seconds after a message was written, and each message evicted before then is loaded again.
CACHE_SIZE = 20_000
MESSAGES_SIZE = 10_000
_cache = OrderedDict()
# _shown_state() of a message → what it is rendered from (_PARTS), as tuples of plain values: the collector
# leaves those alone, where thousands of kept model instances made each of its full passes longer.
_messages = OrderedDict()
_keeping = threading.Lock()


def render_message(message, *, viewer_id, language):
    # `reply_hidden` is annotated by access.readable_messages: the quoted author is blocked either way.
    reply_shown = message.reply_to_id is not None and not getattr(message, "reply_hidden", False)
    quoted = (message.reply_to.version, message.reply_to.author.state) if reply_shown else None
    key = (message.version, message.author.state, language, quoted)
    html = _cache.get(key)
    if html is None:
        html = _render(message, language, reply_shown)
        _keep(_cache, key, html, CACHE_SIZE)
    return _seen_by(html, mine=message.author_id == viewer_id)


def _render(message, language, reply_shown):
    with translation.override(language):
        return render_to_string("chat/message.html", {"m": message, "reply_shown": reply_shown})


_ARTICLE = '<article class="chat-message"'


def _seen_by(html, *, mine):
    """A message's HTML is the same for every reader; its author's copy has the class "mine", which shows the
    author's own labels and actions instead of the others' (chat.css)."""
    return mark_safe(html.replace(_ARTICLE, _ARTICLE[:-1] + ' mine"', 1)) if mine else html  # noqa: S308 (ours)


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
    recipients' sockets here render it from its values instead of loading it again."""
    values = _values_of(message)
    _keep(_messages, _shown_of(values), values, MESSAGES_SIZE)


# What a message is rendered from, as plain values: the message, its author, the quoted message and its author
# (None without a quote). A notice carries them to the other socket processes (scaled out with Redis; the layer
# serialises with msgpack), so that none of them loads the message again; a process that must load it reads
# the same values (_loading).
_FIELDS = ("id", "conversation_id", "text", "reply_to_id", "attachment_kind", "attachment_name", "attachment_size",
           "created_at", "edited_at", "deleted_at", "hidden")
_AUTHOR_FIELDS = ("id", "name", "state")
_PARTS = ((_FIELDS, ""), (_AUTHOR_FIELDS, "author__"), (_FIELDS, "reply_to__"), (_AUTHOR_FIELDS, "reply_to__author__"))
_DATES = {_FIELDS.index(name) for name in ("created_at", "edited_at", "deleted_at")}
_EDITED, _DELETED, _HIDDEN, _STATE = (_FIELDS.index("edited_at"), _FIELDS.index("deleted_at"),
                                      _FIELDS.index("hidden"), _AUTHOR_FIELDS.index("state"))


def _values_of(message):
    quoted = message.reply_to
    objects = (message, message.author, quoted, quoted and quoted.author)
    return tuple(None if obj is None else tuple(getattr(obj, name) for name in names)
                 for obj, (names, _prefix) in zip(objects, _PARTS, strict=True))


def _shown_of(values):
    message, author, quoted, quoted_author = values
    quoted_state = ((quoted[_EDITED], quoted[_DELETED], quoted[_HIDDEN], quoted_author[_STATE]) if quoted
                    else (None,) * 4)
    return _shown_state(message[0], message[_EDITED], message[_DELETED], message[_HIDDEN], author[_STATE],
                        quoted_state)


def _built(values):
    from kizuna.members.models import User

    from .models import Message

    message, author, quoted, quoted_author = values
    built = Message(**dict(zip(_FIELDS, message, strict=True)))
    built.author = User(**dict(zip(_AUTHOR_FIELDS, author, strict=True)))
    if quoted:
        built.reply_to = Message(**dict(zip(_FIELDS, quoted, strict=True)))
        built.reply_to.author = User(**dict(zip(_AUTHOR_FIELDS, quoted_author, strict=True)))
    return built


def carried(message):
    """A message this process has just written (author and quoted message loaded), as a notice carries it."""
    return [part and [value.isoformat() if isinstance(value, datetime) else value for value in part]
            for part in _values_of(message)]


def take(notice):
    """remember() a message another process wrote, from what its notice carries. Only a cache: each socket still
    reads from the database which messages its member may see, and in which state; a message is rendered from
    this copy only when that state is the one carried here."""
    message, author, quoted, quoted_author = notice
    values = (_dated(message), tuple(author), quoted and _dated(quoted), quoted_author and tuple(quoted_author))
    shown = _shown_of(values)
    if shown not in _messages:  # each socket of this process hands it over: the first one keeps it
        _keep(_messages, shown, values, MESSAGES_SIZE)


def _dated(part):
    return tuple(datetime.fromisoformat(value) if index in _DATES and value else value
                 for index, value in enumerate(part))


def _loading_query(message):
    from .models import Message

    return Message.objects.filter(pk=message).values_list(*(prefix + name for names, prefix in _PARTS
                                                            for name in names))


_loading = Compiled(_loading_query, "message")


def _split(row):
    values, start = [], 0
    for names, _prefix in _PARTS:
        values.append(tuple(row[start:start + len(names)]))
        start += len(names)
    if values[2][0] is None:  # no quote
        values[2] = values[3] = None
    return tuple(values)


def clear():
    """Forget every message and HTML kept (tests: a fresh database gives ids out from 1 again)."""
    _cache.clear()
    _messages.clear()


def _keep(cache, key, value, size):
    with _keeping:  # pages, the socket's database thread and its write threads (on commit) keep things here
        cache[key] = value
        while len(cache) > size:
            cache.popitem(last=False)


def rendered_rows(rows, *, viewer_id, language):
    """rendered() from access.new_message_rows(): a message is loaded (once per version for all viewpoints) only
    when this process has not rendered it in this form yet (the first recipient of a group message pays for the
    others)."""
    keys = []
    for pk, author_id, _created, edited, deleted, hidden, state, reply_to_id, reply_hidden, *quoted in rows:
        shown = _shown_state(pk, edited, deleted, hidden, state, quoted)
        mine, reply_shown = author_id == viewer_id, reply_to_id is not None and not reply_hidden
        keys.append((pk, shown, mine, reply_shown, ("row", shown, language, reply_shown)))
    found = {key: _cache.get(key) for *_rest, key in keys}  # taken now: rendering below may evict
    values = {shown: _messages.get(shown) for _pk, shown, _mine, _reply, key in keys if found[key] is None}
    missing = [shown for shown, message in values.items() if message is None]
    if missing:  # read together: one statement on PostgreSQL (compiled.Compiled.rows_each)
        for shown, [row] in zip(missing, _loading.rows_each([{"message": shown[0]} for shown in missing]),
                                strict=True):
            values[shown] = _split(row)
            _keep(_messages, shown, values[shown], MESSAGES_SIZE)
    result = []
    for pk, shown, mine, reply_shown, key in keys:
        html = found[key]
        if html is None:
            html = found[key] = _render(_built(values[shown]), language, reply_shown)
            _keep(_cache, key, html, CACHE_SIZE)
        result.append({"id": pk, "html": _seen_by(html, mine=mine)})
    return result
