import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kizuna.core.actions import do_update_network_settings
from kizuna.core.models import NetworkSettings, OutboxEmail
from kizuna.core.text import normalize
from kizuna.members import actions
from kizuna.members.models import Invitation, InvitationBatch, LeaverRecord, State

from ..factories import LeaverRecordFactory

NEW_PASSWORD = "sakura-tsubame-2031"


@pytest.fixture
def record(db):
    return LeaverRecordFactory(name="髙橋 一郎", name_kana="タカハシ イチロウ", name_key=normalize("髙橋 一郎"),
                               kana_key=normalize("タカハシ イチロウ"), company="絆ホールディングス",
                               department="営業本部/東京営業部")


@pytest.fixture
def invite(admin_user, django_capture_on_commit_callbacks):
    def invite(record):
        with django_capture_on_commit_callbacks(execute=True):
            return actions.do_invite(admin_user, record)
    return invite


def link(invitation):
    return actions.invitation_url(invitation).removeprefix(settings.SITE_URL)


def emailed_link(mail):
    return re.search(r"/invitation/[^/\s]+/", mail.body).group(0)


def accept_data(**overrides):
    return {"name": "高橋 一郎", "name_kana": "たかはし いちろう", "language": "ja", "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD, "accept_guidelines": "on", "accept_privacy": "on", **overrides}


# --- The invitee's side ------------------------------------------------------------------------

def test_invitee_checks_hr_data_sets_password_and_is_logged_in(client, record, invite, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    invitation = invite(record)
    page = client.get(link(invitation)).content.decode()
    assert "髙橋 一郎" in page and "タカハシ イチロウ" in page
    assert "営業本部/東京営業部" in page and "絆ホールディングス" in page and "2022" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link(invitation), accept_data())
    assert response.status_code == 302 and response.url == reverse("home")

    user = invitation.user
    user.refresh_from_db()
    invitation.refresh_from_db()
    assert user.state == State.ACTIVE and user.activated_at is not None
    assert user.name == "高橋 一郎" and user.name_kana == "たかはし いちろう"
    assert user.guidelines_version == NetworkSettings.load().guidelines_version
    assert user.privacy_accepted_at is not None
    assert invitation.status == Invitation.Status.ACCEPTED
    assert EmailAddress.objects.filter(user=user, email=user.email, primary=True, verified=True).exists()
    assert mailoutbox[-1].to == [user.email] and "ようこそ" in mailoutbox[-1].subject
    assert "高橋 一郎さん、こんにちは" in client.get(reverse("home")).content.decode()

    client.logout()
    assert client.login(email=user.email, password=NEW_PASSWORD)


def test_link_works_only_once(client, record, invite):
    invitation = invite(record)
    client.post(link(invitation), accept_data())
    client.logout()
    again = client.get(link(invitation))
    assert again.status_code == 410
    assert "この招待はすでに使用されています" in again.content.decode()
    assert reverse("account_login") in again.content.decode()
    client.post(link(invitation), accept_data(password1="another-pass-9876", password2="another-pass-9876"))
    assert client.login(email=invitation.user.email, password=NEW_PASSWORD)


def test_expired_link_asks_to_request_a_new_one(client, record, invite):
    invitation = invite(record)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(link(invitation))
    assert response.status_code == 410
    assert "人事に招待の再送を依頼してください" in response.content.decode()
    client.post(link(invitation), accept_data())
    invitation.user.refresh_from_db()
    assert invitation.user.state == State.INVITED


def test_link_signature_expires_with_the_invitation(client, record, invite, monkeypatch):
    invitation = invite(record)
    url = link(invitation)
    later = timezone.now() + datetime.timedelta(days=NetworkSettings.load().invitation_valid_days, hours=1)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    assert client.get(url).status_code == 410


def test_resend_invalidates_the_old_link(client, admin_user, record, invite, mailoutbox,
                                         django_capture_on_commit_callbacks):
    invitation = invite(record)
    old_url = emailed_link(mailoutbox[-1])
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_resend_invitation(admin_user, invitation)
    new_url = emailed_link(mailoutbox[-1])
    assert old_url != new_url and len(mailoutbox) == 2
    response = client.get(old_url)
    assert response.status_code == 404 and "この招待リンクは無効です" in response.content.decode()
    assert client.get(new_url).status_code == 200


def test_revoked_link_is_invalid(client, admin_user, record, invite):
    invitation = invite(record)
    actions.do_revoke_invitation(admin_user, invitation)
    assert client.get(link(invitation)).status_code == 404


def test_tampered_token_shows_the_invalid_page(client, record, invite):
    invitation = invite(record)
    url = link(invitation)
    tampered = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]
    response = client.get(tampered)
    assert response.status_code == 404
    assert "この招待リンクは無効です" in response.content.decode()
    forged = signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt="something-else")
    assert client.get(reverse("invitation_accept", args=[forged])).status_code == 404


