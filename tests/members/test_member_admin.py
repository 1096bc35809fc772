import pytest
from django.urls import reverse

from kizuna.core.models import AuditLog
from kizuna.members import actions
from kizuna.members.models import Role, State, User
from tests.accounts import log_in, signed_in
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_member_list_sorts_by_reading_searches_normalised_and_hides_withdrawn(admin_client, admin_user):
    MemberFactory(name="渡辺 健", name_kana="わたなべ けん")
    MemberFactory(name="青木 舞", name_kana="あおき まい", email="mai@example.jp")
    MemberFactory(name="髙橋 誠", name_kana="たかはし まこと", role=Role.EMPLOYEE)
    gone = MemberFactory(name="消去 太郎", name_kana="しょうきょ たろう")
    actions.do_withdraw(gone, admin_user, "request by email")

    page = admin_client.get(reverse("member_list")).content.decode()
    order = [page.index(name) for name in ("青木 舞", "髙橋 誠", "渡辺 健")]
    assert order == sorted(order)
    assert "消去" not in page

    by_kana = admin_client.get(reverse("member_list"), {"q": "タカハシ"}).content.decode()
    assert "髙橋 誠" in by_kana and "渡辺 健" not in by_kana
    by_variant = admin_client.get(reverse("member_list"), {"q": "高橋"}).content.decode()
    assert "髙橋 誠" in by_variant
    by_email = admin_client.get(reverse("member_list"), {"q": "MAI@example"}).content.decode()
    assert "青木 舞" in by_email and "渡辺 健" not in by_email
    employees = admin_client.get(reverse("member_list"), {"role": "employee"}).content.decode()
    assert "髙橋 誠" in employees and "青木 舞" not in employees
    withdrawn = admin_client.get(reverse("member_list"), {"state": "withdrawn"})
    assert "消去" not in withdrawn.content.decode()


def test_member_list_pages_by_fifty_with_bounded_queries_and_newest_first(admin_client, admin_user,
                                                                          django_assert_max_num_queries):
    for n in range(60):
        MemberFactory(name=f"会員{n:02d}", name_kana=f"かいいん{n:02d}")
    with django_assert_max_num_queries(15):
        first = admin_client.get(reverse("member_list"), {"sort": "newest"})
    page = first.content.decode()
    assert "会員59" in page and "会員09" not in page
    assert "61人" in page
    second = admin_client.get(reverse("member_list"), {"sort": "newest", "page": 2}).content.decode()
    assert "会員09" in second and "会員59" not in second


def test_each_view_of_the_member_list_is_audited_with_its_filters(admin_client, admin_user):
    admin_client.get(reverse("member_list"), {"q": "佐藤", "role": "alumni", "state": "active"})
    entry = AuditLog.objects.get(action="members.view_list")
    assert entry.actor == admin_user
    assert entry.detail == {"searched": True, "role": "alumni", "state": "active", "page": 1}


def test_member_detail_is_audited_and_withdrawn_members_are_gone(admin_client, admin_user, alumni_user):
    page = admin_client.get(reverse("member_detail", args=[alumni_user.pk]))
    assert alumni_user.email in page.content.decode()
    assert AuditLog.objects.filter(action="member.view", target_id=str(alumni_user.pk)).exists()
    actions.do_withdraw(alumni_user, admin_user, "request by letter")
    assert admin_client.get(reverse("member_detail", args=[alumni_user.pk])).status_code == 404


def test_member_pages_are_for_admins_only(alumni_client, alumni_user, moderator_user):
    assert alumni_client.get(reverse("member_list")).status_code == 403
    assert alumni_client.get(reverse("member_detail", args=[moderator_user.pk])).status_code == 403
    assert alumni_client.post(reverse("member_suspend", args=[moderator_user.pk])).status_code == 403
    moderator_user.refresh_from_db()
    assert moderator_user.state == State.ACTIVE


def test_admin_changes_a_role_and_it_is_audited(admin_client, alumni_user):
    admin_client.post(reverse("member_change_role", args=[alumni_user.pk]), {"role": "moderator"})
    alumni_user.refresh_from_db()
    assert alumni_user.role == Role.MODERATOR
    assert AuditLog.objects.get(action="member.change_role").detail == {"from": "alumni", "to": "moderator"}


def test_the_last_admin_cannot_demote_themselves(admin_client, admin_user):
    response = admin_client.post(reverse("member_change_role", args=[admin_user.pk]), {"role": "alumni"},
                                 follow=True)
    assert "最後の管理者です" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN
    MemberFactory(role=Role.ADMIN)
    response = admin_client.post(reverse("member_change_role", args=[admin_user.pk]), {"role": "alumni"})
    assert response.url == reverse("home")
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ALUMNI


def test_suspending_ends_sessions_at_once_and_blocks_login_until_reactivated(admin_client, admin_user):
    member = MemberFactory(email="taro@example.jp")
    member_client, response = log_in("taro@example.jp")
    assert response.status_code == 302 and signed_in(member_client)

    admin_client.post(reverse("member_suspend", args=[member.pk]), {"reason": "規約違反の調査中"})
    member.refresh_from_db()
    assert member.state == State.SUSPENDED
    assert not signed_in(member_client)
    assert not signed_in(log_in("taro@example.jp")[0])
    assert AuditLog.objects.get(action="member.suspend").detail == {"reason": "規約違反の調査中"}

    admin_client.post(reverse("member_reactivate", args=[member.pk]))
    member.refresh_from_db()
    assert member.state == State.ACTIVE
    assert not signed_in(member_client), "an old session must not come back with the account"
    assert signed_in(log_in("taro@example.jp")[0])


def test_an_admin_cannot_suspend_themselves(admin_client, admin_user):
    response = admin_client.post(reverse("member_suspend", args=[admin_user.pk]), follow=True)
    assert "ご自身のアカウントは利用停止にできません" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.state == State.ACTIVE


def test_admin_processes_a_deletion_request(admin_client, admin_user):
    member = MemberFactory(name="依頼 花子", email="irai@example.jp")
    confirm = admin_client.get(reverse("member_withdraw", args=[member.pk]))
    assert "依頼 花子" in confirm.content.decode()
    unconfirmed = admin_client.post(reverse("member_withdraw", args=[member.pk]), {"reason": "メール依頼 #12"})
    assert unconfirmed.status_code == 200
    assert User.objects.get(pk=member.pk).state == State.ACTIVE

    response = admin_client.post(reverse("member_withdraw", args=[member.pk]),
                                 {"reason": "メール依頼 #12", "confirm": "on"}, follow=True)
    assert "個人データを消去しました" in response.content.decode()
    member.refresh_from_db()
    assert member.state == State.WITHDRAWN and member.email is None and member.name == ""
    entry = AuditLog.objects.get(action="member.withdraw")
    assert entry.actor == admin_user
    assert entry.detail == {"by": "admin", "reason": "メール依頼 #12"}
    assert entry.target_label == f"退会したメンバー #{member.pk}"


def test_admins_use_their_own_account_page_to_withdraw(admin_client, admin_user):
    MemberFactory(role=Role.ADMIN)
    response = admin_client.post(reverse("member_withdraw", args=[admin_user.pk]),
                                 {"reason": "x", "confirm": "on"})
    assert "アカウントページ" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.state == State.ACTIVE
