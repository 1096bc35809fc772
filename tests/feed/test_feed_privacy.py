"""A post for a group or one side of the network never reaches others — page, htmx partial, API, bell,
email — and blocks hide posts, replies and mentions both ways. Activity items say only what the reader may
see of the member."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from kizuna.feed import actions
from kizuna.feed.access import Cursor, feed_page, viewer_of
from kizuna.feed.mentions import mention_markup
from kizuna.feed.models import Audience
from kizuna.groups.models import Group
from kizuna.members import actions as member_actions
from kizuna.members.models import Role

from ..factories import MemberFactory
from ..groups.helpers import add_member, make_group
from .helpers import alerts, mails_to, post

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _everywhere(user, text):
    """Where a member could read a post's text: both feed views, the next-page partial, the API."""
    client = _client(user)
    pages = [client.get("/feed/", {"view": view}).content.decode() for view in ("for_you", "latest")]
    partial = client.get("/feed/", {"view": "latest", "cursor": Cursor(2, _later()).encode()},
                         HTTP_HX_REQUEST="true").content.decode()
    api = json.dumps(client.get("/api/v1/feed", {"view": "latest"}).json(), ensure_ascii=False)
    return [text in page for page in [*pages, partial, api]]


def _later():
    from django.utils import timezone

    return timezone.now() + timezone.timedelta(minutes=1)


def test_one_side_of_the_network_never_reaches_the_other(outbox_backend):
    alumnus, other_alumnus = MemberFactory(role=Role.ALUMNI), MemberFactory(role=Role.ALUMNI)
    employee = MemberFactory(role=Role.EMPLOYEE, name="社員 一郎")
    body = f"アルムナイだけの話です {mention_markup(employee)} {mention_markup(other_alumnus)}"
    secret = post(alumnus, body, audience=Audience.ALUMNI)
    assert all(_everywhere(other_alumnus, "アルムナイだけの話です"))
    assert not any(_everywhere(employee, "アルムナイだけの話です"))
    assert _client(employee).get(f"/feed/posts/{secret.pk}/").status_code == 404
    assert _client(employee).get(f"/feed/posts/{secret.pk}/image/").status_code == 404
    # The employee was mentioned but may not see the post: no bell item, no email.
    assert alerts(employee) == [] and mails_to(employee) == []
    assert len(alerts(other_alumnus)) == 1 and len(mails_to(other_alumnus)) == 1


def test_an_employee_cannot_post_to_alumni_only():
    employee = MemberFactory(role=Role.EMPLOYEE)
    with pytest.raises(ValidationError, match="ご自身の属する側"):
        post(employee, "x", audience=Audience.ALUMNI)


def test_a_group_post_stays_in_the_group(outbox_backend):
    owner, member, outsider = MemberFactory(), MemberFactory(), MemberFactory(name="部外 者")
    group = make_group(owner, name="秘密の会", privacy=Group.Privacy.SECRET)
    add_member(group, member)
    body = f"グループ内の話 {mention_markup(outsider)} {mention_markup(member)}"
    inside = post(owner, body, audience=Audience.GROUP, group=group)
    assert all(_everywhere(member, "グループ内の話"))
    assert not any(_everywhere(outsider, "グループ内の話"))
    assert _client(outsider).get(f"/feed/posts/{inside.pk}/").status_code == 404
    assert alerts(outsider) == [] and mails_to(outsider) == []
    assert len(alerts(member)) == 1
    with pytest.raises(ValidationError, match="参加しているグループ"):
        post(outsider, "入れて", audience=Audience.GROUP, group=group)


def test_blocks_hide_posts_replies_and_mentions_both_ways(outbox_backend):
    blocker, blocked, third = MemberFactory(name="拒否 する"), MemberFactory(name="拒否 される"), MemberFactory()
    member_actions.do_block(blocker, blocked)
    mine = post(blocker, "ブロックした人の投稿")
    theirs = post(blocked, f"ブロックされた人の投稿 {mention_markup(blocker)}")
    assert not any(_everywhere(blocker, "ブロックされた人の投稿"))
    assert not any(_everywhere(blocked, "ブロックした人の投稿"))
    assert alerts(blocker) == [] and mails_to(blocker) == []  # the mention tells nobody
    shared = post(third, "みんなの投稿")
    actions.do_reply(blocked, shared, body="ブロックされた人の返信")
    actions.do_reply(blocker, shared, body="ブロックした人の返信")
    assert "ブロックされた人の返信" not in _client(blocker).get(f"/feed/posts/{shared.pk}/").content.decode()
    assert "ブロックした人の返信" not in _client(blocked).get(f"/feed/posts/{shared.pk}/").content.decode()
    assert _client(blocker).get(f"/feed/posts/{theirs.pk}/").status_code == 404
    assert _client(blocked).get(f"/feed/posts/{mine.pk}/").status_code == 404
    # Replies and reactions of a blocked member to the other's post tell nobody either.
    with pytest.raises(ValidationError):
        actions.do_reply(blocked, mine, body="届かない")
    assert alerts(blocker) == []


