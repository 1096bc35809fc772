"""/api/v1/conversations: the member's conversations, messages after an id, sending; outsiders get 404."""

import pytest

from tests.api.test_members_api import token_client
from tests.chat.helpers import direct, say
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_conversations_messages_and_sending():
    sato, suzuki = MemberFactory(name="佐藤 花子"), MemberFactory(name="鈴木 一郎")
    conversation = direct(sato, suzuki)
    first = say(suzuki, conversation, "お久しぶりです")
    client = token_client(sato)
    [listed] = client.get("/api/v1/conversations").json()
    assert listed["title"] == "鈴木 一郎" and listed["unread"] == 1
    sent = client.post(f"/api/v1/conversations/{conversation.pk}/messages", {"text": "元気です！"},
                       content_type="application/json")
    assert sent.status_code == 201
    after = client.get(f"/api/v1/conversations/{conversation.pk}/messages", {"after": first.pk}).json()
    assert [m["text"] for m in after] == ["元気です！"]
    empty = client.post(f"/api/v1/conversations/{conversation.pk}/messages", {"text": " "},
                        content_type="application/json")
    assert empty.status_code == 422


def test_outsiders_get_404():
    sato, suzuki = MemberFactory(), MemberFactory()
    conversation = direct(sato, suzuki)
    client = token_client(MemberFactory())
    assert client.get(f"/api/v1/conversations/{conversation.pk}/messages").status_code == 404
    assert client.post(f"/api/v1/conversations/{conversation.pk}/messages", {"text": "やあ"},
                       content_type="application/json").status_code == 404
    assert client.get("/api/v1/conversations").json() == []
