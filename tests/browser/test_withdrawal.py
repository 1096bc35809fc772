"""A member takes their data and leaves: afterwards they cannot log in and HR no longer finds them."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kizuna.members.models import State, User

from ..factories import MemberFactory
from .journeys import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_download_data_withdraw_and_disappear(page, new_page, admin_page, password):
    member = MemberFactory(email="sayonara@example.jp", name="退会 予定子", name_kana="たいかい よていこ")
    phone = new_page()
    log_in(phone, member.email, password)
    log_in(page, member.email, password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("退会 予定子")

    page.goto("/account/")
    with page.expect_download() as download:
        page.locator("main").get_by_role("link", name="データをダウンロード（JSON）").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["account"]["email"] == "sayonara@example.jp"
    assert exported["account"]["name"] == "退会 予定子"

    page.get_by_role("link", name="ネットワークを退会する").click()
    page.get_by_label("現在のパスワード").fill("not-my-password")
    page.get_by_role("button", name="退会してデータを消去する").click()
    expect(page.locator("main")).to_contain_text("パスワードが正しくありません。")
    member.refresh_from_db()
    assert member.state == State.ACTIVE and member.email == "sayonara@example.jp"

    page.get_by_label("現在のパスワード").fill(password)
    page.get_by_role("button", name="退会してデータを消去する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("退会しました")
    expect(page.get_by_role("link", name="ログイン").first).to_be_visible()
    assert User.objects.get(pk=member.pk).state == State.WITHDRAWN
    phone.goto("/account/")  # signed out on every device
    expect(phone).to_have_url("/accounts/login/?next=/account/")

    log_in(page, "sayonara@example.jp", password)
    expect(page.get_by_role("alert")).to_contain_text("正しくありません")
    expect(page).to_have_url("/accounts/login/")

    admin_page.goto("/manage/members/")
    admin_page.get_by_label("検索").fill("退会")
    admin_page.get_by_role("button", name="検索").click()
    expect(admin_page.locator("main")).to_contain_text("条件に合うメンバーはいません。")
    admin_page.get_by_label("検索").fill("sayonara@example.jp")
    admin_page.get_by_role("button", name="検索").click()
    expect(admin_page.locator("main")).to_contain_text("条件に合うメンバーはいません。")

    assert page.console_errors == [] and phone.console_errors == [] and admin_page.console_errors == []
