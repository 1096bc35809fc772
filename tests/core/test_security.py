import runpy

import pytest
from django.urls import reverse

from kizuna import settings as settings_module
from kizuna.members.models import Role, State
from tests.factories import PASSWORD, MemberFactory, with_totp

pytestmark = pytest.mark.django_db
LOGIN = reverse("account_login")


def log_in(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def signed_in(client):
    return client.get(reverse("api:me")).status_code == 200


# --- login -----------------------------------------------------------------------------------------

def test_verified_active_member_can_log_in(client):
    member = MemberFactory()
    assert log_in(client, member.email, PASSWORD)["Location"] == reverse("home")
    assert signed_in(client)


def test_repeated_failed_logins_are_blocked_with_a_clear_message(client):
    member = MemberFactory()
    for _ in range(5):
        page = log_in(client, member.email, "wrong password")
        assert page.status_code == 200
    blocked = log_in(client, member.email, PASSWORD)  # even the right password, for a while
    assert "ログイン失敗が連続しています。時間が経ってからやり直してください。" in blocked.content.decode()
    assert not signed_in(client)


@pytest.mark.parametrize("state", [State.SUSPENDED, State.WITHDRAWN])
def test_suspended_or_withdrawn_member_cannot_log_in(client, state):
    member = MemberFactory()
    member.state = state
    member.save()
    response = log_in(client, member.email, PASSWORD)
    assert response["Location"] == reverse("account_inactive")
    assert not signed_in(client)


# --- MFA for admins --------------------------------------------------------------------------------

@pytest.fixture
def mfa_required(settings):
    settings.KIZUNA_ADMIN_MFA_REQUIRED = True


def test_admin_without_totp_is_sent_to_set_it_up_and_gets_in_after(client, mfa_required):
    from allauth.mfa.totp.internal.auth import (
        SECRET_SESSION_KEY,
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    admin = MemberFactory(role=Role.ADMIN)
    log_in(client, admin.email, PASSWORD)
    response = client.get(reverse("admin_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp") + "?next=/manage/"

    setup = response["Location"]
    # allauth asks for the password again before changing two-factor settings
    assert client.get(setup)["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(setup).status_code == 200  # the set-up page with its QR code
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    client.post(setup, {"code": code})
    assert client.get(reverse("admin_home")).status_code == 200


def test_admin_with_totp_reaches_admin_pages(client, mfa_required):
    client.force_login(with_totp(MemberFactory(role=Role.ADMIN)))
    assert client.get(reverse("admin_home")).status_code == 200


def test_admin_with_totp_is_asked_for_a_code_at_login(client, mfa_required):
    admin = with_totp(MemberFactory(role=Role.ADMIN))
    response = log_in(client, admin.email, PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)


def test_demo_network_does_not_require_totp(client, settings):
    settings.KIZUNA_ADMIN_MFA_REQUIRED = False
    client.force_login(MemberFactory(role=Role.ADMIN))
    assert client.get(reverse("admin_home")).status_code == 200


def test_mfa_is_required_unless_demo(monkeypatch, tmp_path):
    def load(**env):
        monkeypatch.delenv("KIZUNA_DEMO", raising=False)  # whatever the shell running the tests set
        monkeypatch.setenv("KIZUNA_DATA_DIR", str(tmp_path))
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(settings_module.__file__)

    assert load()["KIZUNA_ADMIN_MFA_REQUIRED"] is True
    assert load(KIZUNA_DEMO="1")["KIZUNA_ADMIN_MFA_REQUIRED"] is False


# --- headers and cookies ---------------------------------------------------------------------------

def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # plain HTTP: no HSTS
    assert response.cookies.get("sessionid") is None or response.cookies["sessionid"]["httponly"]


def test_https_mode_sets_hsts_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KIZUNA_HTTPS", "1")
    https = runpy.run_path(settings_module.__file__)
    assert https["SECURE_HSTS_SECONDS"] >= 31536000
    assert https["SESSION_COOKIE_SECURE"] and https["CSRF_COOKIE_SECURE"] and https["LANGUAGE_COOKIE_SECURE"]
    assert https["SECURE_SSL_REDIRECT"]
    assert https["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_hsts_header_is_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_session_cookie_is_http_only_and_secure_in_https_mode(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    member = MemberFactory()
    response = log_in(client, member.email, PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"
