"""The directory in a real browser: search as you type (a reading in katakana finds a name stored in
hiragana), filters and "Show more" through htmx with a shareable URL, a value that vanishes when its owner
hides it, and a block that makes two members lose each other."""

import re

import pytest
from playwright.sync_api import expect

from kizuna.directory.results import PAGE_SIZE
from kizuna.members import actions
from kizuna.members.models import Visibility

from ..directory.helpers import member_with_profile
from ..factories import MemberFactory
from .journeys import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def cards(page):
    return page.locator(".member-card")


def search_box(page):
    return page.get_by_role("searchbox", name="検索")


@pytest.fixture
def colleagues(db):
    return {
        "hayashi": member_with_profile("林 一郎", "はやし いちろう", current_company="ハヤシ商店", purposes=["mentor"]),
        "sato": member_with_profile("佐藤 花子", "さとう はなこ", current_company="絆ソフト", purposes=["return"]),
    }


def test_search_as_you_type_and_filter_by_purpose(page, alumni_user, password, colleagues):
    log_in(page, alumni_user.email, password)
    page.get_by_role("link", name="名簿").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("名簿")
    expect(page.locator("#result-count")).to_have_text("3人")
    search_box(page).fill("ハヤシ")  # katakana; the reading is stored in hiragana
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("林 一郎")
    expect(page.locator("#result-count")).to_have_text("1人")
    expect(page).to_have_url(re.compile(r"/members/\?q=%E3%83%8F%E3%83%A4%E3%82%B7"))  # shareable
    search_box(page).fill("")
    page.get_by_label("再入社に関心").check()
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("佐藤 花子")
    expect(page).to_have_url(re.compile(r"purposes=return"))
    # The URL reopens the same search, filters ticked.
    page.reload()
    expect(page.get_by_label("再入社に関心")).to_be_checked()
    expect(cards(page)).to_have_count(1)
    assert page.console_errors == []


def test_show_more_appends_the_next_page(page, alumni_user, password):
    for n in range(PAGE_SIZE + 3):
        MemberFactory(name=f"会員 {n:02d}", name_kana=f"かいいん {n:02d}")
    log_in(page, alumni_user.email, password)
    page.goto("/members/?q=会員")
    expect(cards(page)).to_have_count(PAGE_SIZE)
    page.get_by_role("link", name="もっと見る").click()
    expect(cards(page)).to_have_count(PAGE_SIZE + 3)
    expect(page.get_by_role("link", name="もっと見る")).to_have_count(0)
    # Keyboard users continue where the new cards start: on the first new card's profile link.
    expect(cards(page).nth(PAGE_SIZE).locator("h3 a")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/members/\?q=[^&]+$"))  # "more" does not change the shared URL
    assert page.console_errors == []


def test_filters_fold_away_on_a_phone(page, alumni_user, password, colleagues):
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, alumni_user.email, password)
    page.goto("/members/")
    toggle = page.get_by_role("button", name="絞り込み")
    expect(page.get_by_label("メンター")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.get_by_label("メンター").check()  # the results follow at once, the panel stays open
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("林 一郎")
    page.get_by_role("button", name="絞り込む").click()  # done: the panel folds away over the results
    expect(page.get_by_label("メンター")).to_be_hidden()
    expect(cards(page)).to_have_count(1)
    assert page.console_errors == []


def test_a_value_vanishes_when_its_owner_hides_it(page, alumni_user, password, colleagues):
    log_in(page, alumni_user.email, password)
    page.goto("/members/")
    search_box(page).fill("ハヤシ商店")
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("ハヤシ商店")
    actions.do_update_profile(colleagues["hayashi"], {}, visibility={"current_company": Visibility.EMPLOYEES})
    search_box(page).fill("林")
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).not_to_contain_text("ハヤシ商店")
    search_box(page).fill("ハヤシ商店")  # nor can it be found by it
    expect(cards(page)).to_have_count(0)
    expect(page.get_by_text("条件に合うメンバーは見つかりませんでした。")).to_be_visible()
    assert page.console_errors == []


def test_a_block_makes_both_lose_each_other(page, new_page, alumni_user, password, colleagues):
    hayashi = colleagues["hayashi"]
    log_in(page, alumni_user.email, password)
    page.goto("/members/")
    expect(cards(page).filter(has_text="林 一郎")).to_have_count(1)
    other = new_page()
    log_in(other, hayashi.email, password)
    other.goto("/members/")
    expect(cards(other).filter(has_text=alumni_user.name)).to_have_count(1)

    actions.do_block(hayashi, alumni_user)
    for viewer, gone in ((page, "林 一郎"), (other, alumni_user.name)):
        viewer.reload()
        expect(cards(viewer).filter(has_text=gone)).to_have_count(0)
        search_box(viewer).fill(gone.split()[0])
        expect(viewer.locator("#result-count")).to_have_text("0人")
    assert page.console_errors == [] and other.console_errors == []
