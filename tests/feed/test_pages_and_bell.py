"""The feed pages: keyset pages without gaps or repeats, bounded queries per page, unread markers, the
API, the bell (count, list, mark read), the data download and withdrawal."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from kizuna.feed import actions
from kizuna.feed.access import Cursor, feed_page, viewer_of
from kizuna.feed.mentions import mention_markup
from kizuna.feed.models import Post, Reaction, Reply
from kizuna.groups.models import Group
from kizuna.members import actions as member_actions
from kizuna.members.models import Role
from kizuna.notifications.models import Alert

from ..factories import MemberFactory
from ..groups.helpers import add_member, make_group
from .helpers import official, post

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _many_posts(count, authors):
    for number in range(count):
        created = post(authors[number % len(authors)], f"投稿その{number}")
        Post.objects.filter(pk=created.pk).update(
            published_at=timezone.now() - timezone.timedelta(minutes=count - number))


@pytest.mark.parametrize("view", ["for_you", "latest"])
def test_keyset_pages_cover_everything_once(view):
    from kizuna.core.actions import ensure_department

    sales = ensure_department("営業部")
    reader = MemberFactory(department=sales)
    authors = [MemberFactory(department=sales), MemberFactory(), MemberFactory()]
    _many_posts(45, authors)
    seen, cursor = [], None
    while True:
        page = feed_page(viewer_of(reader), view, cursor, size=10)
        seen += [pk for _t, pk in page.pinned + page.keys]
        if page.next_cursor is None:
            break
        cursor = Cursor.decode(page.next_cursor.encode())
    assert len(seen) == len(set(seen)) == 45


def test_queries_per_page_are_bounded(django_assert_max_num_queries):
    reader = MemberFactory()
    group = make_group(MemberFactory(), name="テニス部", privacy=Group.Privacy.OPEN)
    add_member(group, reader)
    authors = [MemberFactory() for _ in range(6)]
    for author in authors:
        add_member(group, author)
    admin = MemberFactory(role=Role.ADMIN)
    official(admin, title="ピン", pinned=True)
    _many_posts(30, authors)
    for created in Post.objects.all()[:10]:
        actions.do_reply(authors[0], created, body="いいですね")
        actions.do_toggle_reaction(authors[1], created, "like")
    post(authors[2], "グループの話", audience="group", group=group)
    actions.do_record_joins()
    client = _client(reader)
    client.get("/feed/")  # warm the per-process caches (network settings, rules)
    with django_assert_max_num_queries(30):
        first = client.get("/feed/", {"view": "for_you"})
    cursor = first.content.decode().split("cursor=")[1].split("&")[0]
    with django_assert_max_num_queries(30):
        second = client.get("/feed/", {"view": "for_you", "cursor": cursor}, HTTP_HX_REQUEST="true")
    assert second.status_code == 200 and "<html" not in second.content.decode()
    with django_assert_max_num_queries(30):
        client.get("/feed/", {"view": "latest"})


def test_unread_markers():
    reader, author = MemberFactory(), MemberFactory()
    post(author, "古い投稿")
    client = _client(reader)
    new = 'class="badge accent">新着<'
    assert new not in client.get("/feed/", {"view": "latest"}).content.decode()  # a first visit marks nothing
    post(author, "新しい投稿")
    page = client.get("/feed/", {"view": "latest"}).content.decode()
    assert page.count(new) == 1
    assert new not in client.get("/feed/", {"view": "latest"}).content.decode()
    # Later pages (infinite scroll) carry the first page's marker.
    seen = int((timezone.now() - timezone.timedelta(days=1)).timestamp())
    partial = client.get("/feed/", {"view": "latest", "cursor": Cursor(2, timezone.now()).encode(), "seen": seen},
                         HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and partial.content.decode().count("post-card is-new") == 2


def test_api_reads_and_posts_with_the_same_rules():
    alumnus, employee = MemberFactory(role=Role.ALUMNI), MemberFactory(role=Role.EMPLOYEE)
    client = _client(alumnus)
    created = client.post("/api/v1/posts", json.dumps({"text": "APIから **投稿**", "audience": "alumni"}),
                          content_type="application/json")
    assert created.status_code == 201, created.content
    assert json.loads(created.content)["text"] == "APIから **投稿**"
    refused = client.post("/api/v1/posts", json.dumps({"text": "", "audience": "network"}),
                          content_type="application/json")
    assert refused.status_code == 422
    assert "APIから" not in json.dumps(_client(employee).get("/api/v1/feed").json(), ensure_ascii=False)
    assert "APIから" in json.dumps(client.get("/api/v1/feed?view=latest").json(), ensure_ascii=False)
    assert client.get("/api/v1/feed?cursor=nonsense").status_code == 400


def test_bell_counts_lists_and_marks_read():
    author, friend = MemberFactory(name="書き 手"), MemberFactory()
    post(author, f"{mention_markup(friend)} こんにちは")
    client = _client(friend)
    assert "1" in client.get("/notifications/count/").content.decode()
    page = client.get("/notifications/").content.decode()
    assert "書き 手" in page
    alert = Alert.objects.get(user=friend)
    opened = client.get(f"/notifications/{alert.pk}/")
    assert opened.status_code == 302 and opened["Location"].startswith("/feed/posts/")
    assert client.get("/notifications/count/").content.decode().strip() == ""
    post(author, f"{mention_markup(friend)} もう一度")
    client.post("/notifications/read/")
    assert not Alert.objects.filter(user=friend, read_at__isnull=True).exists()
    # Someone else's bell item is not there for you.
    assert _client(author).get(f"/notifications/{alert.pk}/").status_code == 404


def test_block_takes_bell_items_away():
    author, friend = MemberFactory(), MemberFactory()
    post(author, f"{mention_markup(friend)} やあ")
    member_actions.do_block(friend, author)
    assert "やあ" not in _client(friend).get("/notifications/").content.decode()


def test_data_download_and_withdrawal():
    author, reader = MemberFactory(), MemberFactory()
    mine = post(author, "ダウンロードに入る投稿")
    actions.do_reply(author, post(reader, "別の投稿"), body="ダウンロードに入る返信")
    actions.do_toggle_reaction(author, mine, "like")
    data = _client(author).get("/account/data.json").content.decode()
    assert "ダウンロードに入る投稿" in data and "ダウンロードに入る返信" in data
    actions.do_save_feed_settings(author, share_moves=True, keep_posts=False)
    member_actions.do_withdraw(author, author)
    assert not Post.objects.filter(author=author).exists()
    assert not Reply.objects.filter(author=author).exists()
    assert not Reaction.objects.filter(user=author).exists()


def test_the_bell_lets_go_of_what_moderators_hid_and_of_suspended_members(moderator_user, admin_user):
    """A bell item quotes the post: once moderators hide the post or reply, or suspend its author, the bell
    no longer shows it (the post itself is hidden everywhere else already)."""
    from kizuna.moderation import actions as moderation
    from kizuna.moderation.models import Item

    author, friend, reporter = MemberFactory(name="書き 手"), MemberFactory(), MemberFactory()
    hidden = post(author, f"{mention_markup(friend)} 隠される投稿の本文")
    shared = post(reporter, "みんなの投稿")
    reply = actions.do_reply(author, shared, body=f"{mention_markup(friend)} 隠される返信")
    kept = post(MemberFactory(name="停止 される"), f"{mention_markup(friend)} 停止される人の投稿")

    def bell():
        return _client(friend).get("/notifications/").content.decode()

    assert all(text in bell() for text in ("隠される投稿の本文", "みんなの投稿", "停止される人の投稿"))
    for obj, kind in ((hidden, "post"), (reply, "reply")):
        moderation.do_report(reporter, obj, "harassment")
        item = Item.objects.get(kind=kind, object_id=obj.pk)
        moderation.do_moderate(moderator_user, item, Item.Outcome.HIDDEN, "ガイドライン違反のため")
    member_actions.do_suspend(admin_user, kept.author)
    assert not any(text in bell() for text in ("隠される投稿の本文", "みんなの投稿", "停止される人の投稿"))
    assert _client(friend).get("/notifications/count/").content.decode().strip() == ""