def test_suspended_members_posts_are_hidden_and_withdrawn_ones_anonymous(admin_user):
    reader, suspended, leaving = MemberFactory(), MemberFactory(name="停止 中"), MemberFactory(name="退会 予定")
    post(suspended, "停止中の人の投稿")
    post(leaving, "退会する人の投稿")
    member_actions.do_suspend(admin_user, suspended)
    page = _client(reader).get("/feed/", {"view": "latest"}).content.decode()
    assert "停止中の人の投稿" not in page
    member_actions.do_withdraw(leaving, leaving)
    page = _client(reader).get("/feed/", {"view": "latest"}).content.decode()
    assert "退会する人の投稿" in page and "退会 予定" not in page and "退会したメンバー" in page


def test_a_mention_of_a_member_who_withdraws_keeps_neither_their_name_nor_a_link(outbox_backend):
    """Posts and replies that mentioned a member who has withdrawn show 「@退会したメンバー」 wherever they are
    read: the feed, its partial, the API, the post's page, the author's edit form, the bell and later emails.
    A composer still holding the mention from before the withdrawal posts it the same way."""
    from kizuna.core.models import OutboxEmail

    author, friend, reader = MemberFactory(name="書き 手"), MemberFactory(name="友人 一郎"), MemberFactory()
    leaving = MemberFactory(name="退会 予定")
    markup = mention_markup(leaving)
    mentioning = post(author, f"{markup} と {mention_markup(friend)} に感謝")
    actions.do_reply(author, post(reader, "送別会の写真"), body=f"{markup} またどこかで")
    actions.do_toggle_reaction(reader, mentioning, "thanks")  # the author's bell item quotes the post too
    assert any("退会 予定" in text for text in alerts(friend))

    member_actions.do_withdraw(leaving, leaving)
    later = post(author, f"{markup} 退会後に送信")

    assert _everywhere(reader, "退会 予定") == [False] * 4
    assert _everywhere(reader, "@退会したメンバー") == [True] * 4
    for shown in (mentioning, later):
        page = _client(reader).get(f"/feed/posts/{shown.pk}/").content.decode()
        assert "退会 予定" not in page and f"/members/{leaving.pk}/" not in page and "@退会したメンバー" in page
    assert "退会 予定" not in _client(author).get(f"/feed/posts/{mentioning.pk}/edit/").content.decode()
    assert not any("退会 予定" in text for member in (friend, author) for text in alerts(member))
    mentioning.refresh_from_db()  # as a request loads it
    actions.do_reply(reader, mentioning, body="素敵ですね")  # the author is emailed a quote of the post
    mail = OutboxEmail.objects.filter(to=author.email).latest("pk")
    assert "素敵ですね" in mail.body_text and "退会 予定" not in mail.body_text


def test_earlier_audit_entries_no_longer_quote_the_text():
    """Audit entries were labelled with the text's beginning (and so a mentioned member's name): the migration
    labels those of posts, replies and deleted posts by number; announcements keep their title."""
    import importlib

    from django.apps import apps

    from kizuna.core.models import AuditLog

    from .helpers import official

    migration = importlib.import_module("kizuna.feed.migrations.0002_audit_labels_without_text")
    author, leaving = MemberFactory(), MemberFactory(name="退会 予定")
    mentioning = post(author, "前置き")
    reply = actions.do_reply(author, mentioning, body="返信")
    gone = post(author, "消す投稿")
    gone_pk = gone.pk
    actions.do_delete_post(author, gone)
    news = official(MemberFactory(role=Role.ADMIN), title="お知らせの題")
    AuditLog.objects.filter(target_type__in=["feed.post", "feed.reply"]).exclude(target_id=str(news.pk)).update(
        target_label=f"{mention_markup(leaving)} さんへ")  # as entries were labelled before

    migration.labels_without_text(apps, None)
    labels = {(entry.target_type, entry.target_id): entry.target_label
              for entry in AuditLog.objects.filter(target_type__startswith="feed.")}
    assert labels == {("feed.post", str(mentioning.pk)): f"#{mentioning.pk}",
                      ("feed.reply", str(reply.pk)): f"#{reply.pk}",
                      ("feed.post", str(gone_pk)): f"#{gone_pk}",
                      ("feed.post", str(news.pk)): "お知らせの題"}


