"""The conversation socket with channels' WebsocketCommunicator, on the in-memory layer and (when REDIS_URL is
set) on Redis: real time, authorisation on every event, reconnect catch-up."""

import os

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import channel_layers, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.test import Client

from kizuna.asgi import application
from kizuna.chat import actions
from kizuna.chat.models import Message
from kizuna.members import actions as member_actions
from tests.factories import MemberFactory

from .helpers import direct, group, say

pytestmark = pytest.mark.django_db(transaction=True)

LAYERS = {"memory": {"BACKEND": "kizuna.chat.layers.InMemoryChannelLayer"}}
if django_settings.REDIS_URL:
    LAYERS["redis"] = {  # the layer of the scaled-out mode
        "BACKEND": django_settings.CHANNEL_LAYERS["default"]["BACKEND"],
        "CONFIG": {"hosts": [django_settings.REDIS_URL], "prefix": "kizuna-chat-test"},
    }


@pytest.fixture(params=list(LAYERS), autouse=True)
def layer(request, settings):
    settings.CHANNEL_LAYERS = {"default": LAYERS[request.param]}
    channel_layers.backends = {}
    yield request.param
    async_to_sync(get_channel_layer().flush)()
    channel_layers.backends = {}


def cookie_of(user):
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def socket(user, conversation, after=0, origin=b"http://localhost"):
    """A communicator for the member's browser (the session is made here, outside the event loop)."""
    headers = [(b"host", b"localhost"), (b"cookie", f"sessionid={cookie_of(user)}".encode())]
    if origin:
        headers.append((b"origin", origin))
    return WebsocketCommunicator(application, f"/ws/chat/{conversation.pk}/?after={after}&lang=ja", headers)


async def texts(communicator, timeout=10):
    data = await communicator.receive_json_from(timeout=timeout)
    assert data["type"] == "messages", data
    return [m["html"] for m in data["messages"]]


def run(scenario):
    async_to_sync(scenario)()


def test_two_members_talk_in_real_time():
    sato, suzuki = MemberFactory(name="佐藤 花子"), MemberFactory(name="鈴木 一郎")
    conversation = direct(sato, suzuki)
    a, b = socket(sato, conversation), socket(suzuki, conversation)

    async def scenario():
        assert (await a.connect())[0] and (await b.connect())[0]
        await a.send_json_to({"type": "send", "text": "お久しぶりです！**元気**ですか", "client_id": "1"})
        assert (await a.receive_json_from(timeout=10))["type"] == "ack"
        [html] = await texts(b)
        assert "<strong>元気</strong>" in html and "佐藤 花子" in html
        [own] = await texts(a)
        assert "mine" in own
        await a.disconnect()
        await b.disconnect()

    run(scenario)


def test_a_removed_member_stops_receiving_at_once():
    owner, stays, removed = MemberFactory(), MemberFactory(), MemberFactory()
    room = group(owner, stays, removed)
    kept, gone, again = socket(stays, room), socket(removed, room), socket(removed, room)

    async def scenario():
        await kept.connect()
        await gone.connect()
        await database_sync_to_async(actions.do_remove_participant)(owner, room, removed)
        assert (await gone.receive_json_from(timeout=10)) == {"type": "removed"}
        assert (await gone.receive_output(timeout=10))["type"] == "websocket.close"
        await database_sync_to_async(say)(owner, room, "ここからは内緒の話です")
        [html] = await texts(kept)
        assert "内緒" in html
        # Nothing reached the removed member, and they cannot come back in.
        connected, code = await again.connect()
        assert not connected and code == 4403
        await kept.disconnect()

    run(scenario)


def test_authorisation_is_checked_on_each_event_even_if_the_removal_notice_is_missed():
    owner, removed = MemberFactory(), MemberFactory()
    room = group(owner, removed)
    gone = socket(removed, room)

    async def scenario():
        await gone.connect()
        # Removed without any notice reaching the socket (as if lost): the next message is still not sent.
        await database_sync_to_async(lambda: room.participants.filter(user=removed).delete())()
        await database_sync_to_async(say)(owner, room, "見えてはいけない")
        assert (await gone.receive_json_from(timeout=10)) == {"type": "removed"}
        await gone.send_json_to({"type": "send", "text": "まだ書けますか", "client_id": "x"})
        assert (await gone.receive_output(timeout=10))["type"] == "websocket.close"

    run(scenario)


def test_an_open_page_loses_a_quote_when_the_quoted_message_is_deleted():
    sato, suzuki = MemberFactory(), MemberFactory()
    conversation = direct(sato, suzuki)
    quoted = say(sato, conversation, "口座番号は 1234567 です")
    reply = say(suzuki, conversation, "了解です", reply_to=quoted)
    page = socket(suzuki, conversation, after=reply.pk)

    async def scenario():
        await page.connect()
        await database_sync_to_async(actions.do_delete_message)(sato, quoted)
        changed = {}
        for _ in range(2):
            data = await page.receive_json_from(timeout=10)
            assert data["type"] == "changed", data
            changed[data["id"]] = data["html"]
        assert set(changed) == {quoted.pk, reply.pk}
        assert "1234567" not in changed[reply.pk] and "了解です" in changed[reply.pk]
        await page.disconnect()

    run(scenario)


