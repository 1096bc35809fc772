"""After a withdrawal, a rejection or an expired sign-up, no mail row, task, file or log entry holds the
person's address, name or IP address."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from kizuna.core.actions import do_deliver_email
from kizuna.core.email import send_email
from kizuna.core.models import AuditLog, OutboxEmail
from kizuna.core.tasks import housekeeping
from kizuna.members import actions
from kizuna.members.models import Application, Role, State, User
from tests.factories import PASSWORD, LeaverRecordFactory, MemberFactory

pytestmark = pytest.mark.django_db

NAME, EMAIL = "退会 花子", "gone@example.jp"


@pytest.fixture
def member(admin_user, django_capture_on_commit_callbacks):
    """A member who joined through an invitation: the invitation and welcome mails were sent to them."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = actions.do_invite(admin_user, LeaverRecordFactory(name=NAME, email=EMAIL))
        return actions.do_accept_invitation(invitation, name=NAME, name_kana="たいかい はなこ", language="ja",
                                            password=PASSWORD)


def withdraw(user, capture):
    client = Client()
    client.force_login(user)
    with capture(execute=True):
        page = client.post(reverse("account_withdraw"), {"password": PASSWORD}).content.decode()
    return page


def traces(settings, *texts):
    """Where any of `texts` still appears: mail rows, task arguments, .eml files, the audit log."""
    found = []
    for text in texts:
        if OutboxEmail.objects.filter(to__icontains=text).exists() or OutboxEmail.objects.filter(
                body_text__icontains=text).exists():
            found.append(("mail", text))
        if any(text in str(args) for args in DBTaskResult.objects.values_list("args_kwargs", flat=True)):
            found.append(("task", text))
        if any(text.encode() in path.read_bytes() for path in (settings.DATA_DIR / "outbox").glob("*.eml")):
            found.append(("file", text))
        if AuditLog.objects.filter(actor_label__contains=text).exists() or AuditLog.objects.filter(
                target_label__contains=text).exists():
            found.append(("audit", text))
    return found


def test_with_smtp_the_goodbye_is_sent_and_nothing_remains(settings, member, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):  # a mail still waiting for the worker
        waiting = send_email(EMAIL, "members/email/welcome", {"name": NAME, "url": "", "account_url": ""},
                                     language="ja")
    page = withdraw(member, django_capture_on_commit_callbacks)
    assert "確認のメール" in page
    assert mailoutbox[-1].to == [EMAIL] and "退会" in mailoutbox[-1].subject
    assert traces(settings, EMAIL, NAME) == []
    do_deliver_email(waiting.pk)  # its task runs later: there is nothing left to send
    assert mailoutbox[-1].subject != waiting.subject


def test_without_smtp_the_outbox_and_its_files_forget_the_member(settings, outbox_backend, admin_user,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = actions.do_invite(admin_user, LeaverRecordFactory(name=NAME, email=EMAIL))
        user = actions.do_accept_invitation(invitation, name=NAME, name_kana="たいかい はなこ", language="ja",
                                            password=PASSWORD)
    assert len(list((settings.DATA_DIR / "outbox").glob("*.eml"))) == 2  # invitation and welcome
    page = withdraw(user, django_capture_on_commit_callbacks)
    assert "確認のメール" not in page  # no goodbye: it would have to stay in the outbox
    assert traces(settings, EMAIL, NAME) == []
    assert not list((settings.DATA_DIR / "outbox").glob("*.eml"))


def test_withdrawal_clears_the_members_ip_from_their_own_log_entries(member, django_capture_on_commit_callbacks):
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.force_login(member)
    client.get(reverse("account_data_json"))
    assert AuditLog.objects.get(action="member.export_data").ip == "203.0.113.7"
    withdraw(member, django_capture_on_commit_callbacks)
    assert not AuditLog.objects.filter(actor=member).exclude(ip=None).exists()
    assert AuditLog.objects.filter(actor=member, action="member.export_data").exists()


def test_a_withdrawing_applicant_takes_their_waiting_application_along(admin_client,
                                                                       django_capture_on_commit_callbacks):
    applicant = actions.do_apply(email="applicant@example.jp", password=PASSWORD, name="申請 中子",
                                 name_kana="しんせい なかこ", language="ja", employee_number="X1")
    EmailAddress.objects.filter(user=applicant).update(verified=True)
    withdraw(applicant, django_capture_on_commit_callbacks)
    assert not Application.objects.filter(user=applicant).exists()
    assert "申請 中子" not in admin_client.get(reverse("application_list")).content.decode()


def test_rejecting_without_smtp_keeps_no_mail_to_the_applicant(settings, outbox_backend, admin_user,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        applicant = actions.do_apply(email="rejected@example.jp", password=PASSWORD, name="却下 太郎",
                                     name_kana="きゃっか たろう", language="ja", employee_number="X2")
        EmailAddress.objects.filter(user=applicant).update(verified=True)
        actions.do_confirm_applicant(applicant)
    assert OutboxEmail.objects.filter(to="rejected@example.jp").exists()  # "application received"
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_reject_application(admin_user, applicant.application, message="却下 太郎様、残念ですが")
    assert traces(settings, "rejected@example.jp", "却下 太郎") == []
    assert not OutboxEmail.objects.exists() and not list((settings.DATA_DIR / "outbox").glob("*.eml"))


# --- Sign-ups never confirmed -------------------------------------------------------------------

def age(user, days):
    User.objects.filter(pk=user.pk).update(date_joined=user.date_joined - datetime.timedelta(days=days))


def test_unconfirmed_sign_ups_expire_after_a_week(admin_user):
    stale = actions.do_apply(email="typo@example.jp", password=PASSWORD, name="誤入力 太郎",
                             name_kana="ごにゅうりょく たろう", language="ja", employee_number="X3")
    recent = actions.do_apply(email="recent@example.jp", password=PASSWORD, name="最近 花子",
                              name_kana="さいきん はなこ", language="ja", employee_number="X4")
    confirmed = actions.do_apply(email="confirmed@example.jp", password=PASSWORD, name="確認 済子",
                                 name_kana="かくにん すみこ", language="ja", employee_number="X5")
    EmailAddress.objects.filter(user=confirmed).update(verified=True)
    employee = MemberFactory(role=Role.EMPLOYEE, state=State.PENDING, email="staff-typo@corp.example.jp")
    EmailAddress.objects.filter(user=employee).update(verified=False)
    for user in (stale, confirmed, employee):
        age(user, 8)
    age(recent, 6)

    housekeeping.enqueue()
    assert set(User.objects.filter(state=State.PENDING).values_list("email", flat=True)) == {
        "recent@example.jp", "confirmed@example.jp"}
    assert Application.objects.count() == 2
    expired = AuditLog.objects.filter(action="signup.expire")
    assert expired.count() == 2 and not expired.filter(target_label__contains="誤入力").exists()

    # The real owner of the address can now be invited.
    cache.clear()
    invitation = actions.do_invite(admin_user, LeaverRecordFactory(email="typo@example.jp"))
    assert invitation.user.email == "typo@example.jp"
