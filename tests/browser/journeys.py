"""Steps that several browser journeys share: signing in, with or without the TOTP step."""

import time

from playwright.sync_api import expect


def current_totp_code(user):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    secret = decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"])
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()


def log_in_with_totp(page, user, password):
    """Email and password, then the authenticator code (admins must have TOTP)."""
    log_in(page, user.email, password)
    page.get_by_label("コード").fill(current_totp_code(user))
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()
