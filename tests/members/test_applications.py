import datetime
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from kizuna.core.actions import do_update_network_settings
from kizuna.core.models import AuditLog, OutboxEmail, RegistrationMode
from kizuna.core.text import normalize
from kizuna.members import actions, matching
from kizuna.members.models import Application, Invitation, Role, State, User

from ..factories import LeaverRecordFactory

pytestmark = pytest.mark.django_db

PASSWORD = "hanabi-kaminari-42"


def form_data(**overrides):
    return {
        "name": "高橋 一郎", "name_kana": "ﾀｶﾊｼ ｲﾁﾛｳ", "email": "ichiro@example.net", "password1": PASSWORD,
        "password2": PASSWORD, "former_email": "", "employee_number": "E000123", "joined_year": "2012",
        "left_year": "2020", "department": "営業本部", "message": "よろしくお願いします。",
        "accept_guidelines": "on", "accept_privacy": "on", **overrides,
    }


def confirmation_path(mail):
    return re.search(r"/accounts/confirm-email/[^/\s]+/", mail.body).group(0)


def record(**fields):
    name, kana = fields.pop("name", "高橋 一郎"), fields.pop("name_kana", "タカハシ イチロウ")
    return LeaverRecordFactory(name=name, name_kana=kana, name_key=normalize(name), kana_key=normalize(kana), **fields)


def apply(language="ja", **fields):
    data = form_data(**fields)
    user = actions.do_apply(
        email=data["email"], password=PASSWORD, name=data["name"], name_kana=data["name_kana"], language=language,
        former_email=data["former_email"], employee_number=data["employee_number"],
        joined_year=int(data["joined_year"]), left_year=int(data["left_year"]), department=data["department"],
    )
    return user.application


def confirm(application):
    EmailAddress.objects.filter(user=application.user).update(verified=True)
    cache.clear()
    return application


# --- The applicant's side ----------------------------------------------------------------------

def test_apply_then_confirm_email_then_wait_for_hr(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("apply"), form_data())
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="ichiro@example.net")
    assert (user.state, user.role, user.language) == (State.PENDING, Role.ALUMNI, "ja")
    application = user.application
    assert application.name_kana == "タカハシ イチロウ"  # half-width kana stored full-width
    assert (application.employee_number, application.joined_year, application.left_year) == ("E000123", 2012, 2020)
    assert not EmailAddress.objects.get(user=user).verified
    page = client.get(response.url).content.decode()
    assert "申請ありがとうございます" in page

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(confirmation_path(mailoutbox[0]))
    assert confirmed.status_code == 302 and confirmed.url == reverse("application_status")
    assert EmailAddress.objects.get(user=user).verified
    assert "参加申請を受け付けました" in mailoutbox[-1].subject and mailoutbox[-1].to == [user.email]
    status = client.get(reverse("application_status")).content.decode()
    assert "承認待ち" in status and "E000123" in status and "よろしくお願いします。" in status


