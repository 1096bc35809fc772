import pytest
from playwright.sync_api import expect

from .journeys import log_in

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
    log_in(page, alumni_user.email, password)
    expect(page.get_by_role("heading", level=1)).to_contain_text(alumni_user.name)


def test_switching_language_on_an_admin_page_stays_on_that_page(admin_page):
    page = admin_page
    page.goto("/manage/members/?q=人事")
    expect(page.get_by_role("heading", level=1)).to_have_text("メンバー")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    expect(page.get_by_label("Search")).to_have_value("人事")
    expect(page.get_by_role("row").filter(has_text="hr@example.jp")).to_be_visible()
    page.get_by_role("button", name="日本語").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("メンバー")
    expect(page.get_by_label("検索")).to_have_value("人事")
    assert page.console_errors == []
