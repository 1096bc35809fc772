import datetime

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.core.actions import ensure_company, ensure_department
from kizuna.members import actions
from kizuna.members.models import Role, State
from tests.factories import MemberFactory, with_totp

pytestmark = pytest.mark.django_db
ME = "/api/v1/me"
STATS = "/api/v1/stats"


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def token(alumni_user):
    return actions.do_create_token(alumni_user, "test")


def test_without_credentials_the_answer_is_401_json(client):
    response = client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Bearer" in response.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer kzn_not-a-real-token", "Bearer ", "Token abc", "Basic dXNlcjpwYXNz"])
def test_wrong_credentials_get_401(client, header):
    assert client.get(ME, HTTP_AUTHORIZATION=header).status_code == 401


def test_me_returns_the_token_owners_own_account(client, token, alumni_user):
    alumni_user.company = ensure_company("絆テクノロジーズ")
    alumni_user.department = ensure_department("開発本部/インフラ部")
    alumni_user.joined_on, alumni_user.left_on = datetime.date(2015, 4, 1), datetime.date(2022, 3, 31)
    alumni_user.save()
    response = client.get(ME, **bearer(token[1]))
    assert response.status_code == 200
    account = {
        "id": alumni_user.pk, "email": alumni_user.email, "name": alumni_user.name,
        "name_kana": alumni_user.name_kana, "role": "alumni", "state": "active", "language": "ja",
        "company": "絆テクノロジーズ", "department": "開発本部/インフラ部",
        "joined_on": "2015-04-01", "left_on": "2022-03-31",
    }
    assert {key: response.json()[key] for key in account} == account  # the profile follows (test_members_api)


def test_revoked_token_gets_401(client, token):
    actions.do_revoke_token(None, token[0])
    assert client.get(ME, **bearer(token[1])).status_code == 401


@pytest.mark.parametrize("state", [State.SUSPENDED, State.WITHDRAWN, State.PENDING])
def test_token_of_an_account_no_longer_active_gets_401(client, token, alumni_user, state):
    alumni_user.state = state
    alumni_user.save()
    assert client.get(ME, **bearer(token[1])).status_code == 401


def test_session_works_for_active_members_only(client, alumni_user):
    client.force_login(alumni_user)
    assert client.get(ME).json()["email"] == alumni_user.email
    pending = MemberFactory(state=State.PENDING)
    client.force_login(pending)
    assert client.get(ME).status_code == 401


def test_member_token_gets_403_on_admin_endpoints(client, token):
    response = client.get(STATS, **bearer(token[1]))
    assert response.status_code == 403
    assert response.json() == {"detail": "Admins only."}


def test_admin_token_reaches_admin_endpoints(client, admin_user, alumni_user):
    _token, secret = actions.do_create_token(admin_user, "HR system")
    response = client.get(STATS, **bearer(secret))
    assert response.status_code == 200
    assert response.json()["members_by_state"] == {"active": 2}


def test_admin_session_needs_totp_for_admin_endpoints(client, settings):
    settings.KIZUNA_ADMIN_MFA_REQUIRED = True
    admin = MemberFactory(role=Role.ADMIN)
    client.force_login(admin)
    response = client.get(STATS)
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    with_totp(admin)
    assert client.get(STATS).status_code == 200


def test_token_of_a_member_promoted_to_admin_needs_totp_for_admin_endpoints(client, settings, admin_user):
    settings.KIZUNA_ADMIN_MFA_REQUIRED = True
    alumnus = MemberFactory(email="promoted@example.jp")
    _token, secret = actions.do_create_token(alumnus, "sync")
    actions.do_change_role(admin_user, alumnus, Role.ADMIN)
    response = client.get(STATS, **bearer(secret))
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]
    assert client.get(ME, **bearer(secret)).status_code == 200  # member endpoints stay open
    with_totp(alumnus)
    assert client.get(STATS, **bearer(secret)).status_code == 200


def test_admin_token_stops_reaching_admin_endpoints_when_totp_is_removed(client, settings, admin_user):
    from allauth.mfa.models import Authenticator

    settings.KIZUNA_ADMIN_MFA_REQUIRED = True
    _token, secret = actions.do_create_token(admin_user, "HR system")
    assert client.get(STATS, **bearer(secret)).status_code == 200
    Authenticator.objects.filter(user=admin_user).delete()
    assert client.get(STATS, **bearer(secret)).status_code == 403
    leavers = client.post("/api/v1/leavers", {"rows": []}, content_type="application/json", **bearer(secret))
    assert leavers.status_code == 403


def test_admin_token_works_without_totp_in_the_demo_network(client, settings):
    settings.KIZUNA_ADMIN_MFA_REQUIRED = False  # what KIZUNA_DEMO=1 sets
    _token, secret = actions.do_create_token(MemberFactory(role=Role.ADMIN), "HR system")
    assert client.get(STATS, **bearer(secret)).status_code == 200


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_docs_and_schema_are_served(client):
    assert client.get(reverse("api:openapi-view")).status_code == 200
    schema = client.get(reverse("api:openapi-json")).json()
    assert {"/api/v1/me", "/api/v1/stats"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_docs_page_loads_its_assets_from_this_server(client):
    page = client.get(reverse("api:openapi-view"))
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]


# --- unsafe methods: CSRF for sessions, none for bearer tokens (on a probe API with the same auth) ---

@pytest.mark.urls("tests.api.probe_urls")
def test_session_post_without_csrf_token_is_refused(alumni_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alumni_user)
    response = client.post("/probe/echo", {"count": 1}, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF check failed."}


@pytest.mark.urls("tests.api.probe_urls")
def test_session_post_with_csrf_token_works(alumni_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alumni_user)
    client.get(reverse("account"))  # sets the CSRF cookie, as any page does
    csrf = client.cookies["csrftoken"].value
    response = client.post("/probe/echo", {"count": 1}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200


@pytest.mark.urls("tests.api.probe_urls")
def test_bearer_post_needs_no_csrf_token(token):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/probe/echo", {"count": 2}, content_type="application/json", **bearer(token[1]))
    assert response.json() == {"count": 2, "email": "alumni@example.jp"}


@pytest.mark.urls("tests.api.probe_urls")
def test_anonymous_post_gets_401_not_a_csrf_error():
    response = Client(enforce_csrf_checks=True).post("/probe/echo", {"count": 2}, content_type="application/json")
    assert response.status_code == 401


@pytest.mark.urls("tests.api.probe_urls")
def test_invalid_body_gets_422_with_the_field(client, token):
    response = client.post("/probe/echo", {"count": "many"}, content_type="application/json", **bearer(token[1]))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "count"]


@pytest.mark.urls("tests.api.probe_urls")
def test_rule_refused_by_an_action_gets_422_with_its_message(client, token):
    response = client.post("/probe/refuse", **bearer(token[1]))
    assert response.status_code == 422
    assert response.json() == {"detail": ["No, because of a rule."]}


@pytest.mark.urls("tests.api.probe_urls")
def test_server_error_is_json_too(client, token):
    response = client.get("/probe/boom", **bearer(token[1]))
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error."}


def test_admin_role_without_active_state_is_not_an_admin(client):
    suspended_admin = MemberFactory(role=Role.ADMIN)
    _token, secret = actions.do_create_token(suspended_admin, "x")
    suspended_admin.state = State.SUSPENDED
    suspended_admin.save()
    assert client.get(STATS, **bearer(secret)).status_code == 401
