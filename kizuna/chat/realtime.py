"""Telling a conversation's open sockets that something changed, through the channel layer, after commit.

The notice names what changed: each socket reads from the database what its member may see (consumers.py). A
notice that crosses processes (Redis) also carries a new message's content, so that a process renders it without
loading it again; the socket's own read still decides whether and how its member sees it (rendering.take).
A notice that is lost costs nothing but speed: the client catches up on its next notice, reconnect or poll.
In the default mode the layer lives in memory and reaches the sockets of this process only; with REDIS_URL
every ASGI process shares it.
"""

import asyncio
import contextvars
import logging

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)
# Set by a socket consumer around its database calls (contextvars follow them onto the database thread):
# the notice is then handed to the consumer's event loop without waiting for it.
socket_loop = contextvars.ContextVar("chat_socket_loop", default=None)


def group_name(conversation_id):
    return f"chat.{conversation_id}"


def _deliver(conversation_id, event):
    layer = get_channel_layer()
    if layer is None:
        return
    group = group_name(conversation_id)
    loop = socket_loop.get()
    if loop is not None and not loop.is_closed():
        asyncio.run_coroutine_threadsafe(layer.group_send(group, event), loop)
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: a synchronous view, task or consumer helper thread
        try:
            async_to_sync(layer.group_send)(group, event)
        except Exception:  # the message is committed; clients catch up on the next notice or poll
            logger.exception("Could not notify conversation %s", conversation_id)
    else:  # called on a thread that runs an event loop: schedule it there
        asyncio.ensure_future(layer.group_send(group, event))


def _after_commit(conversation_id, event):
    transaction.on_commit(lambda: _deliver(conversation_id, event))


def message_added(message):
    """A message was written (author and quoted message loaded): this process's sockets render it from this
    object, and the other processes' from what the notice carries."""
    from . import rendering

    event = {"type": "chat.added", "id": message.pk}
    if not isinstance(get_channel_layer(), InMemoryChannelLayer | None):
        event["message"] = rendering.carried(message)

    def committed():
        rendering.remember(message)
        _deliver(message.conversation_id, event)

    transaction.on_commit(committed)


def message_changed(conversation_id, message_id):
    _after_commit(conversation_id, {"type": "chat.changed", "id": message_id})


def members_changed(conversation_id):
    """Someone joined, left or was removed: every socket checks again whether its member still takes part."""
    _after_commit(conversation_id, {"type": "chat.members"})
