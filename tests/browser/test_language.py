import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_switch_language_and_back(page):
    page.goto("/")
    expect(page.get_by_role("link", name="ログイン").first).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome to")
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    page.get_by_role("button", name="日本語").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("へようこそ")
    assert page.console_errors == []


def test_member_logs_in_with_email_and_password(page, alumni_user, password):
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(alumni_user.email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(alumni_user.name)
