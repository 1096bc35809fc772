"""Conversations tied to a group or an event, and reporting a message to the moderators."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from kizuna.chat import access, actions
from kizuna.chat.models import Message
from kizuna.groups import actions as group_actions
from kizuna.members.models import Role
from kizuna.moderation import actions as moderation_actions
from kizuna.moderation import registry
from kizuna.moderation.models import Reason
from tests.events.helpers import make_event
from tests.factories import MemberFactory
from tests.groups.helpers import add_member, make_group

from .helpers import direct, say

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def test_a_groups_conversation_is_read_only_by_its_members():
    owner, member, outsider = MemberFactory(), MemberFactory(), MemberFactory()
    club = make_group(owner, name="写真部OB会")
    add_member(club, member)
    conversation = actions.do_open_group_conversation(owner, club)
    assert conversation.title == "写真部OB会"
    assert actions.do_open_group_conversation(member, club) == conversation
    with pytest.raises(ValidationError):
        actions.do_open_group_conversation(outsider, club)
    say(owner, conversation, "次の撮影会は鎌倉です")
    assert len(access.messages_after(member.pk, conversation.pk, 0)) == 1
    # Leaving the group ends the reading at once, though the participation row is still there.
    group_actions.do_leave(member, club)
    assert access.messages_after(member.pk, conversation.pk, 0) == []
    assert not access.conversations_of(member).exists()


def test_the_group_page_offers_its_conversation(client):
    owner = MemberFactory()
    club = make_group(owner, name="ランニング部")
    client.force_login(owner)
    page = client.get(reverse("group_detail", args=[club.slug])).content.decode()
    assert reverse("chat_group", args=[club.slug]) in page
    response = client.post(reverse("chat_group", args=[club.slug]))
    assert response.status_code == 302 and "/messages/" in response.url


def test_an_events_conversation_is_started_by_hosts_and_joined_by_attendees():
    from kizuna.events import actions as event_actions

    host, attendee, other = MemberFactory(), MemberFactory(), MemberFactory()
    event = make_event(hosts=[host], title="2026年 春のアルムナイ交流会")
    with pytest.raises(ValidationError, match="confirmed seat"):
        actions.do_open_event_conversation(attendee, event)
    event_actions.do_rsvp(attendee, event)
    with pytest.raises(ValidationError):  # not started yet
        actions.do_open_event_conversation(attendee, event)
    conversation = actions.do_open_event_conversation(host, event)
    assert actions.do_open_event_conversation(attendee, event) == conversation
    with pytest.raises(ValidationError):
        actions.do_open_event_conversation(other, event)


def test_cancelling_the_seat_ends_taking_part_in_the_events_conversation(client):
    from kizuna.events import actions as event_actions

    host, attendee = MemberFactory(), MemberFactory()
    event = make_event(hosts=[host], title="秋の交流会")
    event_actions.do_rsvp(attendee, event)
    conversation = actions.do_open_event_conversation(host, event)
    actions.do_open_event_conversation(attendee, event)
    say(host, conversation, "当日は受付でお名前をお伝えください")
    event_actions.do_cancel_rsvp(attendee, event)
    say(host, conversation, "会場の地図を共有します")
    assert access.messages_after(attendee.pk, conversation.pk, 0) == []
    client.force_login(attendee)
    assert client.get(reverse("chat_conversation", args=[conversation.pk])).status_code == 404
    assert access.is_participant(host.pk, conversation.pk)


def test_a_reported_message_shows_moderators_a_few_around_it_and_nothing_more():
    sato, suzuki = MemberFactory(name="佐藤 花子"), MemberFactory(name="鈴木 一郎")
    conversation = direct(sato, suzuki)
    for number in range(10):
        say(sato, conversation, f"普通の話 {number}")
    bad = say(suzuki, conversation, "ひどい言葉")
    for number in range(10):
        say(sato, conversation, f"その後の話 {number}")
    moderation_actions.do_report(sato, bad, Reason.HARASSMENT)
    reportable = registry.for_object(bad)
    context = reportable.context(bad)
    assert [item["text"] for item in context] == [
        "普通の話 7", "普通の話 8", "普通の話 9", "ひどい言葉", "その後の話 0", "その後の話 1", "その後の話 2"]
    assert [item["reported"] for item in context].count(True) == 1
    # An outsider cannot report what they cannot read.
    with pytest.raises(ValidationError):
        moderation_actions.check_report(MemberFactory(), bad, Reason.HARASSMENT)
    # Hiding it takes it out of the conversation for everyone.
    reportable.set_hidden(bad, True)
    assert Message.objects.get(pk=bad.pk).hidden
    with translation.override("en"):
        from kizuna.chat.rendering import render_message

        shown = access.messages_after(sato.pk, conversation.pk, bad.pk - 1)[0]
        html = render_message(shown, viewer_id=sato.pk, language="en")
    assert "hidden by the moderators" in html and "ひどい言葉" not in html


def test_messages_are_rate_limited_with_a_clear_message(monkeypatch):
    sato, suzuki = MemberFactory(), MemberFactory()
    conversation = direct(sato, suzuki)
    monkeypatch.setattr(actions, "MESSAGES_PER_MINUTE", 3)
    for number in range(3):
        say(sato, conversation, f"連投 {number}")
    with translation.override("en"), pytest.raises(ValidationError, match="too often"):
        say(sato, conversation, "まだ送ります")


def test_moderators_reach_the_report_form_from_a_message(client):
    sato, suzuki = MemberFactory(), MemberFactory(role=Role.ALUMNI)
    conversation = direct(sato, suzuki)
    message = say(suzuki, conversation, "確認してください")
    client.force_login(sato)
    page = client.get(reverse("chat_conversation", args=[conversation.pk])).content.decode()
    assert reverse("report", args=["message", message.pk]) in page
    assert client.get(reverse("report", args=["message", message.pk])).status_code == 200
