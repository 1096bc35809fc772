"""The two ways in for alumni, end to end in a real browser: invitation and application."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from kizuna.core.text import normalize
from kizuna.members import actions
from kizuna.members.models import State, User

from ..factories import LeaverRecordFactory
from .journeys import log_in

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "yuki-no-hana-2030"


def test_invite_register_log_in(page, admin_user):
    record = LeaverRecordFactory(name="髙橋 一郎", name_kana="タカハシ イチロウ", name_key=normalize("髙橋 一郎"),
                                 kana_key=normalize("タカハシ イチロウ"))
    invitation = actions.do_invite(admin_user, record)
    page.goto(actions.invitation_url(invitation))
    expect(page.get_by_role("heading", level=1)).to_contain_text("に参加")
    expect(page.get_by_label("氏名")).to_have_value("髙橋 一郎")
    page.get_by_label("パスワード", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("パスワード（確認用）").fill(NEW_PASSWORD)
    page.get_by_label("コミュニティガイドラインに同意します。").check()
    page.get_by_label("利用目的での個人情報の取り扱いに同意します").check()
    page.get_by_role("button", name="参加する").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("髙橋 一郎さん、こんにちは")

    page.get_by_role("button", name="ログアウト").click()
    log_in(page, record.email, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("髙橋 一郎さん、こんにちは")
    assert page.console_errors == []


def test_apply_approve_log_in(page, admin_page):
    LeaverRecordFactory(employee_number="E000777", name="佐藤 花子", name_key=normalize("佐藤 花子"),
                        kana_key=normalize("サトウ ハナコ"))
    page.goto("/apply/")
    page.get_by_label("氏名").fill("佐藤 花子")
    page.get_by_label("よみがな").fill("さとう はなこ")
    page.get_by_label("メールアドレス", exact=True).fill("hanako@example.net")
    page.get_by_label("パスワード", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("パスワード（確認用）").fill(NEW_PASSWORD)
    page.get_by_label("社員番号").fill("E000777")
    page.get_by_label("入社した年").fill("2015")
    page.get_by_label("退職した年").fill("2022")
    page.get_by_label("コミュニティガイドラインに同意します。").check()
    page.get_by_label("利用目的での個人情報の取り扱いに同意します").check()
    page.get_by_role("button", name="申請を送る").click()
    expect(page.locator("main")).to_contain_text("申請ありがとうございます")

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.locator("main").get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("参加申請の状況")
    expect(page.locator("main")).to_contain_text("承認待ち")

    admin_page.goto("/manage/applications/")
    admin_page.get_by_role("link", name="確認する").click()
    expect(admin_page.locator(".candidate").first).to_contain_text("E000777")
    expect(admin_page.locator(".candidate input").first).to_be_checked()
    admin_page.get_by_role("button", name="承認する").click()
    expect(admin_page.locator(".messages")).to_contain_text("佐藤 花子さんを承認し")
    assert admin_page.console_errors == []

    assert User.objects.get(email="hanako@example.net").state == State.ACTIVE
    assert "承認されました" in mail.outbox[-1].subject
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("佐藤 花子さん、こんにちは")
    page.get_by_role("button", name="ログアウト").click()
    log_in(page, "hanako@example.net", NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("佐藤 花子さん、こんにちは")
    assert page.console_errors == []