def test_sockets_woken_together_each_get_what_their_member_may_read():
    """One notice wakes every member's socket and their reads go to the database together: each still gets
    only what its own member may read (a block, a removal without notice), and the quote follows the block."""
    owner, friend, blocker, removed = (MemberFactory(name="幹事 太郎"), MemberFactory(name="友人 花子"),
                                       MemberFactory(), MemberFactory())
    room = group(owner, friend, blocker, removed)
    member_actions.do_block(blocker, owner)
    writer, reader, blocking, gone = (socket(owner, room), socket(friend, room), socket(blocker, room),
                                      socket(removed, room))

    async def scenario():
        for communicator in (writer, reader, blocking, gone):
            assert (await communicator.connect())[0]
        # Removed without a notice reaching the sockets (as if lost).
        await database_sync_to_async(lambda: room.participants.filter(user=removed).delete())()
        await writer.send_json_to({"type": "send", "text": "幹事からのお知らせ", "client_id": "1"})
        ack = await writer.receive_json_from(timeout=10)
        assert ack["type"] == "ack"
        [own] = await texts(writer)
        [seen] = await texts(reader)
        assert "幹事からのお知らせ" in own and "幹事からのお知らせ" in seen
        assert (await gone.receive_json_from(timeout=10)) == {"type": "removed"}
        assert await blocking.receive_nothing(timeout=0.5)  # the blocked member's words are left out
        # A reply quoting the blocked member: the text reaches both, the quote only the one who did not block.
        await reader.send_json_to({"type": "send", "text": "了解です", "client_id": "2", "reply_to": ack["id"]})
        assert (await reader.receive_json_from(timeout=10))["type"] == "ack"
        [quoting] = await texts(reader)
        [unquoted] = await texts(blocking)
        assert "chat-quote" in quoting and "幹事からのお知らせ" in quoting
        assert "了解です" in unquoted and "chat-quote" not in unquoted and "幹事" not in unquoted
        for communicator in (writer, reader, blocking):
            await communicator.disconnect()

    run(scenario)


def test_an_edited_message_reaches_later_readers_as_edited():
    """The process keeps the message its socket just wrote, to render it for the others: a reader who comes
    later, after an edit, gets the edited text."""
    sato, suzuki = MemberFactory(), MemberFactory()
    conversation = direct(sato, suzuki)
    writer, listening, later = socket(sato, conversation), socket(suzuki, conversation), socket(suzuki, conversation)

    async def scenario():
        await writer.connect()
        await listening.connect()
        await writer.send_json_to({"type": "send", "text": "最初の文面", "client_id": "1"})
        ack = await writer.receive_json_from(timeout=10)
        [first] = await texts(listening)
        assert "最初の文面" in first
        message = await database_sync_to_async(Message.objects.get)(pk=ack["id"])
        await database_sync_to_async(actions.do_edit_message)(sato, message, "直した文面")
        changed = await listening.receive_json_from(timeout=10)
        assert changed["type"] == "changed" and "直した文面" in changed["html"]
        await later.connect()
        [again] = await texts(later)
        assert "直した文面" in again and "最初の文面" not in again
        for communicator in (writer, listening, later):
            await communicator.disconnect()

    run(scenario)


def test_reconnect_catches_up_once_and_in_order():
    sato, suzuki = MemberFactory(), MemberFactory()
    conversation = direct(sato, suzuki)
    first = say(sato, conversation, "一通目")
    online, back = socket(suzuki, conversation, after=first.pk), socket(suzuki, conversation, after=first.pk)

    async def scenario():
        await online.connect()
        await online.disconnect()
        # Offline: three messages are written.
        for text in ("二通目", "三通目", "四通目"):
            await database_sync_to_async(say)(sato, conversation, text)
        await back.connect()
        html = await texts(back)
        assert [h.count(t) for h, t in zip(html, ("二通目", "三通目", "四通目"), strict=True)] == [1, 1, 1]
        await database_sync_to_async(say)(sato, conversation, "五通目")
        [latest] = await texts(back)
        assert "五通目" in latest
        assert await back.receive_nothing(timeout=0.3)  # nothing twice
        await back.disconnect()

    run(scenario)


def test_blocked_and_strangers_cannot_connect_and_origin_is_checked():
    sato, suzuki, stranger = MemberFactory(), MemberFactory(), MemberFactory()
    conversation = direct(sato, suzuki)
    outsider, forged, communicator = (
        socket(stranger, conversation),
        socket(sato, conversation, origin=b"https://evil.example"),
        socket(sato, conversation),
    )

    async def scenario():
        connected, _code = await outsider.connect()
        assert not connected
        connected, _code = await forged.connect()
        assert not connected
        await database_sync_to_async(member_actions.do_block)(suzuki, sato)
        assert (await communicator.connect())[0]  # still taking part, but writing is refused
        await communicator.send_json_to({"type": "send", "text": "届きますか", "client_id": "7"})
        reply = await communicator.receive_json_from(timeout=10)
        assert reply["type"] == "error" and reply["client_id"] == "7"
        await communicator.disconnect()

    run(scenario)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the Redis layer needs REDIS_URL")
def test_the_redis_layer_is_used_when_redis_url_is_set(layer):
    if layer == "redis":
        assert type(get_channel_layer()).__name__ == "RedisPubSubChannelLayer"
