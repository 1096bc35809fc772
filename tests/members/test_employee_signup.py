import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from kizuna.core.actions import do_update_network_settings
from kizuna.core.models import NetworkSettings, RegistrationMode
from kizuna.members.models import Role, State, User

pytestmark = pytest.mark.django_db

PASSWORD = "tsukimi-dango-2468"


@pytest.fixture
def company_domain(admin_user):
    do_update_network_settings(admin_user, {"employee_domains": ["corp.example.jp"]})


def signup_data(**overrides):
    return {"email": "hana@corp.example.jp", "name": "山田 花", "name_kana": "やまだ はな",
            "password1": PASSWORD, "password2": PASSWORD, "accept_guidelines": "on", "accept_privacy": "on",
            **overrides}


def confirmation_path(mail):
    return re.search(r"/accounts/confirm-email/[^/\s]+/", mail.body).group(0)


def test_employee_with_a_company_address_becomes_an_active_employee_after_verifying(
        client, company_domain, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="hana@corp.example.jp")
    assert (user.role, user.state, user.name_kana) == (Role.EMPLOYEE, State.PENDING, "やまだ はな")
    verification = mailoutbox[-1]
    assert verification.to == [user.email] and verification.subject == "メールアドレスの確認のお願い"
    assert "Kizuna" in verification.body and "testserver" not in verification.subject

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(confirmation_path(verification))
    assert confirmed.status_code == 302
    user.refresh_from_db()
    assert (user.role, user.state) == (Role.EMPLOYEE, State.ACTIVE) and user.activated_at is not None
    assert EmailAddress.objects.get(user=user).verified
    assert "ようこそ" in mailoutbox[-1].subject
    assert "山田 花さん、こんにちは" in client.get(reverse("home")).content.decode()


def test_sign_up_records_consent_to_the_guidelines_and_the_privacy_notice(client, company_domain):
    page = client.get(reverse("account_signup")).content.decode()
    assert "コミュニティガイドライン" in page and "個人情報の取り扱い" in page
    assert 'name="accept_guidelines"' in page and 'name="accept_privacy"' in page
    client.post(reverse("account_signup"), signup_data())
    user = User.objects.get(email="hana@corp.example.jp")
    assert user.guidelines_version == NetworkSettings.load().guidelines_version
    assert user.privacy_accepted_at is not None


@pytest.mark.parametrize("missing", ["accept_guidelines", "accept_privacy"])
def test_sign_up_without_consent_is_refused(client, company_domain, missing):
    response = client.post(reverse("account_signup"), signup_data(**{missing: ""}))
    assert response.status_code == 200 and "このフィールドは必須です" in response.content.decode()
    assert not User.objects.filter(email="hana@corp.example.jp").exists()


def test_employee_signing_up_in_english_gets_english_mail(client, company_domain, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), signup_data())
    assert User.objects.get(email="hana@corp.example.jp").language == "en"
    assert "Please confirm your email address" in mailoutbox[-1].subject


def test_other_domains_are_refused_with_the_reason(client, company_domain):
    response = client.post(reverse("account_signup"), signup_data(email="hana@gmail.example.com"))
    assert response.status_code == 200
    assert "会社のメールアドレスをお持ちの社員向けの登録です" in response.content.decode()
    assert not User.objects.filter(email="hana@gmail.example.com").exists()


def test_signing_up_with_a_taken_address_tells_its_owner_only(client, company_domain, employee_user, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), signup_data(email=employee_user.email))
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email=employee_user.email).count() == 1
    note = mailoutbox[-1]
    assert note.to == [employee_user.email] and "メールアドレスが使われました" in note.subject
    assert "/accounts/login/" in note.body and "confirm-email" not in note.body


def test_unverified_employee_cannot_use_the_network(client, company_domain):
    client.post(reverse("account_signup"), signup_data())
    login = client.post(reverse("account_login"), {"login": "hana@corp.example.jp", "password": PASSWORD})
    assert login.url == reverse("account_email_verification_sent")
    assert User.objects.get(email="hana@corp.example.jp").state == State.PENDING


def test_signup_page_is_for_employees_and_points_alumni_to_apply(client, company_domain):
    page = client.get(reverse("account_signup")).content.decode()
    assert "社員として登録" in page and "現在お勤めの社員の方向け" in page
    assert f'href="{reverse("apply")}"' in page


def test_signup_page_without_applications_points_to_invitations(client, admin_user, company_domain):
    do_update_network_settings(admin_user, {"registration_mode": RegistrationMode.INVITATION})
    page = client.get(reverse("account_signup")).content.decode()
    assert f'href="{reverse("apply")}"' not in page and "人事に招待を依頼してください" in page


def test_signup_is_closed_without_company_domains(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert "社員の登録は受け付けていません" in page
    client.post(reverse("account_signup"), signup_data())
    assert not User.objects.filter(email="hana@corp.example.jp").exists()


@pytest.mark.parametrize("language, texts", [
    ("ja", ["ログイン", "まだメンバーでない方", "パスワードをお忘れですか？"]),
    ("en", ["Log in", "Not a member yet?", "Forgot your password?"]),
])
def test_login_page_explains_every_way_in(client, company_domain, language, texts):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get(reverse("account_login")).content.decode()
    for text in texts:
        assert text in page
    assert reverse("apply") in page and reverse("account_signup") in page
    assert 'class="card narrow auth"' in page  # our layout, not allauth's bare page


@pytest.mark.parametrize("url_name", ["account_reset_password", "account_email_verification_sent"])
def test_other_allauth_pages_use_the_site_layout_in_japanese(client, url_name):
    page = client.get(reverse(url_name)).content.decode()
    assert 'class="card narrow auth"' in page and '<html lang="ja">' in page
    assert "Menu:" not in page
