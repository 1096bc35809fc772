"""Members add and change their own email address with allauth's email page (any domain: the company-domain
rule is only for the employee sign-up); the primary address is the account's login and mail address."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from kizuna.core.actions import do_update_network_settings
from kizuna.members.models import Role, State, User

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db
EMAIL_PAGE = reverse("account_email")


def confirmation_path(mail):
    return re.search(r"/accounts/confirm-email/[^/\s]+/", mail.body).group(0)


@pytest.fixture
def member_client(alumni_user, admin_user):
    do_update_network_settings(admin_user, {"employee_domains": ["corp.example.jp"]})
    client = Client()
    assert client.post(reverse("account_login"), {"login": alumni_user.email, "password": PASSWORD}).status_code == 302
    return client


def add_and_confirm(client, address, mailoutbox, capture):
    with capture(execute=True):  # mail is queued and sent after the request's transaction
        response = client.post(EMAIL_PAGE, {"action_add": "", "email": address})
    assert response.status_code == 302
    mail = mailoutbox[-1]
    assert mail.to == [address.lower()]
    client.post(confirmation_path(mail))
    return EmailAddress.objects.get(email=address.lower())


def test_the_email_page_uses_the_site_layout(member_client):
    page = member_client.get(EMAIL_PAGE).content.decode()
    assert 'class="card narrow auth"' in page and "alumni@example.jp" in page


def test_a_member_adds_a_personal_address_of_any_domain(member_client, alumni_user, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    address = add_and_confirm(member_client, "Hanako.Private@Gmail.example.com", mailoutbox,
                              django_capture_on_commit_callbacks)
    assert address.user == alumni_user and address.verified and not address.primary
    alumni_user.refresh_from_db()
    assert alumni_user.email == "alumni@example.jp"  # still the primary one
    assert (alumni_user.role, alumni_user.state) == (Role.ALUMNI, State.ACTIVE)


def test_making_an_address_primary_changes_the_account_address_and_back(member_client, alumni_user, mailoutbox,
                                                                        django_capture_on_commit_callbacks):
    add_and_confirm(member_client, "new@example.org", mailoutbox, django_capture_on_commit_callbacks)
    member_client.post(EMAIL_PAGE, {"action_primary": "", "email": "new@example.org"})
    alumni_user.refresh_from_db()
    assert alumni_user.email == "new@example.org"
    assert EmailAddress.objects.get(user=alumni_user, primary=True).email == "new@example.org"

    member_client.post(EMAIL_PAGE, {"action_primary": "", "email": "alumni@example.jp"})
    alumni_user.refresh_from_db()
    assert alumni_user.email == "alumni@example.jp"
    assert EmailAddress.objects.get(user=alumni_user, primary=True).email == "alumni@example.jp"


def test_the_new_primary_address_logs_in(member_client, alumni_user, mailoutbox, django_capture_on_commit_callbacks):
    add_and_confirm(member_client, "new@example.org", mailoutbox, django_capture_on_commit_callbacks)
    member_client.post(EMAIL_PAGE, {"action_primary": "", "email": "new@example.org"})
    login = Client().post(reverse("account_login"), {"login": "new@example.org", "password": PASSWORD})
    assert login.status_code == 302 and login.url == reverse("home")


def test_an_unconfirmed_address_cannot_become_primary(member_client, alumni_user):
    member_client.post(EMAIL_PAGE, {"action_add": "", "email": "unproven@example.org"})
    member_client.post(EMAIL_PAGE, {"action_primary": "", "email": "unproven@example.org"})
    alumni_user.refresh_from_db()
    assert alumni_user.email == "alumni@example.jp"


def test_the_employee_sign_up_still_needs_a_company_address(member_client, client):
    response = client.post(reverse("account_signup"), {
        "email": "someone@gmail.example.com", "name": "山田 花", "name_kana": "やまだ はな", "password1": PASSWORD,
        "password2": PASSWORD, "accept_guidelines": "on", "accept_privacy": "on",
    })
    assert "会社のメールアドレスをお持ちの社員向けの登録です" in response.content.decode()
    assert not User.objects.filter(email="someone@gmail.example.com").exists()
