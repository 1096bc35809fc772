"""The feed in a real browser: a member posts with an image and mentions a former colleague (autocomplete);
the colleague sees the bell, opens the post, replies and reacts, and reports it; a moderator hides it."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from kizuna.feed.models import Post, Status
from kizuna.members.models import Role

from ..factories import MemberFactory
from .journeys import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _png(tmp_path):
    path = tmp_path / "office.png"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (40, 120, 200)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_post_mention_reply_react_report_and_hide(page, new_page, password, tmp_path):
    author = MemberFactory(name="投稿 太郎", email="author@example.jp")
    friend = MemberFactory(name="友人 花子", name_kana="ゆうじん はなこ", email="friend@example.jp")
    moderator = MemberFactory(name="運営 次郎", email="moderator@example.jp", role=Role.MODERATOR)

    log_in(page, author.email, password)
    page.get_by_role("link", name="フィード", exact=True).click()
    page.wait_for_url("**/feed/")  # loaded: the mention script (deferred) listens before we type
    body = page.locator("textarea[name=body]")
    body.fill("新しいオフィスに来ました。")
    body.press("End")
    body.type(" @友人")
    page.locator(".mention-list li", has_text="友人 花子").click()
    expect(body).to_have_value(f"新しいオフィスに来ました。 @[友人 花子](/members/{friend.pk}/) ")
    page.locator("input[name=image]").set_input_files(str(_png(tmp_path)))
    page.get_by_role("button", name="投稿", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("投稿しました")
    card = page.locator("article.post-card", has_text="新しいオフィスに来ました。")
    expect(card.locator("img.post-image")).to_be_visible()
    assert page.console_errors == []

    other = new_page()
    log_in(other, friend.email, password)
    expect(other.locator(".bell-count .badge")).to_have_text("1")
    other.locator("a.bell-link").click()
    other.get_by_role("link", name="投稿 太郎さんがあなたをメンションしました").click()
    expect(other.locator("main")).to_contain_text("新しいオフィスに来ました。")
    other.locator("textarea[name=body]").fill("素敵なオフィスですね！")
    other.get_by_role("button", name="返信", exact=True).click()
    expect(other.locator("#replies")).to_contain_text("素敵なオフィスですね！")
    other.locator("article.post-card button[value=celebrate]").click()
    expect(other.locator("article.post-card button[value=celebrate]")).to_have_attribute("aria-pressed", "true")
    expect(other.locator("article.post-card button[value=celebrate] .count")).to_have_text("1")

    other.locator("article.post-card a[href^='/report/post/']").click()
    other.locator("input[name=reason][value=spam]").check()
    other.locator("main form button.button[type=submit]").click()
    expect(other.get_by_role("status")).to_be_visible()

    desk = new_page()
    log_in(desk, moderator.email, password)
    desk.goto("/moderation/")
    desk.locator("main a[href^='/moderation/']", has_text="#").first.click()
    desk.locator("input[name=outcome][value=hide]").check()
    desk.locator("textarea[name=reason]").fill("ガイドラインの「宣伝の禁止」に当たるため非表示にしました。")
    desk.locator("main form button.button[type=submit]").last.click()
    expect(desk.get_by_role("status")).to_be_visible()
    post = Post.objects.get(author=author)
    assert post.status == Status.HIDDEN
    other.goto("/feed/?view=latest")
    expect(other.locator("main")).not_to_contain_text("新しいオフィスに来ました。")
