"""allauth's mail and pages speak like the rest of Kizuna; the language switch is kept on the account."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kizuna.core.models import NetworkSettings
from kizuna.members.models import State
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language, subject, text", [
    ("ja", "パスワードの再設定", "新しいパスワードを設定してください"),
    ("en", "Setting a new password", "Open this link to choose a new password"),
])
def test_password_reset_mail_is_signed_by_the_network_without_stock_greeting(
        client, language, subject, text, django_capture_on_commit_callbacks):
    network = NetworkSettings.load()
    member = MemberFactory(language=language)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": member.email})
    message = mail.outbox[-1]
    assert message.subject == subject, "no [site] prefix"
    assert text in message.body and message.body.rstrip().endswith(network.name)
    assert not re.search(r"こんにちは|Hello from|localhost:8000|example\.com", message.body)


def test_unknown_address_gets_a_plain_note(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "nobody@example.jp"})
    assert mail.outbox[-1].subject == "パスワード再設定のご依頼について"
    assert "このアドレスのアカウントはありません" in mail.outbox[-1].body


def test_suspended_member_is_told_to_contact_hr(client):
    member = MemberFactory(state=State.SUSPENDED)
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert "利用停止中" in page and "人事部" in page


def test_login_page_says_log_in_and_keep_me_logged_in(client):
    client.cookies.load({"django_language": "en"})
    page = client.get(reverse("account_login")).content.decode()
    assert "Log in" in page and "Keep me logged in" in page
    assert "Sign In" not in page and "Remember Me" not in page


def test_language_switch_is_saved_on_the_account_and_used_at_next_login(alumni_user):
    assert alumni_user.language == "ja"
    browser = Client()
    browser.force_login(alumni_user)
    response = browser.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    alumni_user.refresh_from_db()
    assert alumni_user.language == "en"

    other_device = Client()
    response = other_device.post(reverse("account_login"), {"login": alumni_user.email, "password": PASSWORD})
    assert response.cookies["django_language"].value == "en"


def test_language_switch_still_works_signed_out(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"


def test_privacy_notice_says_what_hr_keeps_after_withdrawal(client):
    page = client.get(reverse("privacy")).content.decode()
    assert "人事部が管理する在籍の記録（氏名と記録上のメールアドレス）は" in page
    assert "<p>法令に基づく場合を除き、ご本人の同意なく個人のデータを第三者に提供することはありません。</p>" in page
