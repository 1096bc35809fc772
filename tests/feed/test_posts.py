"""Posting, images, replies, reactions, editing and deleting; the word list and the rate limit; HR's
announcements and stories, scheduled publishing (published once, notified once)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from PIL import Image

from kizuna.feed import actions
from kizuna.feed.mentions import mention_markup
from kizuna.feed.models import Kind, Post, Status
from kizuna.members.models import Role
from kizuna.moderation.actions import do_add_word
from kizuna.notifications.actions import do_send_due_digests, do_set_preference

from ..factories import MemberFactory
from .helpers import alerts, mails_to, official, png, post

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_post_with_image_is_re_encoded_and_served_to_readers():
    author, reader = MemberFactory(), MemberFactory()
    response = _client(author).post("/feed/new/", {"body": "**新しい**オフィスです", "audience": "network",
                                                   "image": png()})
    assert response.status_code == 302
    created = Post.objects.get(author=author)
    assert created.body_html == "<p><strong>新しい</strong>オフィスです</p>\n"
    image = _client(reader).get(f"/feed/posts/{created.pk}/image/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    with Image.open(created.image.open("rb")) as stored:
        assert stored.format == "JPEG"


def test_a_file_that_is_not_an_image_is_refused_in_both_languages():
    author = MemberFactory()
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    page = _client(author).post("/feed/new/", {"body": "x", "audience": "network", "image": fake})
    assert page.status_code == 200 and not Post.objects.exists()
    assert "画像" in page.content.decode()


def test_empty_post_is_refused():
    page = _client(MemberFactory()).post("/feed/new/", {"body": "  ", "audience": "network"})
    assert "何か書くか、画像を添えてください" in page.content.decode()


def test_reply_react_and_mention_notify_the_right_people(outbox_backend):
    author, replier, friend = MemberFactory(), MemberFactory(name="返信 する"), MemberFactory(name="友人 さん")
    mine = post(author, "転職しました")
    actions.do_reply(replier, mine, body=f"おめでとう！ {mention_markup(friend)} も喜ぶよ")
    assert any("返信 する" in text for text in alerts(author))
    assert any("返信 する" in text for text in alerts(friend))
    assert actions.do_toggle_reaction(replier, mine, "celebrate") is True
    assert actions.do_toggle_reaction(replier, mine, "celebrate") is False  # the second press takes it back
    actions.do_toggle_reaction(replier, mine, "celebrate")
    assert len(alerts(author)) == 2
    # Reactions are off by default for email; replies and mentions come at once.
    assert len(mails_to(author)) == 1 and len(mails_to(friend)) == 1
    page = _client(author).get(f"/feed/posts/{mine.pk}/").content.decode()
    assert "返信 する" in page and "🎉" in page


def test_edit_and_delete_only_ones_own():
    author, other = MemberFactory(), MemberFactory()
    mine = post(author, "最初の文")
    assert _client(other).post(f"/feed/posts/{mine.pk}/edit/", {"body": "乗っ取り"}).status_code == 404
    assert _client(other).post(f"/feed/posts/{mine.pk}/delete/").status_code == 404
    _client(author).post(f"/feed/posts/{mine.pk}/edit/", {"body": "直した文"})
    mine.refresh_from_db()
    assert mine.body == "直した文" and mine.edited_at is not None
    _client(author).post(f"/feed/posts/{mine.pk}/delete/")
    assert not Post.objects.filter(pk=mine.pk).exists()


def test_the_author_deletes_what_moderators_hid_and_the_queue_keeps_its_items(moderator_user, outbox_backend):
    """A post and a reply moderators hid, and a post the word list holds: their author alone finds them (the
    post's page, their reply on the post's page) and may delete them, not edit them; deleting shows them to
    no one. The queue items stay and are still opened and decided, without telling the author anything about
    a post they deleted themselves."""
    from kizuna.feed.models import Reply
    from kizuna.moderation import actions as moderation
    from kizuna.moderation.models import Item

    author, reporter, other = MemberFactory(), MemberFactory(), MemberFactory()
    hidden_post, shared = post(author, "隠された投稿"), post(reporter, "みんなの投稿")
    hidden_reply = actions.do_reply(author, shared, body="隠された返信")
    for obj, kind in ((hidden_post, "post"), (hidden_reply, "reply")):
        moderation.do_report(reporter, obj, "harassment")
        moderation.do_moderate(moderator_user, Item.objects.get(kind=kind, object_id=obj.pk), Item.Outcome.HIDDEN,
                               "ガイドライン違反のため")
    do_add_word(moderator_user, "勧誘")
    held = post(author, "勧誘の投稿")
    own = _client(author)
    for hidden in (hidden_post, held):
        page = own.get(f"/feed/posts/{hidden.pk}/").content.decode()
        assert "あなたにだけ表示" in page and f"/feed/posts/{hidden.pk}/delete/" in page
        assert own.get(f"/feed/posts/{hidden.pk}/edit/").status_code == 404
    page = own.get(f"/feed/posts/{shared.pk}/").content.decode()
    assert "隠された返信" in page and f"/feed/replies/{hidden_reply.pk}/delete/" in page
    assert f"/feed/replies/{hidden_reply.pk}/edit/" not in page
    for someone in (_client(other), _client(reporter)):
        assert someone.get(f"/feed/posts/{hidden_post.pk}/").status_code == 404
        assert "隠された返信" not in someone.get(f"/feed/posts/{shared.pk}/").content.decode()
        assert someone.post(f"/feed/posts/{hidden_post.pk}/delete/").status_code == 404
        assert someone.post(f"/feed/replies/{hidden_reply.pk}/delete/").status_code == 404

    ids = {"post": hidden_post.pk, "reply": hidden_reply.pk, "held": held.pk}
    assert own.post(f"/feed/posts/{hidden_post.pk}/delete/").status_code == 302
    assert own.post(f"/feed/posts/{held.pk}/delete/").status_code == 302
    assert own.post(f"/feed/replies/{hidden_reply.pk}/delete/")["Location"] == f"/feed/posts/{shared.pk}/"
    assert not Post.objects.filter(pk__in=[ids["post"], ids["held"]]).exists()
    assert not Reply.objects.filter(pk=ids["reply"]).exists()
    assert "隠された" not in _client(other).get("/feed/", {"view": "latest"}).content.decode()

    staff = _client(moderator_user)
    for kind, pk in (("post", ids["post"]), ("reply", ids["reply"])):
        item = Item.objects.get(kind=kind, object_id=pk)
        assert item.outcome == Item.Outcome.HIDDEN and item.reports.count() == 1
        assert "これはもう存在しません" in staff.get(f"/moderation/{item.pk}/").content.decode()
    waiting = Item.objects.get(kind="post", object_id=ids["held"], state=Item.State.HELD)
    assert "これはもう存在しません" in staff.get(f"/moderation/{waiting.pk}/").content.decode()
    mailed = len(mails_to(author))  # the two hidings
    decided = staff.post(f"/moderation/{waiting.pk}/", {"outcome": "approve", "reason": "問題ありません"})
    assert decided.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == Item.State.RESOLVED and waiting.outcome == Item.Outcome.APPROVED
    assert len(mails_to(author)) == mailed == 2  # not "it is now visible to others"


def test_word_list_holds_the_post_for_review(admin_user, outbox_backend):
    do_add_word(admin_user, "勧誘")
    author, friend = MemberFactory(), MemberFactory()
    held = post(author, f"投資の勧誘です {mention_markup(friend)}")
    assert held.status == Status.HIDDEN
    assert "投資の" not in _client(friend).get("/feed/", {"view": "latest"}).content.decode()
    assert alerts(friend) == []


def test_posting_is_rate_limited():
    author = MemberFactory()
    for number in range(actions.POSTS_PER_HOUR):
        post(author, f"投稿 {number}")
    with pytest.raises(ValidationError, match="too often|しばらく|分"):
        post(author, "もう一つ")


def test_scheduled_announcement_is_published_and_notified_once(outbox_backend):
    admin = MemberFactory(role=Role.ADMIN)
    reader = MemberFactory()
    do_set_preference(reader, actions.ANNOUNCEMENTS, "instant")
    soon = timezone.now() + datetime.timedelta(hours=1)
    scheduled = official(admin, title="来月の交流会", publish_at=soon)
    assert scheduled.status == Status.SCHEDULED
    assert "来月の交流会" not in _client(reader).get("/feed/").content.decode()
    assert actions.do_publish_due() == 0
    later = soon + datetime.timedelta(minutes=1)
    assert actions.do_publish_due(later) == 1 and actions.do_publish_due(later) == 0
    actions.do_notify_published(scheduled.pk)
    actions.do_notify_published(scheduled.pk)  # a retried task tells nobody twice
    assert len(alerts(reader)) == 1 and len(mails_to(reader)) == 1
    assert "来月の交流会" in _client(reader).get("/feed/").content.decode()


def test_story_and_leadership_badge_and_only_staff_publish():
    admin, member = MemberFactory(role=Role.ADMIN), MemberFactory()
    official(admin, title="社長メッセージ", category="leadership", pinned=True)
    official(admin, kind=Kind.STORY, title="出戻り社員インタビュー", body="## なぜ戻ったのか\n\n長い話。",
             image=png(800, 400))
    page = _client(member).get("/feed/").content.decode()
    assert "経営メッセージ" in page and "出戻り社員インタビュー" in page and "ストーリー" in page
    assert _client(member).get("/feed/official/new/").status_code == 403
    with pytest.raises(ValidationError):
        official(member, title="なりすまし")


def test_daily_digest_for_feed_categories(outbox_backend):
    author, friend = MemberFactory(), MemberFactory()
    do_set_preference(friend, actions.MENTIONS, "daily")
    post(author, f"{mention_markup(friend)} 今度ランチでも")
    assert mails_to(friend) == []
    assert do_send_due_digests() == 0
    assert do_send_due_digests(timezone.now() + datetime.timedelta(days=1, minutes=1)) == 1
    digest = mails_to(friend)[0]
    assert "今度ランチでも" in digest.body_text and "/account/unsubscribe/" in digest.body_text
    assert "今日の" in digest.subject or "Today" in digest.subject


def test_weekly_is_not_offered_for_feed_and_daily_not_for_jobs():
    member = MemberFactory()
    with pytest.raises(ValidationError):
        do_set_preference(member, actions.MENTIONS, "weekly")
    with pytest.raises(ValidationError):
        do_set_preference(member, "jobs", "daily")


def test_the_staff_list_shows_group_announcements_only_to_those_who_read_the_group():
    """Moderators list announcements and stories, but one for a closed or secret group stays with those who
    read the group (its members and HR): its title and the group's name are not on an outsider's list."""
    from kizuna.feed.models import Audience
    from kizuna.groups.models import Group

    from ..groups.helpers import make_group

    insider = MemberFactory(role=Role.MODERATOR, left_on=None)
    outsider, admin = MemberFactory(role=Role.MODERATOR, left_on=None), MemberFactory(role=Role.ADMIN)
    secret = make_group(insider, name="極秘プロジェクト会", privacy=Group.Privacy.SECRET)
    official(insider, title="会員だけのお知らせ", audience=Audience.GROUP, group=secret)
    official(insider, title="全員へのお知らせ")
    seen_by_outsider = _client(outsider).get("/feed/official/").content.decode()
    assert "全員へのお知らせ" in seen_by_outsider
    assert "会員だけのお知らせ" not in seen_by_outsider and "極秘プロジェクト会" not in seen_by_outsider
    for reader in (insider, admin):
        assert "会員だけのお知らせ" in _client(reader).get("/feed/official/").content.decode()


def test_the_feed_card_shows_and_counts_an_own_reply_held_for_review_to_its_author_only(moderator_user):
    """A reply held by the word list shows on its author's feed card as on the post's page (marked as seen by them
    only), and counts there; everyone else's card neither shows nor counts it."""
    author, other = MemberFactory(), MemberFactory()
    shared = post(other, "みんなの投稿")
    actions.do_reply(other, shared, body="最初の返信")
    do_add_word(moderator_user, "勧誘")
    actions.do_reply(author, shared, body="勧誘の返信")
    own = _client(author).get("/feed/", {"view": "latest"}).content.decode()
    assert "勧誘の返信" in own and "あなたにだけ表示" in own and "返信 2件" in own
    theirs = _client(other).get("/feed/", {"view": "latest"}).content.decode()
    assert "勧誘の返信" not in theirs and "返信 1件" in theirs
