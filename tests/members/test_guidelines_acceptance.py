"""When an admin changes the community guidelines, active members accept the new version before using the
network's pages again; their account pages, sign-out and the API stay reachable."""

import pytest
from django.urls import reverse

from kizuna.core.actions import do_update_network_settings
from kizuna.core.models import AuditLog, NetworkSettings
from kizuna.members import actions
from kizuna.members.models import Role, State

from ..factories import MemberFactory

pytestmark = pytest.mark.django_db
ACCEPT = reverse("guidelines_accept")


@pytest.fixture
def new_guidelines(admin_user):
    do_update_network_settings(admin_user, {"guidelines": "互いを尊重し、秘密を守りましょう。"})
    return NetworkSettings.load().guidelines_version


def test_members_accept_new_guidelines_before_other_pages(alumni_client, alumni_user, new_guidelines):
    response = alumni_client.get(reverse("home") + "?tab=new")
    assert response.status_code == 302
    assert response.url == ACCEPT + "?next=%2F%3Ftab%3Dnew"

    page = alumni_client.get(response.url).content.decode()
    assert "コミュニティガイドラインが更新されました" in page
    assert "互いを尊重し、秘密を守りましょう。" in page and f"第{new_guidelines}版" in page
    assert f'name="version" value="{new_guidelines}"' in page

    accepted = alumni_client.post(ACCEPT, {"version": new_guidelines, "next": "/?tab=new"})
    assert accepted.status_code == 302 and accepted.url == "/?tab=new"
    alumni_user.refresh_from_db()
    assert alumni_user.guidelines_version == new_guidelines
    entry = AuditLog.objects.get(action="member.accept_guidelines")
    assert entry.actor == alumni_user and entry.detail == {"version": new_guidelines}
    assert alumni_client.get(reverse("home")).status_code == 200
    assert alumni_client.get(ACCEPT).url == reverse("home")  # nothing left to accept


@pytest.mark.parametrize("path", [
    reverse("account"), reverse("account_data"), reverse("account_withdraw"), reverse("account_email"),
    reverse("guidelines"), reverse("privacy"), reverse("api:me"), "/static/kizuna/kizuna.css",
])
def test_account_pages_guidelines_and_the_api_stay_reachable(alumni_client, new_guidelines, path):
    assert alumni_client.get(path).status_code == 200


def test_signing_out_stays_possible(alumni_client, new_guidelines):
    response = alumni_client.post(reverse("account_logout"))
    assert response.status_code == 302 and not response.url.startswith(ACCEPT)
    assert "_auth_user_id" not in alumni_client.session


def test_api_tokens_keep_working(client, alumni_user, new_guidelines):
    _token, secret = actions.do_create_token(alumni_user, "sync")
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def test_admin_pages_are_normal_pages_too(admin_client, new_guidelines, admin_user):
    # The admin who changed the guidelines accepts them as well.
    assert admin_client.get(reverse("admin_home")).url.startswith(ACCEPT)


def test_htmx_requests_move_the_whole_page(alumni_client, new_guidelines):
    response = alumni_client.get(reverse("home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(ACCEPT)


def test_a_form_sent_before_accepting_is_not_sent_again_afterwards(admin_client, new_guidelines):
    response = admin_client.post(reverse("invitation_list"), {"invite_all": "1"})
    assert response.url == ACCEPT  # no "next": going back would repeat the POST as a GET at best


def test_accepting_a_version_the_member_did_not_see_is_refused(alumni_client, alumni_user, admin_user,
                                                                new_guidelines):
    do_update_network_settings(admin_user, {"guidelines": "さらに改訂しました。"})
    page = alumni_client.post(ACCEPT, {"version": new_guidelines}).content.decode()
    assert "お読みいただいている間にガイドラインが更新されました" in page and "さらに改訂しました。" in page
    alumni_user.refresh_from_db()
    assert alumni_user.guidelines_version < NetworkSettings.load().guidelines_version


def test_next_must_stay_on_this_site(alumni_client, new_guidelines):
    response = alumni_client.post(ACCEPT, {"version": new_guidelines, "next": "https://evil.example/"})
    assert response.url == reverse("home")


def test_accounts_that_never_accepted_are_asked_too(client):
    admin = MemberFactory(role=Role.ADMIN, guidelines_version=0)  # as `kizuna createadmin` makes them
    client.force_login(admin)
    assert client.get(reverse("home")).url.startswith(ACCEPT)


def test_pending_members_are_not_asked(client, new_guidelines):
    client.force_login(MemberFactory(state=State.PENDING, guidelines_version=0))
    assert client.get(reverse("home")).status_code == 200


def test_the_accept_page_needs_an_active_member(client, new_guidelines):
    assert client.get(ACCEPT).url.startswith(reverse("account_login"))


def test_members_who_accepted_the_current_version_are_not_asked(alumni_client):
    assert alumni_client.get(reverse("home")).status_code == 200
