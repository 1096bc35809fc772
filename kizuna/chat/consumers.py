"""The conversation socket: /ws/chat/<conversation id>/?after=<last seen id>&lang=<ja|en>.

The socket only notifies; the database decides. Every event is authorised again, not only the connection:
new messages are read through access.readable_messages (which joins the member's participation), a change of
members makes each socket check whether its member still takes part, and messages sent over the socket go
through actions like any other write. A member removed from the conversation receives nothing after the
removal, and their socket is closed.

Each socket keeps a cursor (the newest id it has sent). A notice only wakes it up: it then sends everything
after the cursor, oldest first. So messages arrive once and in order, whether notices are late, repeated
or lost, and a client that reconnects with ?after=<its last id> gets exactly what it missed.
"""

import asyncio
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import access, actions, reads, realtime, rendering
from .models import Conversation, Message
from .reads import database_sync_to_async

CLOSE_FORBIDDEN = 4403
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _error_text(error):
    return " ".join(str(message) for message in error.messages)


class ConversationConsumer(AsyncJsonWebsocketConsumer):
    async def dispatch(self, message):
        """Channels' dispatch without its extra trip to the database thread before every event (to close stale
        connections): each database call here does that itself, and the trip cost as much as the read."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        realtime.socket_loop.set(asyncio.get_running_loop())
        self.user = self.scope.get("user")
        self.conversation_id = self.scope["url_route"]["kwargs"]["pk"]
        self.conversation = None
        query = parse_qs(self.scope.get("query_string", b"").decode())
        self.language = (query.get("lang") or [settings.LANGUAGE_CODE])[0]
        if self.language not in LANGUAGES:
            self.language = settings.LANGUAGE_CODE
        try:
            self.cursor = max(int((query.get("after") or ["0"])[0]), 0)
        except ValueError:
            self.cursor = 0
        self.group = realtime.group_name(self.conversation_id)
        if not (self.user and self.user.is_authenticated and await self._taking_part()):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send_new()  # whatever was written while this client was away

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    # --- From the client -----------------------------------------------------------------------------

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "send":
            await self._receive_message(content)
        elif kind == "read":
            await reads.write(self.conversation_id, actions.do_mark_read, self.user, self.conversation_id,
                              content.get("id"))
        elif kind == "sync":
            await self._send_new()

    async def _receive_message(self, content):
        client_id = str(content.get("client_id", ""))[:64]
        try:
            message = await reads.write(self.conversation_id, self._write, str(content.get("text", "")),
                                        content.get("reply_to"))
        except ValidationError as error:
            await self.send_json({"type": "error", "client_id": client_id, "message": _error_text(error)})
            return
        await self.send_json({"type": "ack", "client_id": client_id, "id": message.pk})

    def _write(self, text, reply_to_id):
        if self.conversation is None:  # loaded once: its kind never changes, and actions check the rest each time
            try:
                self.conversation = Conversation.objects.get(pk=self.conversation_id)
            except Conversation.DoesNotExist:
                raise ValidationError(_("You no longer take part in this conversation.")) from None
        reply_to = None
        if reply_to_id:
            reply_to = access.readable_messages(self.user.pk, self.conversation_id).filter(pk=reply_to_id).first()
        return actions.do_send_message(self.user, self.conversation, text, reply_to=reply_to)

    # --- From the channel layer (each one authorised again) -----------------------------------------------

    async def chat_added(self, event):
        if "message" in event:
            rendering.take(event["message"])
        if event["id"] > self.cursor:
            await self._send_new()

    async def chat_changed(self, event):
        if event["id"] > self.cursor:
            return  # not sent yet: it goes out as it is now with the next new message
        found = await self._changed(event["id"])
        if found is not None:
            await self.send_json({"type": "changed", "id": event["id"], "html": found})

    async def chat_members(self, event):
        if not await reads.run(bool, rows=access.taking_part_read(self.user.pk, self.conversation_id)):
            await self._removed()

    async def _send_new(self):
        while True:
            messages = await reads.run(self._rendered,
                                       rows=access.new_message_read(self.user.pk, self.conversation_id, self.cursor))
            if messages is None:
                await self._removed()
                return
            if messages:
                self.cursor = messages[-1]["id"]
                await self.send_json({"type": "messages", "messages": messages})
            if len(messages) < access.CATCH_UP_BATCH:
                return

    async def _removed(self):
        await self.send_json({"type": "removed"})
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.close(code=CLOSE_FORBIDDEN)

    @database_sync_to_async
    def _taking_part(self):
        return access.is_taking_part(self.user.pk, self.conversation_id)

    def _rendered(self, rows):
        """The messages after the cursor (access.new_message_read), rendered; None once the member no longer takes
        part."""
        if not rows and not access.is_taking_part(self.user.pk, self.conversation_id):
            return None
        return rendering.rendered_rows(rows, viewer_id=self.user.pk, language=self.language)

    @database_sync_to_async
    def _changed(self, message_id):
        try:
            message = access.readable_messages(self.user.pk, self.conversation_id).get(pk=message_id)
        except Message.DoesNotExist:
            return None
        return rendering.render_message(message, viewer_id=self.user.pk, language=self.language)
