"""Who may message whom, blocks, attachments and withdrawal: what a member notices when they write."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kizuna.chat import access, actions
from kizuna.chat.attachments import clean_attachment
from kizuna.chat.models import ChatSettings, Message
from kizuna.members import actions as member_actions
from tests.factories import MemberFactory

from .helpers import direct, group, pdf_bytes, png_upload, say

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def sato():
    return MemberFactory(name="佐藤 花子", name_kana="さとう はなこ")


@pytest.fixture
def suzuki():
    return MemberFactory(name="鈴木 一郎", name_kana="すずき いちろう")


def test_a_direct_conversation_exists_once_per_pair(sato, suzuki):
    first = direct(sato, suzuki)
    assert direct(suzuki, sato) == first
    assert access.conversations_of(sato).get() == first


def test_nobody_setting_refuses_new_conversations_with_a_clear_message(sato, suzuki):
    actions.do_set_starters(suzuki, ChatSettings.Starters.NOBODY)
    with pytest.raises(ValidationError, match="鈴木 一郎 does not accept new conversations"):
        direct(sato, suzuki)
    with pytest.raises(ValidationError, match="does not accept new conversations"):
        group(sato, suzuki)


def test_talked_setting_lets_only_people_already_talked_with_start(sato, suzuki):
    organiser = MemberFactory()
    room = group(organiser, sato, suzuki)
    actions.do_set_starters(suzuki, ChatSettings.Starters.TALKED)
    with pytest.raises(ValidationError):
        direct(sato, suzuki)  # in the same group, but nobody has written yet
    say(suzuki, room, "はじめまして！")
    assert direct(sato, suzuki)
    with pytest.raises(ValidationError):
        direct(MemberFactory(), suzuki)


def test_an_existing_conversation_continues_after_the_setting_changes(sato, suzuki):
    conversation = direct(sato, suzuki)
    actions.do_set_starters(suzuki, ChatSettings.Starters.NOBODY)
    assert say(sato, conversation, "先日はありがとうございました")


def test_a_block_stops_new_messages_both_ways_and_hides_the_conversation(sato, suzuki):
    conversation = direct(sato, suzuki)
    say(sato, conversation, "お久しぶりです")
    member_actions.do_block(suzuki, sato)
    for writer in (sato, suzuki):
        with pytest.raises(ValidationError, match="You cannot send messages to this member"):
            say(writer, conversation, "まだ届きますか")
        assert not access.conversations_of(writer).exists()
    with pytest.raises(ValidationError):
        direct(sato, suzuki)
    assert not access.may_contact(sato, suzuki) and not access.may_contact(suzuki, sato)


def test_in_a_group_the_messages_of_a_blocked_member_are_left_out(sato, suzuki):
    third = MemberFactory()
    room = group(third, sato, suzuki)
    say(sato, room, "佐藤です")
    reply_to = say(suzuki, room, "鈴木です")
    say(third, room, "鈴木さんに返信", reply_to=reply_to)
    member_actions.do_block(sato, suzuki)
    seen = access.messages_after(sato.pk, room.pk, 0)
    assert [m.text for m in seen] == ["佐藤です", "鈴木さんに返信"]
    assert seen[1].reply_hidden  # the quote of the blocked member's words is not shown either


def test_forged_attachments_are_refused_with_a_clear_message():
    html_as_png = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError, match="not an image that can be read"):
        clean_attachment(html_as_png)
    exe_as_pdf = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="named as a PDF but its content is not a PDF"):
        clean_attachment(exe_as_pdf)
    pdf_as_jpeg = SimpleUploadedFile("photo.jpg", pdf_bytes(), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="named as an image but is a PDF"):
        clean_attachment(pdf_as_jpeg)
    with pytest.raises(ValidationError, match="Only images"):
        clean_attachment(SimpleUploadedFile("notes.docx", b"PK\x03\x04", content_type="application/msword"))


def test_attachments_are_checked_by_content_and_images_re_encoded():
    image = clean_attachment(png_upload())
    assert image.kind == Message.Attachment.IMAGE and image.name == "photo.jpg"
    assert image.file.read(3) == b"\xff\xd8\xff"  # a fresh JPEG, not the uploaded bytes
    pdf = clean_attachment(SimpleUploadedFile("資料.pdf", pdf_bytes(), content_type="application/pdf"))
    assert pdf.kind == Message.Attachment.PDF and pdf.name == "資料.pdf"


def test_a_pdf_over_the_size_limit_is_refused(monkeypatch):
    from kizuna.chat import attachments

    monkeypatch.setattr(attachments, "MAX_PDF_BYTES", 100)
    with pytest.raises(ValidationError, match="at most 10 MB"):
        clean_attachment(SimpleUploadedFile("big.pdf", pdf_bytes(), content_type="application/pdf"))


def test_a_withdrawn_members_messages_remain_without_personal_data(sato, suzuki):
    conversation = direct(sato, suzuki)
    say(sato, conversation, "退会しても残りますか", attachment=clean_attachment(png_upload()))
    member_actions.do_withdraw(sato, sato)
    message = Message.objects.get()
    assert message.text == "退会しても残りますか"
    assert not message.attachment and message.attachment_name == ""
    seen = access.messages_after(suzuki.pk, conversation.pk, 0)
    assert len(seen) == 1
    from kizuna.chat.rendering import render_message

    html = render_message(seen[0], viewer_id=suzuki.pk, language="en")
    assert "Withdrawn member" in html and "佐藤" not in html
    with pytest.raises(ValidationError, match="no longer in the network"):
        say(suzuki, conversation, "お元気で")


def test_search_within_a_conversation_folds_japanese_and_finds_short_words(sato, suzuki):
    conversation = direct(sato, suzuki)
    say(sato, conversation, "髙橋さんの送別会は渋谷で")
    say(suzuki, conversation, "カラオケにも行きましょう")
    say(suzuki, conversation, "ＡＢＣ商事の件")

    def found(q):
        return [m.text for m in access.search_messages(sato.pk, conversation.pk, q)]

    assert found("高橋") == ["髙橋さんの送別会は渋谷で"]
    assert found("からおけ") == ["カラオケにも行きましょう"]
    assert found("abc") == ["ＡＢＣ商事の件"]
    assert len(found("渋")) == 1
    outsider = MemberFactory()
    assert access.search_messages(outsider.pk, conversation.pk, "渋谷") == []


def test_edit_and_delete_only_own_messages(sato, suzuki):
    conversation = direct(sato, suzuki)
    message = say(sato, conversation, "明日は10時に")
    with pytest.raises(ValidationError, match="only change your own"):
        actions.do_edit_message(suzuki, message, "書き換え")
    actions.do_edit_message(sato, message, "明日は11時に")
    message.refresh_from_db()
    assert message.text == "明日は11時に" and message.edited_at
    actions.do_delete_message(sato, message)
    message.refresh_from_db()
    assert message.text == "" and message.deleted_at
    assert access.search_messages(suzuki.pk, conversation.pk, "11時") == []


def test_unread_counts_exclude_own_and_muted(sato, suzuki):
    conversation = direct(sato, suzuki)
    say(sato, conversation, "一通目")
    say(sato, conversation, "二通目")
    assert access.unread_total(suzuki) == 2 and access.unread_total(sato) == 0
    actions.do_set_muted(suzuki, conversation, True)
    assert access.unread_total(suzuki) == 0
    actions.do_set_muted(suzuki, conversation, False)
    last = access.messages_after(suzuki.pk, conversation.pk, 0)[-1]
    actions.do_mark_read(suzuki, conversation.pk, last.pk)
    assert access.unread_total(suzuki) == 0


def test_group_admins_add_and_remove_people_and_a_conversation_holds_500(sato, suzuki, monkeypatch):
    room = group(sato, suzuki)
    newcomer = MemberFactory()
    with pytest.raises(ValidationError, match="Only the administrators"):
        actions.do_add_participants(suzuki, room, [newcomer])
    actions.do_add_participants(sato, room, [newcomer])
    assert access.is_participant(newcomer.pk, room.pk)
    actions.do_remove_participant(sato, room, newcomer)
    assert not access.is_participant(newcomer.pk, room.pk)
    monkeypatch.setattr(actions, "MAX_PARTICIPANTS", 2)
    with pytest.raises(ValidationError, match="at most 2 people"):
        actions.do_add_participants(sato, room, [newcomer])


def test_leaving_hands_the_administrator_role_on(sato, suzuki):
    room = group(sato, suzuki)
    actions.do_leave(sato, room)
    assert not access.is_participant(sato.pk, room.pk)
    assert access.is_conversation_admin(suzuki, room)


def test_rendering_a_batch_larger_than_the_cache(sato, suzuki, monkeypatch):
    from kizuna.chat import rendering

    monkeypatch.setattr(rendering, "CACHE_SIZE", 3)
    conversation = direct(sato, suzuki)
    for number in range(8):
        say(sato, conversation, f"バッチ {number}")
    rows = access.new_message_rows(suzuki.pk, conversation.pk, 0)
    rendering.rendered_rows(rows[:4], viewer_id=suzuki.pk, language="en")  # some of them cached
    html = [item["html"] for item in rendering.rendered_rows(rows, viewer_id=suzuki.pk, language="en")]
    assert [f"バッチ {number}" in text for number, text in enumerate(html)] == [True] * 8


def test_a_quote_never_shows_what_its_author_deleted_or_took_away(sato, suzuki):
    """Every path renders a message once per process and keeps the HTML: a reply quoting a message that is
    later edited, deleted or whose author withdraws must not keep showing the old text or name."""
    from kizuna.chat import rendering

    third = MemberFactory(name="田中 三郎")
    room = group(sato, suzuki, third)
    edited = say(sato, room, "私の電話番号は 090-1111-2222 です")
    deleted = say(suzuki, room, "住所は 渋谷区神南1-2-3 です")
    withdrawing = say(third, room, "来月退職します")
    replies = [say(sato, room, f"返信 {n}", reply_to=quoted) for n, quoted in enumerate([edited, deleted,
                                                                                          withdrawing])]

    def page_html():  # the page and the polling fallback (render_message), then the socket (rendered_rows)
        found = access.messages_after(sato.pk, room.pk, replies[0].pk - 1)
        rows = access.new_message_rows(sato.pk, room.pk, replies[0].pk - 1)
        return ("".join(item["html"] for item in rendering.rendered(found, viewer_id=sato.pk, language="en"))
                + "".join(item["html"] for item in rendering.rendered_rows(rows, viewer_id=sato.pk, language="en")))

    before = page_html()
    assert "090-1111-2222" in before and "渋谷区神南" in before and "田中 三郎" in before
    actions.do_edit_message(sato, edited, "番号は消しました")
    actions.do_delete_message(suzuki, deleted)
    member_actions.do_withdraw(third, third)
    after = page_html()
    assert "090-1111-2222" not in after and "番号は消しました" in after
    assert "渋谷区神南" not in after and "This message was deleted." in after
    assert "田中 三郎" not in after and "Withdrawn member" in after


def test_another_process_renders_a_new_message_from_its_notice_but_only_in_the_state_it_reads(
        sato, suzuki, django_assert_num_queries):
    """Scaled out, a notice carries a new message to the other socket processes (through Redis, as msgpack),
    so they render it without loading it; what each member reads from the database still decides."""
    import msgpack

    from kizuna.chat import rendering

    third = MemberFactory(name="田中 三郎")
    room = group(sato, suzuki, third)
    quoted = say(suzuki, room, "明日は渋谷で")
    message = say(sato, room, "**了解**です", reply_to=quoted)
    notice = msgpack.unpackb(msgpack.packb(rendering.carried(message)))

    rendering.clear()  # another process: it has never seen the message
    rendering.take(notice)
    rows = access.new_message_rows(third.pk, room.pk, quoted.pk)
    with django_assert_num_queries(0):
        [item] = rendering.rendered_rows(rows, viewer_id=third.pk, language="en")
    assert "<strong>了解</strong>" in item["html"] and "佐藤 花子" in item["html"] and "明日は渋谷で" in item["html"]

    # The notice arrives after an edit and a block: the reader gets what the database says, not the notice.
    actions.do_edit_message(sato, message, "やはり新宿で")
    member_actions.do_block(third, suzuki)
    rendering.clear()
    rendering.take(notice)
    [item] = rendering.rendered_rows(access.new_message_rows(third.pk, room.pk, quoted.pk), viewer_id=third.pk,
                                     language="en")
    assert "やはり新宿で" in item["html"] and "了解" not in item["html"]
    assert "明日は渋谷で" not in item["html"] and "chat-quote" not in item["html"]


def test_the_sockets_of_a_group_read_together_what_each_reads_alone(sato, suzuki):
    """reads.py fetches the new messages of all the sockets woken by one notice in one statement (PostgreSQL):
    each member still gets only what they may read, after their own cursor, in order."""
    third, removed = MemberFactory(), MemberFactory()
    room = group(third, sato, suzuki, removed)
    first = say(sato, room, "佐藤です")
    quoted = say(suzuki, room, "鈴木です")
    say(third, room, "鈴木さんに返信", reply_to=quoted)
    member_actions.do_block(sato, suzuki)
    actions.do_remove_participant(third, room, removed)
    cursors = {sato: 0, suzuki: first.pk, third: 0, removed: 0}
    entries = [access.new_message_read(member.pk, room.pk, after).values for member, after in cursors.items()]
    together = access.new_message_read(sato.pk, room.pk, 0).query.rows_each(entries)
    assert together == [access.new_message_rows(member.pk, room.pk, after) for member, after in cursors.items()]
    texts = [[row[0] for row in rows] for rows in together]
    ids = Message.objects.filter(conversation=room).order_by("pk").values_list("pk", flat=True)
    assert texts == [[ids[0], ids[2]], [ids[1], ids[2]], list(ids), []]
    assert together[0][1][access.DELIVERY_COLUMNS.index("reply_hidden")]  # sato does not see whom it quotes
