"""Messages as HTML, the same for the page, the polling endpoint and the socket.

A socket process renders a message of a group once per language and viewpoint, not once per recipient:
the HTML is kept by (message version, language, own message, reply visible) in a small in-process cache.
"""

from collections import OrderedDict

from django.template.loader import render_to_string
from django.utils import translation

CACHE_SIZE = 5000
MESSAGES_SIZE = 1000
_cache = OrderedDict()
_messages = OrderedDict()  # (id, edited_at, deleted_at, hidden, author state) → the Message, ready to render


def render_message(message, *, viewer_id, language):
    mine = message.author_id == viewer_id
    # `reply_hidden` is annotated by access.readable_messages: the quoted author is blocked either way.
    reply_shown = message.reply_to_id is not None and not getattr(message, "reply_hidden", False)
    key = (message.version, message.author.state, language, mine, reply_shown)
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


def remember(message):
    """A message this process has just written (author and quoted message loaded): its recipients' sockets here
    render it from this object instead of loading it again."""
    _keep(_messages, (message.pk, message.edited_at, message.deleted_at, message.hidden, message.author.state),
          message, MESSAGES_SIZE)


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
    for pk, author_id, _created, edited, deleted, hidden, state, reply_to_id, reply_hidden in rows:
        reply_shown = reply_to_id is not None and not reply_hidden
        keys.append((pk, (pk, edited, deleted, bool(hidden), state),
                     ("row", pk, edited, deleted, bool(hidden), state, language, author_id == viewer_id, reply_shown)))
    found = {key: _cache.get(key) for _pk, _version, key in keys}  # taken now: rendering below may evict
    objects = {version: _messages.get(version) for _pk, version, key in keys if found[key] is None}
    missing = [version for version, message in objects.items() if message is None]
    if missing:
        loaded = Message.objects.select_related("author", "reply_to", "reply_to__author").in_bulk(
            [version[0] for version in missing])
        for version in missing:
            objects[version] = loaded[version[0]]
            _keep(_messages, version, objects[version], MESSAGES_SIZE)
    result = []
    for pk, version, key in keys:
        html = found[key]
        if html is None:
            with translation.override(language):
                html = render_to_string("chat/message.html", {"m": objects[version], "mine": key[7],
                                                              "reply_shown": key[8]})
            _keep(_cache, key, html, CACHE_SIZE)
        result.append({"id": pk, "html": html})
    return result