@pytest.mark.parametrize("missing", ["accept_guidelines", "accept_privacy"])
def test_guidelines_and_privacy_notice_must_be_accepted(client, record, invite, missing):
    invitation = invite(record)
    data = accept_data()
    del data[missing]
    response = client.post(link(invitation), data)
    assert response.status_code == 200
    assert "このフィールドは必須です" in response.content.decode()
    invitation.user.refresh_from_db()
    assert invitation.user.state == State.INVITED


@pytest.mark.parametrize("password1, password2, message", [
    ("short", "short", "短すぎ"),
    ("1234567890123", "1234567890123", "数字だけ"),
    ("password12345", "password12345", "よく使われる"),
    (NEW_PASSWORD, NEW_PASSWORD + "x", "一致しません"),
])
def test_password_rules_apply(client, record, invite, password1, password2, message):
    invitation = invite(record)
    response = client.post(link(invitation), accept_data(password1=password1, password2=password2))
    assert message in response.content.decode()
    invitation.user.refresh_from_db()
    assert invitation.user.state == State.INVITED


def test_reading_must_be_kana(client, record, invite):
    invitation = invite(record)
    response = client.post(link(invitation), accept_data(name_kana="高橋"))
    assert "ひらがなかカタカナ" in response.content.decode()


@pytest.mark.parametrize("language, subject, body", [
    ("ja", "Kizunaへようこそ", "登録が完了しました"),
    ("en", "Welcome to Kizuna", "Your registration with Kizuna is complete"),
])
def test_welcome_email_is_in_the_language_the_invitee_chose(client, settings, outbox_backend, record, invite, language,
                                                            subject, body, django_capture_on_commit_callbacks):
    invitation = invite(record)
    assert "ご招待" in OutboxEmail.objects.get().subject  # invited accounts start in Japanese
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link(invitation), accept_data(language=language))
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    welcome = OutboxEmail.objects.filter(to=invitation.user.email).order_by("-id").first()
    assert welcome.subject == subject
    assert body in welcome.body_text


def test_signed_in_visitor_is_asked_to_log_out_first(alumni_client, record, invite):
    invitation = invite(record)
    page = alumni_client.get(link(invitation)).content.decode()
    assert "ログアウトしてから" in page
    alumni_client.post(link(invitation), accept_data())
    invitation.user.refresh_from_db()
    assert invitation.user.state == State.INVITED


# --- HR's invitation page ----------------------------------------------------------------------

def test_bulk_invite_skips_ineligible_records_with_reasons(admin_client, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    good = LeaverRecordFactory()
    no_email = LeaverRecordFactory(email="")
    excluded = LeaverRecordFactory(excluded=True)  # stored flag stale: the rules are evaluated again
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("invitation_list"),
                                     {"record": [good.pk, no_email.pk, excluded.pk]}, follow=True)
    page = response.content.decode()
    assert "1件の招待を送信しました" in page
    assert f"招待しませんでした：{no_email}" in page and "メールアドレスがありません" in page
    assert f"招待しませんでした：{excluded}" in page and "対象外" in page
    assert [m.to for m in mailoutbox] == [[good.email]]
    assert Invitation.objects.get().record == good


def test_invite_one_record_from_the_list(admin_client):
    record = LeaverRecordFactory()
    admin_client.post(reverse("invitation_list"), {"invite_one": record.pk, "record": []})
    record.refresh_from_db()
    assert record.member.state == State.INVITED
    assert record.member.invitations.get().status == Invitation.Status.SENT


def test_invite_all_eligible_runs_as_an_idempotent_background_task(admin_client, admin_user, alumni_user, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    LeaverRecordFactory.create_batch(5)
    LeaverRecordFactory(email=alumni_user.email.upper())  # someone already registered with that address
    LeaverRecordFactory(email="")  # cannot be invited at all: not counted
    LeaverRecordFactory(eligible=False)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("invitation_list"), {"invite_all": "1"})
    batch = InvitationBatch.objects.get()
    assert (batch.status, batch.total, batch.sent, batch.skipped) == ("done", 6, 5, 1)
    assert batch.skipped_reasons == {"このメールアドレスは別のアカウントで使われています。": 1}
    assert Invitation.objects.count() == 5 and len(mailoutbox) == 5

    actions.do_run_invitation_batch(batch.pk)  # a retry of a finished run changes nothing
    batch.status = InvitationBatch.Status.RUNNING
    batch.save()
    actions.do_run_invitation_batch(batch.pk)  # a retry of an interrupted run invites nobody twice
    assert Invitation.objects.count() == 5
    batch.refresh_from_db()
    assert (batch.sent, batch.skipped) == (5, 1)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("invitation_list"), {"invite_all": "1"})
    again = InvitationBatch.objects.first()
    assert again != batch and (again.total, again.sent, again.skipped) == (1, 0, 1)

    LeaverRecord.objects.filter(email=alumni_user.email.upper()).delete()
    response = admin_client.post(reverse("invitation_list"), {"invite_all": "1"}, follow=True)
    assert "対象者全員にすでに招待を送っています" in response.content.decode()


