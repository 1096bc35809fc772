"""Profiles in a real browser: what one member hides vanishes for another; a block hides both from each other."""

import pytest
from playwright.sync_api import expect

from kizuna.members.models import CareerEntry, Profile, Role

from ..factories import MemberFactory
from .journeys import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_members(page, new_page, password):
    """Hanako (this browser) and Jiro (a second browser), both signed in."""
    hanako = MemberFactory(name="花山 花子", name_kana="はなやま はなこ", email="hanako@example.jp")
    jiro = MemberFactory(name="次山 次郎", name_kana="つぎやま じろう", email="jiro@example.jp", role=Role.EMPLOYEE)
    log_in(page, hanako.email, password)
    other = new_page()
    log_in(other, jiro.email, password)
    return hanako, jiro, other


def test_a_value_set_to_only_me_vanishes_for_another_member(page, two_members):
    hanako, jiro, other = two_members
    page.get_by_role("link", name="プロフィール", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("プロフィールを編集")
    page.get_by_label("現在の会社", exact=True).fill("株式会社ひみつ商会")
    page.get_by_label("スキル", exact=True).fill("Python、簿記")
    expect(page.locator("ul.tags.editable li")).to_have_count(2)
    page.get_by_role("button", name="プロフィールを保存").click()
    expect(page.get_by_role("status")).to_contain_text("プロフィールを保存しました")

    other.goto(f"/members/{hanako.pk}/")
    expect(other.get_by_role("heading", level=1)).to_have_text("花山 花子")
    expect(other.locator("main")).to_contain_text("株式会社ひみつ商会")

    page.get_by_role("link", name="プロフィールを編集").click()
    page.get_by_label("公開範囲 (現在の会社)").select_option(label="自分のみ")
    page.get_by_role("button", name="プロフィールを保存").click()
    expect(page.locator("main")).to_contain_text("株式会社ひみつ商会")  # the owner still sees it, marked
    expect(page.locator("main")).to_contain_text("自分のみ")
    page.get_by_role("link", name="社員", exact=True).click()
    expect(page.locator(".preview-note")).to_contain_text("社員から見た")
    expect(page.locator("main")).not_to_contain_text("株式会社ひみつ商会")

    other.reload()
    expect(other.get_by_role("heading", level=1)).to_have_text("花山 花子")
    expect(other.locator("main")).not_to_contain_text("株式会社ひみつ商会")
    expect(other.locator("main")).to_contain_text("Python")
    assert page.console_errors == [] and other.console_errors == []


def test_blocking_hides_both_members_from_each_other(page, two_members):
    hanako, jiro, other = two_members
    page.goto(f"/members/{jiro.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="このメンバーをブロック").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ブロックしたメンバー")
    expect(page.locator("main")).to_contain_text("次山 次郎")

    page.goto(f"/members/{jiro.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ページが見つかりません")
    other.goto(f"/members/{hanako.pk}/")
    expect(other.get_by_role("heading", level=1)).to_have_text("ページが見つかりません")

    page.console_errors.clear()  # the two 404 pages above are logged as failed loads

    page.goto("/account/blocks/")
    page.get_by_role("button", name="ブロックを解除").click()
    expect(page.locator("main")).to_contain_text("ブロックしているメンバーはいません")
    other.reload()
    expect(other.get_by_role("heading", level=1)).to_have_text("花山 花子")
    assert page.console_errors == []


def test_career_rows_and_links_are_added_and_removed_without_reloading(page, password):
    member = MemberFactory(email="career@example.jp")
    log_in(page, member.email, password)
    page.goto("/account/profile/")
    rows = page.locator("[data-career-row]:visible")
    expect(rows).to_have_count(1)
    rows.nth(0).get_by_label("役職").fill("主任")
    rows.nth(0).get_by_label("開始年月").fill("2012-04")
    page.get_by_role("button", name="経歴を追加").click()
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_label("役職").fill("課長")
    page.get_by_role("button", name="経歴を追加").click()
    rows.nth(2).get_by_label("役職").fill("消す行")
    rows.nth(2).get_by_role("button", name="削除").click()
    expect(rows).to_have_count(2)
    expect(page.get_by_label("リンク2")).to_be_hidden()
    page.get_by_label("リンク", exact=True).fill("https://example.com/me")
    page.get_by_role("button", name="リンクを追加").click()
    page.get_by_label("リンク2").fill("https://example.com/blog")
    page.get_by_role("button", name="プロフィールを保存").click()
    expect(page.get_by_role("status")).to_contain_text("プロフィールを保存しました")
    assert sorted(CareerEntry.objects.filter(user=member).values_list("title", flat=True)) == ["主任", "課長"]
    assert Profile.objects.get(user=member).links == ["https://example.com/me", "https://example.com/blog"]
    assert page.console_errors == []
