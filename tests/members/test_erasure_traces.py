"""Erasure leaves nothing behind: mail to addresses the person no longer uses, free text HR wrote about them."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings

from kizuna.core.actions import do_queue_email
from kizuna.core.email import send_email
from kizuna.core.models import AuditLog, OutboxEmail
from kizuna.members import actions
from kizuna.members.models import Application, State, User
from tests.factories import LeaverRecordFactory, MemberFactory

pytestmark = pytest.mark.django_db

OLD, NEW = "old-address@example.jp", "new-address@example.jp"


def eml_texts():
    return [path.read_bytes().decode(errors="replace") for path in (settings.DATA_DIR / "outbox").glob("*.eml")]


def test_withdrawal_removes_mail_to_an_address_the_member_changed_and_removed(
        admin_user, outbox_backend, django_capture_on_commit_callbacks):
    record = LeaverRecordFactory(email=OLD)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_invite(admin_user, record)
    member = User.objects.get(email=OLD)
    member.state = State.ACTIVE
    member.save()
    assert OutboxEmail.objects.filter(to=OLD).exists() and any(OLD in text for text in eml_texts())
    # They switch to a new primary address and remove the old one.
    member.email = NEW
    member.save()
    EmailAddress.objects.create(user=member, email=NEW, verified=True, primary=True)
    assert not EmailAddress.objects.filter(email=OLD).exists()

    with django_capture_on_commit_callbacks(execute=True):
        actions.do_withdraw(member, member)

    assert not OutboxEmail.objects.filter(to__icontains="address@example.jp").exists()
    assert not any("address@example.jp" in text for text in eml_texts())


def test_withdrawal_removes_mail_queued_for_the_member_whatever_the_address(
        outbox_backend, django_capture_on_commit_callbacks):
    member = MemberFactory(email=NEW)
    with django_capture_on_commit_callbacks(execute=True):
        mail = do_queue_email("typo-address@example.jp", "件名", "本文", user=member)
    assert OutboxEmail.objects.get(pk=mail.pk).user == member

    with django_capture_on_commit_callbacks(execute=True):
        actions.do_withdraw(member, member)
    assert not OutboxEmail.objects.filter(pk=mail.pk).exists()


def test_mail_to_a_known_address_is_linked_to_its_member(outbox_backend):
    member = MemberFactory(email=NEW)
    mail = send_email(NEW.upper(), "members/email/goodbye", {}, language="ja")
    assert mail.user == member


def test_suspension_reason_is_blanked_when_the_member_withdraws(admin_user):
    member = MemberFactory()
    actions.do_suspend(admin_user, member, reason="規約違反の調査中")
    assert AuditLog.objects.get(action="member.suspend").detail == {"reason": "規約違反の調査中"}

    actions.do_withdraw(member, admin_user)
    assert AuditLog.objects.get(action="member.suspend").detail == {"reason_given": True}


def test_rejection_message_does_not_stay_in_the_audit_log(admin_user):
    applicant = MemberFactory(state=State.PENDING)
    application = Application.objects.create(user=applicant, name="申請 太郎", name_kana="しんせい たろう")
    actions.do_reject_application(admin_user, application, message="申請 太郎様の在籍記録が見つかりませんでした。")

    assert AuditLog.objects.get(action="application.reject").detail == {"message_given": True}
    assert not AuditLog.objects.filter(detail__icontains="在籍記録").exists()
