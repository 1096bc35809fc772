"""The chat pages as members use them: the list with unread counts, a conversation, sending (with attachments),
polling, history, search, people, settings, starting from a profile, and the email about unread messages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from kizuna.chat import actions
from kizuna.chat.models import ChatSettings, Conversation, Message
from kizuna.core.models import OutboxEmail
from kizuna.notifications import actions as notification_actions
from tests.factories import MemberFactory

from .helpers import direct, group, png_upload, say

pytestmark = pytest.mark.django_db


@pytest.fixture
def sato():
    return MemberFactory(name="佐藤 花子", name_kana="さとう はなこ", email="sato@example.jp")


@pytest.fixture
def suzuki():
    return MemberFactory(name="鈴木 一郎", name_kana="すずき いちろう", email="suzuki@example.jp")


@pytest.fixture
def as_sato(client, sato):
    client.force_login(sato)
    return client


def test_the_list_shows_conversations_with_unread_counts_in_bounded_queries(as_sato, sato,
                                                                            django_assert_max_num_queries):
    for number in range(15):
        other = MemberFactory(name=f"同期 {number}")
        say(other, direct(other, sato), f"久しぶり {number}")
    with django_assert_max_num_queries(14):
        response = as_sato.get(reverse("chat_list"))
    page = response.content.decode()
    assert page.count('class="chat-list-item unread"') == 15
    assert "同期 14" in page
    assert '<span class="nav-count">15' in page  # the navigation's count


def test_a_conversation_page_shows_the_history_and_marks_it_read(as_sato, sato, suzuki):
    conversation = direct(suzuki, sato)
    say(suzuki, conversation, "来週の**同窓会**、参加しますか？ https://example.com/plan")
    say(sato, conversation, "**もちろん**です")
    page = as_sato.get(reverse("chat_conversation", args=[conversation.pk])).content.decode()
    assert "<strong>同窓会</strong>" in page
    assert '<article class="chat-message mine"' in page and "<strong>もちろん</strong>" in page  # own, as HTML
    assert 'href="https://example.com/plan"' in page
    assert 'data-last-id="' in page
    assert as_sato.get(reverse("chat_list")).content.decode().count("nav-count") == 0


def test_opening_a_conversation_does_not_use_up_the_sending_allowance(as_sato, sato, suzuki, monkeypatch):
    monkeypatch.setattr(actions, "MESSAGES_PER_MINUTE", 2)
    conversation = direct(suzuki, sato)
    for _visit in range(3):
        assert 'id="chat-compose"' in as_sato.get(reverse("chat_conversation", args=[conversation.pk])).content.decode()
    say(sato, conversation, "一通目")
    say(sato, conversation, "二通目")
    assert Message.objects.filter(author=sato).count() == 2


def test_outsiders_get_404(client, sato, suzuki):
    conversation = direct(sato, suzuki)
    client.force_login(MemberFactory())
    assert client.get(reverse("chat_conversation", args=[conversation.pk])).status_code == 404
    assert client.get(reverse("chat_after", args=[conversation.pk])).status_code == 404
    assert client.get(reverse("chat_search", args=[conversation.pk]), {"q": "a"}).status_code == 404


def test_sending_with_an_image_and_a_forged_file(as_sato, sato, suzuki):
    conversation = direct(sato, suzuki)
    url = reverse("chat_send", args=[conversation.pk])
    ok = as_sato.post(url, {"text": "写真です", "attachment": png_upload()}, HTTP_ACCEPT="application/json")
    assert ok.status_code == 200
    message = Message.objects.get(pk=ok.json()["id"])
    assert message.attachment_kind == "image"
    image = as_sato.get(reverse("chat_attachment", args=[conversation.pk, message.pk]))
    assert image["Content-Type"] == "image/jpeg"
    forged = SimpleUploadedFile("invoice.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    refused = as_sato.post(url, {"text": "", "attachment": forged}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 422
    assert "PDF" in refused.json()["error"]
    # Without JavaScript the page comes back with the reason shown.
    forged.seek(0)
    page = as_sato.post(url, {"text": "", "attachment": forged})
    assert page.status_code == 422 and "PDF" in page.content.decode()
    assert Message.objects.count() == 1


def test_the_attachment_of_another_conversation_is_404(client, sato, suzuki):
    conversation = direct(sato, suzuki)
    from kizuna.chat.attachments import clean_attachment

    message = say(sato, conversation, "", attachment=clean_attachment(png_upload()))
    client.force_login(MemberFactory())
    assert client.get(reverse("chat_attachment", args=[conversation.pk, message.pk])).status_code == 404


def test_polling_returns_messages_after_the_last_seen_id(as_sato, sato, suzuki):
    conversation = direct(sato, suzuki)
    first = say(suzuki, conversation, "一通目")
    say(suzuki, conversation, "二通目")
    data = as_sato.get(reverse("chat_after", args=[conversation.pk]), {"after": first.pk}).json()
    assert len(data["messages"]) == 1 and "二通目" in data["messages"][0]["html"]


def test_history_is_paged_upward(as_sato, sato, suzuki):
    conversation = direct(sato, suzuki)
    for number in range(45):
        say(suzuki, conversation, f"メッセージ{number:02d}")
    page = as_sato.get(reverse("chat_conversation", args=[conversation.pk])).content.decode()
    assert "メッセージ44" in page and "メッセージ04" not in page and "chat-older" in page
    oldest_shown = Message.objects.order_by("pk")[5].pk
    older = as_sato.get(reverse("chat_before", args=[conversation.pk]), {"before": oldest_shown},
                        HTTP_HX_REQUEST="true").content.decode()
    assert "メッセージ00" in older and "メッセージ04" in older and "メッセージ05" not in older


def test_search_page_finds_words_in_the_conversation(as_sato, sato, suzuki):
    conversation = direct(sato, suzuki)
    say(suzuki, conversation, "渋谷のカフェで会いましょう")
    say(suzuki, conversation, "了解です")
    page = as_sato.get(reverse("chat_search", args=[conversation.pk]), {"q": "しぶや"}).content.decode()
    assert "渋谷" not in page or "カフェ" in page  # reading search is not promised; kanji is
    page = as_sato.get(reverse("chat_search", args=[conversation.pk]), {"q": "渋谷"}).content.decode()
    assert "渋谷のカフェ" in page and "了解です" not in page


def test_starting_from_a_profile_respects_the_members_choice(as_sato, sato, suzuki):
    profile = as_sato.get(reverse("member_profile", args=[suzuki.pk])).content.decode()
    assert reverse("chat_start", args=[suzuki.pk]) in profile
    response = as_sato.post(reverse("chat_start", args=[suzuki.pk]))
    conversation = Conversation.objects.get()
    assert response.url == reverse("chat_conversation", args=[conversation.pk])
    other = MemberFactory(name="高橋 誠")
    actions.do_set_starters(other, ChatSettings.Starters.NOBODY)
    assert reverse("chat_start", args=[other.pk]) not in as_sato.get(
        reverse("member_profile", args=[other.pk])).content.decode()
    with translation.override("en"):
        refused = as_sato.post(reverse("chat_start", args=[other.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "高橋 誠" in refused.content.decode()
    assert Conversation.objects.count() == 1


def test_new_group_conversation_from_the_people_picker(as_sato, sato, suzuki):
    third = MemberFactory(name="田中 美咲", name_kana="たなか みさき")
    found = as_sato.get(reverse("chat_candidates"), {"q": "たなか", "people": [suzuki.pk]}).content.decode()
    assert "田中 美咲" in found and "鈴木 一郎" in found and "checked" in found
    response = as_sato.post(reverse("chat_new"), {"people": [suzuki.pk, third.pk], "title": "送別会の相談"})
    conversation = Conversation.objects.get()
    assert response.url == reverse("chat_conversation", args=[conversation.pk])
    assert conversation.title == "送別会の相談" and conversation.participants.count() == 3


def test_people_page_adds_removes_renames_mutes_and_leaves(as_sato, sato, suzuki):
    room = group(sato, suzuki)
    newcomer = MemberFactory(name="新人 さん")
    as_sato.post(reverse("chat_add", args=[room.pk]), {"people": [newcomer.pk]})
    assert room.participants.filter(user=newcomer).exists()
    as_sato.post(reverse("chat_remove", args=[room.pk, newcomer.pk]))
    assert not room.participants.filter(user=newcomer).exists()
    as_sato.post(reverse("chat_rename", args=[room.pk]), {"title": "2015年入社"})
    room.refresh_from_db()
    assert room.title == "2015年入社"
    as_sato.post(reverse("chat_mute", args=[room.pk]), {"muted": "1"})
    assert room.participants.get(user=sato).muted
    page = as_sato.get(reverse("chat_people", args=[room.pk])).content.decode()
    people = page.split('class="chat-people"')[1].split("</ul>")[0]
    assert "鈴木 一郎" in people and "新人" not in people
    as_sato.post(reverse("chat_leave", args=[room.pk]))
    assert as_sato.get(reverse("chat_conversation", args=[room.pk])).status_code == 404


def test_settings_page_saves_who_may_start(as_sato, sato):
    as_sato.post(reverse("chat_settings"), {"starters": "talked"})
    assert ChatSettings.objects.get(user=sato).starters == "talked"


def test_an_email_about_unread_messages_after_a_quiet_period(sato, suzuki, outbox_backend):
    conversation = direct(sato, suzuki)
    say(sato, conversation, "週末に電話してもいいですか")
    say(sato, conversation, "都合のいい時間を教えてください")
    assert actions.do_email_unread_messages() == 0  # the conversation is not quiet yet
    later = timezone.now() + actions.QUIET_PERIOD + datetime.timedelta(minutes=1)
    assert actions.do_email_unread_messages(later) == 1
    mail = OutboxEmail.objects.get(to="suzuki@example.jp")
    assert "佐藤 花子" in mail.body_text and "2" in mail.subject
    assert "電話" not in mail.body_text  # the text itself stays on the site
    assert actions.do_email_unread_messages(later) == 0  # told once
    notification_actions.do_set_preference(suzuki, "messages", "off")
    say(sato, conversation, "もう一通")
    assert actions.do_email_unread_messages(later + datetime.timedelta(hours=1)) == 0


def test_data_download_holds_own_messages_only(as_sato, sato, suzuki):
    conversation = direct(sato, suzuki)
    say(sato, conversation, "自分のメッセージ")
    say(suzuki, conversation, "相手のメッセージ")
    data = as_sato.get(reverse("account_data_json")).json()
    text = str(data)
    assert "自分のメッセージ" in text and "相手のメッセージ" not in text


def test_a_conversation_page_reads_a_bounded_number_of_queries(as_sato, sato, django_assert_max_num_queries):
    others = [MemberFactory(name=f"同期 {n}") for n in range(8)]
    room = group(sato, *others)
    for number in range(60):
        say(others[number % 8], room, f"メッセージ {number}")
    with django_assert_max_num_queries(22):
        page = as_sato.get(reverse("chat_conversation", args=[room.pk])).content.decode()
    assert page.count('class="chat-message') == 40


def test_the_people_picker_does_not_find_members_hidden_from_the_directory(as_sato, sato):
    """The picker searches names like the directory does: a member who hid themselves from the directory is
    not found there (their page, reached from their posts, still offers to message them)."""
    from kizuna.members import actions as member_actions

    hiding = MemberFactory(name="田中 隠子", name_kana="たなか かくこ")
    MemberFactory(name="田中 見子", name_kana="たなか みこ")
    member_actions.do_set_hidden(hiding, True)
    found = as_sato.get(reverse("chat_candidates"), {"q": "田中"}).content.decode()
    assert "田中 見子" in found and "田中 隠子" not in found
    response = as_sato.post(reverse("chat_start", args=[hiding.pk]))
    assert response.url == reverse("chat_conversation", args=[Conversation.objects.get().pk])


def test_the_people_count_counts_only_the_people_the_member_sees(as_sato, sato, suzuki):
    """A conversation's page says how many take part as the people list shows them: someone who blocked the
    member (or whom they blocked) is in neither, so the count does not tell of them."""
    from kizuna.members import actions as member_actions

    blocker = MemberFactory(name="拒否 する")
    room = group(sato, suzuki, blocker)
    member_actions.do_block(blocker, sato)
    page = as_sato.get(reverse("chat_conversation", args=[room.pk])).content.decode()
    people = as_sato.get(reverse("chat_people", args=[room.pk])).content.decode()
    assert "拒否 する" not in people and "2人" in people
    assert "2人" in page and "3人" not in page
