import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.core.models import AuditLog, NetworkSettings, OutboxEmail
from kizuna.feed import actions as feed_actions
from kizuna.feed.mentions import mention_markup
from kizuna.feed.models import Post, Reply
from kizuna.members import actions, eligibility
from kizuna.members.models import ApiToken, Application, Invitation, LeaverRecord, Role, State, User
from tests.accounts import log_in, signed_in
from tests.factories import PASSWORD, LeaverRecordFactory, MemberFactory

pytestmark = pytest.mark.django_db

NAME, KANA, EMAIL = "退会 予定子", "たいかい よていこ", "leaving@example.jp"


@pytest.fixture
def leaving(admin_user, outbox_backend, django_capture_on_commit_callbacks):
    """A member with everything attached: HR record, invitation, application, token, MFA, mail in the outbox."""
    record = LeaverRecordFactory(name=NAME, name_kana=KANA, email=EMAIL, title="課長")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_invite(admin_user, record)
    member = User.objects.get(email=EMAIL)
    actions.do_update_own_details(member, name=NAME, name_kana=KANA, language="ja")
    member.state = State.ACTIVE
    member.set_password(PASSWORD)
    member.save()
    EmailAddress.objects.create(user=member, email=EMAIL, verified=True, primary=True)
    EmailAddress.objects.create(user=member, email="old-leaving@example.jp", verified=True, primary=False)
    Application.objects.create(user=member, name=NAME, name_kana=KANA, former_email="t.y@corp.example.jp",
                               employee_number=record.employee_number, message="よろしくお願いします")
    ApiToken.objects.create(user=member, name="HR sync", prefix="kzn_ab12", key_hash="f" * 64)
    TOTP.activate(member, generate_totp_secret())
    OutboxEmail.objects.create(to="old-leaving@example.jp", subject="確認", body_text=f"{NAME} 様")
    return member


