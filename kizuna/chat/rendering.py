"""Messages as HTML, the same for the page, the polling endpoint and the socket.

A socket process renders a message of a group once per language and viewpoint, not once per recipient:
the HTML is kept by (message version, language, own message, reply visible) in a small in-process cache.
A reply's HTML quotes another message, so the quoted message's own state (edited, deleted, hidden, its author
withdrawn) is part of the key too: a quote never outlives what its author took back.
"""

from collections import OrderedDict

from django.template.loader import render_to_string
from django.utils import translation

CACHE_SIZE = 5000
_cache = OrderedDict()


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


def rendered_rows(rows, *, viewer_id, language):
    """rendered() from access.new_message_rows(): the model is loaded only for messages this process has not
    rendered yet in this form (the first recipient of a group message pays for the others)."""
    from .models import Message

    keys = []
    for pk, author_id, _created, edited, deleted, hidden, state, reply_to_id, reply_hidden, *quoted in rows:
        reply_shown = reply_to_id is not None and not reply_hidden
        keys.append((pk, ("row", pk, edited, deleted, bool(hidden), state, language, author_id == viewer_id,
                          reply_shown, tuple(quoted) if reply_shown else None), reply_hidden))
    found = {key: _cache.get(key) for _pk, key, _hidden in keys}  # taken now: rendering below may evict
    missing = [pk for pk, key, _hidden in keys if found[key] is None]
    loaded = Message.objects.select_related("author", "reply_to", "reply_to__author").in_bulk(missing)
    result = []
    for pk, key, reply_hidden in keys:
        html = found[key]
        if html is None:
            message = loaded[pk]
            message.reply_hidden = bool(reply_hidden)
            with translation.override(language):
                html = render_to_string("chat/message.html", {"m": message, "mine": key[7], "reply_shown": key[8]})
            _cache[key] = html
            if len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        result.append({"id": pk, "html": html})
    return result