def test_pending_applicant_is_kept_to_their_application(client):
    user = apply().user
    client.force_login(user)
    for path in (reverse("admin_home"), reverse("invitation_list"), "/some/member/page/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url == reverse("application_status")
    assert client.get(reverse("application_status")).status_code == 200
    assert client.get(reverse("apply")).url == reverse("application_status")


def test_pending_applicant_sees_the_network_logo_and_icon(client, settings):
    logo = Path(settings.MEDIA_ROOT) / "network" / "logo.png"
    logo.parent.mkdir(parents=True, exist_ok=True)
    logo.write_bytes(b"\x89PNG")
    client.force_login(apply().user)
    assert client.get("/media/network/logo.png").status_code == 200
    assert client.get("/favicon.ico").url.endswith("/kizuna/favicon.svg")


@pytest.mark.parametrize("changes, field_error", [
    ({"name_kana": "高橋 一郎"}, "ひらがなかカタカナ"),
    ({"employee_number": "", "former_email": ""}, "在籍時の会社メールアドレスか社員番号を入力してください"),
    ({"joined_year": "2020", "left_year": "2012"}, "退職した年は入社した年より前にできません"),
    ({"left_year": str(datetime.date.today().year + 1)}, "以下"),
    ({"joined_year": "1900"}, "以上"),
    ({"password2": "something-else-123"}, "一致しません"),
    ({"password1": "12345", "password2": "12345"}, "短すぎ"),
    ({"accept_privacy": ""}, "このフィールドは必須です"),
    ({"accept_guidelines": ""}, "このフィールドは必須です"),
])
def test_application_form_validation(client, changes, field_error):
    response = client.post(reverse("apply"), form_data(**changes))
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not User.objects.filter(email="ichiro@example.net").exists()


def test_former_email_alone_is_enough(client):
    response = client.post(reverse("apply"), form_data(employee_number="", former_email="ichiro@corp.example.jp"))
    assert response.status_code == 302


def answer_to_apply(address, capture):
    """What the browser sees after applying with `address`: the redirect and the page it leads to."""
    browser = Client()
    with capture(execute=True):
        response = browser.post(reverse("apply"), form_data(email=address))
    page = browser.get(response.url).content.decode()
    return response.status_code, response.url, re.sub(r"[A-Za-z0-9]{64}", "(CSRF token)", page)


def test_a_taken_address_gets_the_same_answer_and_its_owner_a_note(
        admin_user, alumni_user, mailoutbox, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    invited = actions.do_invite(admin_user, record(email="invited@example.net")).user
    new = answer_to_apply("new@example.net", capture)
    for taken in (alumni_user.email.upper(), invited.email):
        assert answer_to_apply(taken, capture) == (new[0], new[1], new[2].replace("new@example.net", taken.lower()))
    assert new[:2] == (302, reverse("account_email_verification_sent")) and "申請ありがとうございます" in new[2]
    assert User.objects.filter(email__iexact=alumni_user.email).count() == 1
    assert User.objects.get(email=invited.email).state == State.INVITED
    assert not Application.objects.filter(user__in=[alumni_user, invited]).exists()

    notes = {mail.to[0]: mail for mail in mailoutbox if "メールアドレスが使われました" in mail.subject}
    assert set(notes) == {alumni_user.email, invited.email}
    assert "/accounts/login/" in notes[alumni_user.email].body and "/accounts/password/reset/" in notes[
        alumni_user.email].body
    assert "招待メールのリンク" in notes[invited.email].body and "/accounts/login/" not in notes[invited.email].body
    assert not any("confirm-email" in mail.body for mail in mailoutbox if mail.to[0] != "new@example.net")


def test_the_note_is_in_the_owners_language(alumni_user, mailoutbox, django_capture_on_commit_callbacks):
    actions.do_update_own_details(alumni_user, name="Jane Doe", name_kana="", language="en")
    answer_to_apply(alumni_user.email, django_capture_on_commit_callbacks)
    note = mailoutbox[-1]
    assert note.subject == "Your email address was used to join Kizuna"
    assert note.body.startswith("Dear Jane Doe,")


def test_applying_twice_tells_the_applicant_they_have_applied(mailoutbox, django_capture_on_commit_callbacks):
    apply()
    answer_to_apply("ichiro@example.net", django_capture_on_commit_callbacks)
    assert "すでに参加を申請しています" in mailoutbox[-1].body
    assert Application.objects.count() == 1


def test_invitation_only_network_explains_how_to_join(client, admin_user):
    do_update_network_settings(admin_user, {"registration_mode": RegistrationMode.INVITATION})
    page = client.get(reverse("apply")).content.decode()
    assert "このネットワークは招待制です" in page and "人事部にお問い合わせ" in page
    client.post(reverse("apply"), form_data())
    assert not User.objects.filter(email="ichiro@example.net").exists()
    with pytest.raises(Exception, match="招待制"):
        apply()


def test_applications_are_rate_limited(client):
    for _ in range(10):
        client.post(reverse("apply"), form_data(email="", accept_privacy=""))
    response = client.post(reverse("apply"), form_data())
    assert response.status_code == 429
    assert "しばらくしてからもう一度お試しください" in response.content.decode()
    assert not User.objects.filter(email="ichiro@example.net").exists()


def test_application_emails_use_the_applicants_language(outbox_backend, django_capture_on_commit_callbacks):
    english = apply(language="en", email="en@example.net")
    japanese = apply(language="ja", email="ja@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_confirm_applicant(english.user)
        actions.do_confirm_applicant(japanese.user)
    assert OutboxEmail.objects.get(to="en@example.net").subject == "We have received your application to Kizuna"
    assert OutboxEmail.objects.get(to="ja@example.net").subject == "Kizunaへの参加申請を受け付けました"
    assert "Dear 高橋 一郎," in OutboxEmail.objects.get(to="en@example.net").body_text
    assert "高橋 一郎 様" in OutboxEmail.objects.get(to="ja@example.net").body_text


# --- HR's side ---------------------------------------------------------------------------------

def test_apply_approve_then_log_in(admin_client, admin_user, mailoutbox, django_capture_on_commit_callbacks):
    hr = record(employee_number="E000123", company="絆ホールディングス", department="営業本部/東京営業部",
                joined_on=datetime.date(2012, 4, 1), left_on=datetime.date(2020, 3, 31))
    application = confirm(apply())
    page = admin_client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "社員番号：E000123" in page and "対象" in page
    assert "一致度：高" in page and "score" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("application_approve", args=[application.pk]),
                                     {"record": hr.pk, "message": "おかえりなさい！"})
    assert response.status_code == 302
    user = User.objects.get(pk=application.user_id)
    hr.refresh_from_db()
    assert user.state == State.ACTIVE and user.activated_at is not None
    assert hr.member == user
    assert (user.joined_on, user.left_on) == (hr.joined_on, hr.left_on)
    assert user.company.name == "絆ホールディングス" and user.department.path == "営業本部/東京営業部"
    assert Application.objects.get(pk=application.pk).status == Application.Status.APPROVED
    approved = mailoutbox[-1]
    assert approved.to == [user.email] and "承認されました" in approved.subject and "おかえりなさい！" in approved.body
    assert AuditLog.objects.filter(action="application.approve", actor=admin_user, target_id=str(user.pk)).exists()

    applicant = Client()
    login = applicant.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert login.status_code == 302 and login.url == reverse("home")
    assert "高橋 一郎さん、こんにちは" in applicant.get(reverse("home")).content.decode()


def test_approval_needs_a_confirmed_email_address(admin_client):
    application = apply()
    page = admin_client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "まだメールアドレスを確認していません" in page
    response = admin_client.post(reverse("application_approve", args=[application.pk]), {"record": ""})
    assert response.status_code == 400
    assert User.objects.get(pk=application.user_id).state == State.PENDING


def test_approval_is_refused_while_the_record_has_an_open_invitation_to_another_address(admin_client, admin_user):
    """The applicant only typed the employee number: the invitee's account is not handed over unless HR,
    having checked, revokes the invitation first."""
    hr = record(email="old-address@example.com", employee_number="E000123")
    invitation = actions.do_invite(admin_user, hr)
    application = confirm(apply())
    response = admin_client.post(reverse("application_approve", args=[application.pk]), {"record": hr.pk})
    assert response.status_code == 400
    page = response.content.decode()
    assert "old-address@example.com" in page and "招待を取り消して" in page
    hr.refresh_from_db()
    assert hr.member_id == invitation.user_id
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.SENT
    assert User.objects.get(pk=application.user_id).state == State.PENDING

    actions.do_revoke_invitation(admin_user, invitation)
    admin_client.post(reverse("application_approve", args=[application.pk]), {"record": hr.pk})
    hr.refresh_from_db()
    assert hr.member_id == application.user_id
    assert not User.objects.filter(pk=invitation.user_id).exists()
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_record_of_another_member_cannot_be_linked(admin_client, alumni_user):
    hr = record(employee_number="E000123", member=alumni_user)
    application = confirm(apply())
    response = admin_client.post(reverse("application_approve", args=[application.pk]), {"record": hr.pk})
    assert response.status_code == 400 and "すでに別のメンバー" in response.content.decode()


def test_approve_by_typing_an_employee_number(admin_client):
    hr = record(name="別人 太郎", name_kana="べつじん たろう", employee_number="Z9")
    application = confirm(apply(employee_number="", former_email="x@example.jp"))
    admin_client.post(reverse("application_approve", args=[application.pk]), {"employee_number": "Ｚ９"})
    hr.refresh_from_db()
    assert hr.member_id == application.user_id


@pytest.mark.parametrize("language, subject, text", [
    ("ja", "Kizunaへの参加申請について", "在籍記録が見つかりませんでした"),
    ("en", "About your application to Kizuna", "在籍記録が見つかりませんでした"),
])
def test_reject_tells_the_applicant_and_removes_the_account(admin_client, admin_user, mailoutbox, language,
                                                            subject, text, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = confirm(apply(language=language))
        actions.do_confirm_applicant(application.user)  # "application received": a stored mail to them
    email, user_id = application.user.email, application.user_id
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("application_reject", args=[application.pk]),
                                     {"message": "在籍記録が見つかりませんでした。"})
    assert response.status_code == 302
    mail = mailoutbox[-1]
    assert mail.to == [email] and mail.subject == subject and text in mail.body
    assert ("unable to approve" in mail.body) == (language == "en")
    assert not User.objects.filter(email=email).exists()
    assert not Application.objects.filter(pk=application.pk).exists()
    entry = AuditLog.objects.get(action="application.reject")
    assert entry.detail == {"message_given": True}, "HR's free text about a deleted person does not stay"
    # Nothing of the applicant stays: no mail row, and the log names them only by a neutral label.
    assert not OutboxEmail.objects.filter(to__icontains=email).exists()
    for field in ("target_label", "actor_label"):
        assert not AuditLog.objects.filter(**{f"{field}__contains": "高橋"}).exists()
    assert entry.target_label == f"削除された申請者 #{user_id}"
    submitted = AuditLog.objects.get(action="application.submit")
    assert submitted.actor_label == entry.target_label
    applicant = Client()
    assert applicant.post(reverse("account_login"), {"login": email, "password": PASSWORD}).status_code == 200
    assert "_auth_user_id" not in applicant.session


def test_without_smtp_hr_is_told_honestly_that_no_rejection_mail_went_out(admin_client, outbox_backend,
                                                                          django_capture_on_commit_callbacks):
    application = confirm(apply())
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("application_reject", args=[application.pk]),
                                     {"message": "在籍記録が見つかりませんでした。"}, follow=True)
    page = response.content.decode()
    assert "SMTP が設定されていないため、申請者にメールは送られていません。" in page
    assert "メールでお知らせしました" not in page
    assert not OutboxEmail.objects.filter(subject__contains="参加申請について").exists()


def test_reject_needs_a_message(admin_client):
    application = apply()
    response = admin_client.post(reverse("application_reject", args=[application.pk]), {"message": " "})
    assert response.status_code == 400
    assert Application.objects.filter(pk=application.pk).exists()


def test_decided_applications_cannot_be_decided_again(admin_user):
    application = confirm(apply())
    actions.do_approve_application(admin_user, application)
    with pytest.raises(Exception, match="すでに処理済み"):
        actions.do_reject_application(admin_user, application, message="いいえ")


def test_queue_lists_confirmed_applications_with_their_best_match(admin_client):
    record(employee_number="E000123")
    confirm(apply())
    apply(email="unconfirmed@example.net", name="未確認 花子", name_kana="みかくにん はなこ")
    page = admin_client.get(reverse("application_list")).content.decode()
    assert "高橋 一郎" in page and "E000123 高橋 一郎" in page and "未確認 花子" not in page
    assert '<span class="badge accent">1</span>' in page  # waiting count in the admin menu
    unconfirmed = admin_client.get(reverse("application_list"), {"status": "unconfirmed"}).content.decode()
    assert "未確認 花子" in unconfirmed


def test_queue_query_count_is_bounded(admin_client, django_assert_max_num_queries):
    for i in range(30):
        record(name=f"社員 {i}号", name_kana=f"しゃいん {i}ごう", employee_number=f"E{i:06d}")
        confirm(apply(email=f"a{i}@example.net", name=f"社員 {i}号", name_kana="しゃいん", employee_number=f"E{i:06d}"))
    with django_assert_max_num_queries(11):  # 10, and the navigation's count of unread messages
        response = admin_client.get(reverse("application_list"))
    assert response.content.decode().count("社員番号") == 30


def test_queue_is_for_admins_only(alumni_client):
    application = apply()
    assert alumni_client.get(reverse("application_list")).status_code == 403
    assert alumni_client.get(reverse("application_detail", args=[application.pk])).status_code == 403
    assert alumni_client.post(reverse("application_reject", args=[application.pk]),
                              {"message": "x"}).status_code == 403


# --- Matching ----------------------------------------------------------------------------------

def test_matching_folds_variant_kanji_and_half_width_kana():
    takahashi = record(name="髙橋 一郎", name_kana="タカハシ イチロウ", employee_number="E1",
                       joined_on=datetime.date(2012, 4, 1), left_on=datetime.date(2020, 3, 31))
    record(name="佐藤 花子", name_kana="サトウ ハナコ", employee_number="E2")
    application = apply(name="高橋 一郎", name_kana="ﾀｶﾊｼ ｲﾁﾛｳ", employee_number="X", former_email="")
    application.name_kana = "ﾀｶﾊｼ ｲﾁﾛｳ"  # as typed, before any folding
    best = matching.candidates_for([application])[application.pk]
    assert [c.record for c in best] == [takahashi]
    assert [str(label) for label in best[0].matched] == ["氏名", "よみ", "退職年", "入社年", "部署"]
    assert best[0].eligibility.eligible


def test_employee_number_beats_a_same_name_record():
    same_name = record(employee_number="E100", left_on=datetime.date(2020, 3, 31))
    by_number = record(name="高橋 一朗", name_kana="たかはし いちろう", employee_number="E000123")
    by_email = record(name="別人", name_kana="べつじん", employee_number="E300", email="ichiro@corp.example.jp")
    application = apply(former_email="ichiro@corp.EXAMPLE.jp")
    best = matching.candidates_for([application])[application.pk]
    assert [c.record for c in best] == [by_number, by_email, same_name]
    assert "社員番号" in [str(label) for label in best[0].matched]
    assert "在籍時のメール" in [str(label) for label in best[1].matched]


def test_candidates_of_a_page_come_from_one_query(django_assert_num_queries):
    applications = [apply(email=f"p{i}@example.net", name=f"人 {i}", employee_number=f"N{i}") for i in range(5)]
    for i in range(5):
        record(name=f"人 {i}", employee_number=f"N{i}")
    with django_assert_num_queries(1):
        result = matching.candidates_for(applications)
    assert all(result[a.pk][0].record.employee_number == a.employee_number for a in applications)


def test_ineligible_candidates_show_why():
    record(employee_number="E000123", excluded=True)
    application = apply()
    best = matching.candidates_for([application])[application.pk][0]
    assert not best.eligibility.eligible and "対象外" in str(best.eligibility)