def test_joined_item_shows_only_what_the_reader_may_see():
    import datetime

    from kizuna.core.actions import ensure_department

    department = ensure_department("営業本部/法人営業部")
    newcomer = MemberFactory(name="山田 花子", role=Role.ALUMNI, joined_on=datetime.date(2015, 4, 1),
                             department=department)
    member_actions.do_update_profile(newcomer, {}, visibility={"department": "alumni"})
    actions.do_record_joins()
    alumnus, employee = MemberFactory(role=Role.ALUMNI), MemberFactory(role=Role.EMPLOYEE)
    seen_by_alumnus = _client(alumnus).get("/feed/", {"view": "latest"}).content.decode()
    seen_by_employee = _client(employee).get("/feed/", {"view": "latest"}).content.decode()
    assert "山田 花子" in seen_by_alumnus and "2015年入社・法人営業部" in seen_by_alumnus
    assert "山田 花子" in seen_by_employee and "2015年入社" in seen_by_employee
    assert "法人営業部" not in seen_by_employee


def test_for_you_order_pinned_then_near_then_rest():
    from kizuna.core.actions import ensure_department

    sales = ensure_department("営業部")
    reader = MemberFactory(department=sales)
    colleague, stranger = MemberFactory(department=sales), MemberFactory()
    admin = MemberFactory(role=Role.ADMIN)
    from .helpers import official

    pinned = official(admin, title="ピン留め", pinned=True)
    near = post(colleague, "同じ部署の投稿")
    rest = post(stranger, "他の人の新しい投稿")
    page = feed_page(viewer_of(reader), "for_you")
    order = [pk for _t, pk in page.pinned] + [pk for _t, pk in page.keys]
    assert order.index(pinned.pk) < order.index(near.pk) < order.index(rest.pk)
    latest = [pk for _t, pk in feed_page(viewer_of(reader), "latest").keys]
    assert latest.index(rest.pk) < latest.index(near.pk)


def test_a_new_position_of_a_member_hidden_from_the_directory_is_not_announced():
    """A member who hid themselves from the directory is not put in front of the network by the feed's
    activity items: neither "joined" nor "has a new position" names them (their own posts still do)."""
    mover = MemberFactory(name="転職 太郎")
    member_actions.do_update_profile(mover, {"current_company": "旧商事"})
    member_actions.do_update_profile(mover, {"current_company": "新興ソリューションズ"})
    reader = MemberFactory()
    assert all(_everywhere(reader, "新興ソリューションズ"))  # the move is news while the member is findable
    member_actions.do_set_hidden(mover, True)
    assert not any(_everywhere(reader, "新興ソリューションズ"))
    assert not any(_everywhere(reader, "転職 太郎"))


def test_a_new_title_hidden_from_the_reader_is_not_announced_by_the_company_they_see():
    """"Has a new position" tells of the company or the title that changed; a reader who may see only the
    company (unchanged) must not learn from the item that the hidden title changed."""
    mover = MemberFactory(name="昇進 花子", role=Role.ALUMNI)
    member_actions.do_update_profile(mover, {"current_company": "同じ商事", "current_title": "課長"},
                                     visibility={"current_title": "alumni"})
    member_actions.do_update_profile(mover, {"current_title": "部長"})
    alumnus, employee = MemberFactory(role=Role.ALUMNI), MemberFactory(role=Role.EMPLOYEE)
    assert all(_everywhere(alumnus, "部長"))
    assert not any(_everywhere(employee, "昇進 花子"))
    member_actions.do_update_profile(mover, {"current_company": "新しい商事"})
    assert all(_everywhere(employee, "新しい商事")) and not any(_everywhere(employee, "部長"))