def test_a_run_that_stopped_reporting_does_not_block_a_new_one(admin_user, django_capture_on_commit_callbacks):
    LeaverRecordFactory.create_batch(2)
    stuck = InvitationBatch.objects.create(created_by=admin_user, total=2, status=InvitationBatch.Status.RUNNING)
    with pytest.raises(ValidationError, match="すでにバックグラウンドで招待を送信中です"):
        actions.do_start_invitation_batch(admin_user)
    InvitationBatch.objects.filter(pk=stuck.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        fresh = actions.do_start_invitation_batch(admin_user)
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == InvitationBatch.Status.FAILED and (fresh.status, fresh.sent) == ("done", 2)
    actions.do_run_invitation_batch(stuck.pk)  # the old task waking up later does nothing
    assert Invitation.objects.count() == 2


def test_batch_progress_partial(admin_client, admin_user):
    batch = InvitationBatch.objects.create(created_by=admin_user, total=10, sent=4, skipped=1,
                                           status=InvitationBatch.Status.RUNNING)
    page = admin_client.get(reverse("invitation_batch", args=[batch.pk])).content.decode()
    assert 'value="50"' in page and "hx-trigger" in page


def test_resend_and_revoke_from_the_list(admin_client, record, invite, mailoutbox,
                                         django_capture_on_commit_callbacks):
    invitation = invite(record)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("invitation_resend", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.send_count == 2 and len(mailoutbox) == 2
    admin_client.post(reverse("invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    response = admin_client.post(reverse("invitation_revoke", args=[invitation.pk]), follow=True)
    assert "取り消せるのは有効な招待だけです" in response.content.decode()


def test_list_shows_each_status_and_filters(admin_client, admin_user, invite):
    waiting, expired, revoked, accepted = (invite(LeaverRecordFactory(name=n)) for n in
                                           ("招待 中", "期限 切れ", "取り 消し", "登録 済み"))
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    actions.do_revoke_invitation(admin_user, revoked)
    actions.do_accept_invitation(accepted, name="登録 済み", name_kana="とうろく ずみ", language="ja",
                                 password=NEW_PASSWORD)
    LeaverRecordFactory(name="未招待 の人")

    page = admin_client.get(reverse("invitation_list")).content.decode()
    for name in ("招待 中", "期限 切れ", "取り 消し", "未招待 の人"):
        assert name in page
    assert "登録 済み" not in page  # registered people are listed only under their own filter
    assert "期限切れ" in page and "取り消し" in page

    def names(status):
        return admin_client.get(reverse("invitation_list"), {"status": status}).content.decode()

    assert "期限 切れ" in names("expired") and "招待 中" not in names("expired")
    assert "招待 中" in names("open") and "期限 切れ" not in names("open")
    assert "取り 消し" in names("revoked") and "招待 中" not in names("revoked")
    assert "未招待 の人" in names("not_invited") and "招待 中" not in names("not_invited")
    assert "登録 済み" in names("accepted") and "招待 中" not in names("accepted")


def test_list_search_by_reading_and_number(admin_client):
    LeaverRecordFactory(name="渡邉 翔", name_kana="ワタナベ ショウ", name_key=normalize("渡邉 翔"),
                        kana_key=normalize("ワタナベ ショウ"), employee_number="E777")
    LeaverRecordFactory(name="佐藤 花子")
    for query in ("わたなべ", "渡辺", "E777"):
        page = admin_client.get(reverse("invitation_list"), {"q": query}).content.decode()
        assert "渡邉 翔" in page and "佐藤 花子" not in page


def test_list_pages_by_fifty_with_bounded_queries(admin_client, admin_user, invite, django_assert_max_num_queries):
    records = LeaverRecordFactory.create_batch(60)
    for record in records[:20]:
        invite(record)
    with django_assert_max_num_queries(12):  # with the navigation's counts (moderation queue, unread messages)
        response = admin_client.get(reverse("invitation_list"))
    assert response.content.decode().count('name="record"') == 50
    with django_assert_max_num_queries(12):  # with the navigation's counts (moderation queue, unread messages)
        second = admin_client.get(reverse("invitation_list"), {"page": 2})
    assert second.content.decode().count('name="record"') == 10


def test_viewing_the_list_is_audited(admin_client):
    from kizuna.core.models import AuditLog

    admin_client.get(reverse("invitation_list"), {"status": "open"})
    entry = AuditLog.objects.get(action="invitations.view_list")
    assert entry.detail == {"status": "open", "page": 1}


def test_invitation_pages_are_for_admins_only(alumni_client, client, record, invite):
    invitation = invite(record)
    assert alumni_client.get(reverse("invitation_list")).status_code == 403
    assert alumni_client.post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("invitation_list")).status_code == 302


def test_changing_the_validity_changes_new_links(admin_user, record, invite):
    do_update_network_settings(admin_user, {"invitation_valid_days": 3})
    invitation = invite(record)
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=3)
    assert LeaverRecord.objects.get(pk=record.pk).member == invitation.user