def test_data_export_holds_the_members_data_and_nothing_else(leaving, alumni_user):
    client = Client()
    client.force_login(leaving)
    response = client.get(reverse("account_data_json"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == EMAIL and data["account"]["name"] == NAME
    assert data["hr_record"]["title"] == "課長" and data["hr_record"]["name_kana"] == KANA
    assert "eligible" not in data["hr_record"] and "excluded" not in data["hr_record"]
    assert {a["email"] for a in data["email_addresses"]} == {EMAIL, "old-leaving@example.jp"}
    assert data["invitations"][0]["status"] == "sent"
    assert data["application"]["message"] == "よろしくお願いします"
    assert data["api_tokens"] == [{"name": "HR sync", "prefix": "kzn_ab12", "created_at": data["api_tokens"][0][
        "created_at"], "last_used_at": None, "revoked_at": None}]
    assert data["two_factor"][0]["type"] == "totp"
    text = response.content.decode()
    assert "f" * 64 not in text and leaving.password not in text and "secret" not in text
    assert "nonce" not in text and leaving.invitations.get().nonce not in text
    assert alumni_user.email not in text and "人事 花子" not in text
    assert AuditLog.objects.filter(action="member.export_data", actor=leaving).exists()


def test_readable_data_page_shows_the_same_data(leaving):
    client = Client()
    client.force_login(leaving)
    page = client.get(reverse("account_data")).content.decode()
    for text in (EMAIL, NAME, "課長", "HR sync", "よろしくお願いします", "人事の登録情報"):
        assert text in page
    assert "f" * 64 not in page


def test_member_corrects_their_details(alumni_client, alumni_user):
    response = alumni_client.post(reverse("account_edit"), {"name": "山田 花子", "name_kana": "ヤマダ ハナコ",
                                                            "language": "en"})
    assert response.cookies["django_language"].value == "en"
    alumni_user.refresh_from_db()
    assert (alumni_user.name, alumni_user.kana_key, alumni_user.language) == ("山田 花子", "やまだはなこ", "en")
    assert "Your details have been saved." in alumni_client.get(reverse("account")).content.decode()


def test_withdraw_with_a_wrong_password_changes_nothing(leaving):
    client = Client()
    client.force_login(leaving)
    response = client.post(reverse("account_withdraw"), {"password": "wrong-password", "reason": ""})
    assert "パスワードが正しくありません" in response.content.decode()
    leaving.refresh_from_db()
    assert leaving.state == State.ACTIVE and leaving.email == EMAIL
    assert signed_in(client)
    assert not AuditLog.objects.filter(action="member.withdraw").exists()


def test_password_guessing_on_the_withdraw_page_is_rate_limited(leaving):
    client = Client()
    client.force_login(leaving)
    for _ in range(10):
        client.post(reverse("account_withdraw"), {"password": "wrong-password"})
    response = client.post(reverse("account_withdraw"), {"password": PASSWORD})
    assert "試行回数が多すぎます" in response.content.decode()
    leaving.refresh_from_db()
    assert leaving.state == State.ACTIVE


def test_withdrawal_erases_personal_data_everywhere(leaving, admin_client, django_capture_on_commit_callbacks):
    member_client = Client()
    member_client.force_login(leaving)
    assert log_in(EMAIL)[1].status_code == 302, "the password is accepted (next comes the TOTP step)"
    admin_client.get(reverse("member_detail", args=[leaving.pk]))  # an audit entry naming them
    record = LeaverRecord.objects.get(member=leaving)
    # A colleague mentions them in a post and a reply, and deletes another such post.
    colleague = MemberFactory()
    mentioning = feed_actions.do_create_post(colleague, body=f"{mention_markup(leaving)} さん、お疲れさまでした")
    feed_actions.do_reply(colleague, mentioning, body=f"{mention_markup(leaving)} さん、またどこかで")
    feed_actions.do_delete_post(colleague, feed_actions.do_create_post(colleague, body=mention_markup(leaving)))

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("account_withdraw"), {"password": PASSWORD, "reason": "privacy"})
    assert "退会しました" in response.content.decode()

    leaving.refresh_from_db()
    assert leaving.state == State.WITHDRAWN and leaving.withdrawn_at is not None
    assert (leaving.name, leaving.name_kana, leaving.name_key, leaving.kana_key) == ("", "", "", "")
    assert leaving.email is None and not leaving.has_usable_password()
    assert leaving.company is None and leaving.department is None and leaving.joined_on is None
    for text in (EMAIL, "old-leaving@example.jp", NAME, KANA):
        assert not User.objects.filter(Q(email__icontains=text) | Q(name__icontains=text)).exists()
        assert not EmailAddress.objects.filter(email__icontains=text).exists()
        assert not AuditLog.objects.filter(Q(target_label__icontains=text) | Q(actor_label__icontains=text)).exists()
        assert not Application.objects.filter(Q(name__icontains=text) | Q(former_email__icontains=text)).exists()
        assert not Post.objects.filter(Q(body__icontains=text) | Q(body_html__icontains=text)).exists()
        assert not Reply.objects.filter(Q(body__icontains=text) | Q(body_html__icontains=text)).exists()
    assert not Application.objects.exclude(message="").exists()
    assert not Authenticator.objects.filter(user=leaving).exists()
    assert not ApiToken.objects.filter(user=leaving).exists()
    assert not Invitation.objects.filter(user=leaving, status=Invitation.Status.SENT).exists()

    record.refresh_from_db()
    assert record.member is None and record.opted_out and not record.eligible
    assert "以前にネットワークを退会しています" in str(eligibility.evaluate(record, NetworkSettings.load()))

    entry = AuditLog.objects.get(action="member.withdraw")
    assert entry.detail == {"by": "self", "reason": "privacy"}
    assert entry.target_label == entry.actor_label == f"退会したメンバー #{leaving.pk}"

    # Mail addressed to them is gone, and no goodbye is kept: without SMTP it is not sent at all.
    assert not OutboxEmail.objects.filter(to__icontains="leaving@example.jp").exists()

    assert not signed_in(member_client)
    refused_client, refused = log_in(EMAIL)
    assert refused.status_code == 200 and not signed_in(refused_client)
    assert NAME not in admin_client.get(reverse("member_list")).content.decode()
    assert NAME not in admin_client.get(reverse("audit_log")).content.decode()
    post_page = admin_client.get(reverse("feed_post", args=[mentioning.pk])).content.decode()
    assert NAME not in post_page and "@退会したメンバー" in post_page


def test_withdrawn_record_cannot_be_invited_again(leaving, admin_user):
    record = LeaverRecord.objects.get(member=leaving)
    actions.do_withdraw(leaving, leaving, "")
    record.refresh_from_db()
    with pytest.raises(ValidationError, match="以前にネットワークを退会しています"):
        actions.check_invite(record)


def test_the_last_admin_cannot_withdraw(admin_client, admin_user):
    page = admin_client.get(reverse("account_withdraw")).content.decode()
    assert "最後の管理者です" in page
    admin_client.post(reverse("account_withdraw"), {"password": PASSWORD})
    admin_user.refresh_from_db()
    assert admin_user.state == State.ACTIVE


def test_pending_applicant_can_withdraw_too(client):
    applicant = MemberFactory(state=State.PENDING, role=Role.ALUMNI)
    client.force_login(applicant)
    client.post(reverse("account_withdraw"), {"password": PASSWORD})
    applicant.refresh_from_db()
    assert applicant.state == State.WITHDRAWN
    assert applicant.withdrawn_at <= timezone.now()


def test_effects_are_worded_for_the_member_withdrawing(alumni_client):
    own = alumni_client.get(reverse("account_withdraw")).content.decode()
    assert "あなたのメールアドレス宛てのメールは削除されます" in own and "このメンバー" not in own


def test_effects_are_worded_for_hr_processing_a_request(admin_client, alumni_user):
    hr = admin_client.get(reverse("member_withdraw", args=[alumni_user.pk])).content.decode()
    assert "このメンバーのメールアドレス宛てのメールは削除されます" in hr


def test_wrong_password_shows_the_one_form_error_summary(alumni_client):
    page = alumni_client.post(reverse("account_withdraw"), {"password": "wrong-password"}).content.decode()
    assert "入力内容を確認してください。" in page