def test_a_department_hidden_later_no_longer_lifts_old_posts_into_colleagues_section(
        django_capture_on_commit_callbacks):
    """"For you" puts posts of the reader's department first only while the author shows the department to
    every member: hiding it later takes the author's earlier posts out of that section too."""
    from django.utils import timezone

    from kizuna.core.actions import ensure_department
    from kizuna.feed.models import Post

    sales = ensure_department("営業部")
    reader, colleague, stranger = MemberFactory(department=sales), MemberFactory(department=sales), MemberFactory()
    earlier = post(colleague, "同じ部署の少し前の投稿")
    Post.objects.filter(pk=earlier.pk).update(published_at=timezone.now() - timezone.timedelta(days=2))
    newer = post(stranger, "他の人の新しい投稿")

    def for_you():
        return [pk for _t, pk in feed_page(viewer_of(reader), "for_you").keys]

    assert for_you().index(earlier.pk) < for_you().index(newer.pk)
    member_actions.do_update_profile(colleague, {}, visibility={"department": "alumni"})
    assert for_you().index(newer.pk) < for_you().index(earlier.pk)
    # The same when HR's rules no longer let any member show the department to everyone.
    member_actions.do_update_profile(colleague, {}, visibility={"department": "members"})
    assert for_you().index(earlier.pk) < for_you().index(newer.pk)
    hr = MemberFactory(role=Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        member_actions.do_update_profile_rules(hr, {"department": {"default": "alumni", "allowed": ["alumni"]}})
    assert for_you().index(newer.pk) < for_you().index(earlier.pk)


def test_reaction_counts_count_the_people_the_reactions_list_shows(admin_user):
    """The count beside a reaction and the list of who reacted agree: a suspended member is in neither (and
    a member blocked either way is in neither too)."""
    author, reader = MemberFactory(), MemberFactory()
    liked = post(author, "いいねされる投稿")
    suspended, blocked, friend = MemberFactory(name="停止 中"), MemberFactory(name="拒否 済"), MemberFactory()
    for member in (suspended, blocked, friend):
        actions.do_toggle_reaction(member, liked, "like")
    member_actions.do_block(reader, blocked)
    member_actions.do_suspend(admin_user, suspended)
    [item] = [i for i in _client(reader).get("/api/v1/feed", {"view": "latest"}).json()["results"]
              if i["id"] == liked.pk]
    assert item["reactions"] == [{"kind": "like", "count": 1, "mine": False}]
    page = _client(reader).get(f"/feed/posts/{liked.pk}/").content.decode()
    assert "停止 中" not in page and "拒否 済" not in page


def test_an_activity_item_the_reader_is_not_shown_takes_no_reactions_or_replies():
    """An item that shows a reader nothing (here: a move of someone hidden from the directory) is a 404 for
    the post page, reactions (with or without htmx) and replies, and nothing is stored."""
    from kizuna.feed.models import Activity, Post, Reaction, Reply

    mover = MemberFactory()
    member_actions.do_update_profile(mover, {"current_company": "旧商事"})
    member_actions.do_update_profile(mover, {"current_company": "新商事"})
    member_actions.do_set_hidden(mover, True)
    moved = Post.objects.get(activity=Activity.MOVED)
    client = _client(MemberFactory())
    assert client.get(f"/feed/posts/{moved.pk}/").status_code == 404
    assert client.post(f"/feed/posts/{moved.pk}/react/", {"kind": "like"}).status_code == 404
    assert client.post(f"/feed/posts/{moved.pk}/react/", {"kind": "like"}, HTTP_HX_REQUEST="true").status_code == 404
    assert client.post(f"/feed/posts/{moved.pk}/reply/", {"body": "おめでとう"}).status_code == 404
    assert not Reaction.objects.exists() and not Reply.objects.exists()


def test_a_reply_nobody_is_shown_cannot_be_reported_either(admin_user):
    """The report form opens only for what the member is shown: not for the reply of a suspended member
    (hidden while suspended), as for their posts."""
    author, replier, reader = MemberFactory(), MemberFactory(), MemberFactory()
    shared = post(author, "みんなの投稿")
    reply = actions.do_reply(replier, shared, body="停止される人の返信")
    client = _client(reader)
    assert client.get(f"/report/reply/{reply.pk}/").status_code == 200
    member_actions.do_suspend(admin_user, replier)
    assert "停止される人の返信" not in client.get(f"/feed/posts/{shared.pk}/").content.decode()
    assert client.get(f"/report/reply/{reply.pk}/").status_code == 404
