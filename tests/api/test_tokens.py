import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kizuna.core.models import AuditLog
from kizuna.members import actions
from kizuna.members.models import ApiToken, Role, State
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
TOKENS = reverse("api_tokens")


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def secret_on(page):
    match = re.search(r'id="new-token" value="(kzn_[^"]+)"', page.content.decode())
    return match.group(1) if match else None


def test_account_page_links_to_tokens(alumni_client):
    assert TOKENS in alumni_client.get(reverse("account")).content.decode()


def test_new_token_is_shown_once_and_only_its_hash_is_stored(alumni_client, alumni_user):
    page = alumni_client.post(TOKENS, {"name": "人事システム連携"})
    secret = secret_on(page)
    assert secret and len(secret) > 40
    assert "二度と表示されません" in page.content.decode()
    assert "no-store" in page["Cache-Control"]

    token = ApiToken.objects.get(user=alumni_user)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (token.name, token.prefix, token.key_hash)
    assert secret.startswith(token.prefix)

    again = alumni_client.get(TOKENS).content.decode()
    assert secret not in again
    assert f"{token.prefix}…" in again and "人事システム連携" in again
    assert AuditLog.objects.filter(action="token.create", actor=alumni_user).exists()


def test_token_works_for_the_api_and_shows_when_it_was_last_used(alumni_client, alumni_user):
    secret = secret_on(alumni_client.post(TOKENS, {"name": "script"}))
    alumni_client.logout()
    response = alumni_client.get(reverse("api:me"), **bearer(secret))
    assert response.status_code == 200
    assert response.json()["email"] == alumni_user.email
    assert ApiToken.objects.get(user=alumni_user).last_used_at is not None


def test_a_name_is_required(alumni_client):
    page = alumni_client.post(TOKENS, {"name": "  "})
    assert secret_on(page) is None
    assert not ApiToken.objects.exists()
    assert "このフィールドは必須です" in page.content.decode()


def test_active_tokens_are_limited(alumni_user, alumni_client):
    for n in range(actions.MAX_ACTIVE_API_TOKENS):
        actions.do_create_token(alumni_user, f"t{n}")
    page = alumni_client.post(TOKENS, {"name": "one too many"})
    assert secret_on(page) is None
    assert "有効なトークンがすでに" in page.content.decode()


def test_only_active_members_get_tokens():
    for state in (State.PENDING, State.SUSPENDED, State.WITHDRAWN, State.INVITED):
        with pytest.raises(ValidationError):
            actions.do_create_token(MemberFactory(state=state), "x")


def test_list_shows_only_own_tokens(alumni_client, alumni_user, employee_user, django_assert_max_num_queries):
    for n in range(5):
        actions.do_create_token(alumni_user, f"mine-{n}")
    actions.do_create_token(employee_user, "社員のトークン")
    with django_assert_max_num_queries(8):
        page = alumni_client.get(TOKENS).content.decode()
    assert page.count("<td>mine-") == 5
    assert "社員のトークン" not in page


def test_revoke_own_token(alumni_client, alumni_user):
    token, secret = actions.do_create_token(alumni_user, "old script")
    response = alumni_client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)
    page = response.content.decode()
    assert "無効にしました" in page
    assert "data-confirm" not in page.split("old script")[1].split("</tr>")[0]  # no revoke button any more
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditLog.objects.filter(action="token.revoke", target_id=str(token.pk)).exists()
    alumni_client.logout()
    assert alumni_client.get(reverse("api:me"), **bearer(secret)).status_code == 401


def test_revoking_twice_says_so(alumni_client, alumni_user):
    token, _secret = actions.do_create_token(alumni_user, "x")
    alumni_client.post(reverse("api_token_revoke", args=[token.pk]))
    page = alumni_client.post(reverse("api_token_revoke", args=[token.pk]), follow=True).content.decode()
    assert "すでに無効" in page


def test_another_members_token_is_404_and_stays_valid(alumni_client, employee_user):
    token, secret = actions.do_create_token(employee_user, "theirs")
    assert alumni_client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_post(alumni_client, alumni_user):
    token, _secret = actions.do_create_token(alumni_user, "x")
    assert alumni_client.get(reverse("api_token_revoke", args=[token.pk])).status_code == 405


def test_revoke_button_asks_for_confirmation(alumni_client, alumni_user):
    actions.do_create_token(alumni_user, "ci")
    page = alumni_client.get(TOKENS).content.decode()
    assert 'data-confirm="トークン「ci」を無効にしますか' in page


def test_admin_without_totp_must_set_it_up_before_creating_tokens(client, settings):
    settings.KIZUNA_ADMIN_MFA_REQUIRED = True
    admin = MemberFactory(role=Role.ADMIN)
    client.force_login(admin)
    response = client.get(TOKENS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_page_in_english(alumni_client):
    alumni_client.cookies.load({"django_language": "en"})
    page = alumni_client.post(TOKENS, {"name": "x"}).content.decode()
    assert "Copy it now" in page and "API tokens" in page
