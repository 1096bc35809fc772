import datetime

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from kizuna.core import mail as mail_delivery
from kizuna.core.actions import do_queue_email, do_retry_mail
from kizuna.core.email import send_email
from kizuna.core.models import AuditLog, OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail(outbox_backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_email("someone@example.jp", "members/email/goodbye", {}, language="ja")
    return OutboxEmail.objects.get()


@pytest.fixture
def failed_mail(monkeypatch, django_capture_on_commit_callbacks):
    """Queue a mail whose delivery fails `attempts` times (retried by housekeeping in between)."""
    def disk_full(*args):
        raise OSError(28, "No space left on device")

    def send(attempts=1):
        with monkeypatch.context() as patch:
            patch.setattr(mail_delivery, "write_eml", disk_full)
            patch.setattr(EmailMessage, "send", disk_full)
            with django_capture_on_commit_callbacks(execute=True):
                pk = do_queue_email("unlucky@example.jp", "ご招待", "https://example.jp/invitation/secret/").pk
            for _ in range(attempts - 1):
                OutboxEmail.objects.filter(pk=pk).update(last_attempt_at=timezone.now() - datetime.timedelta(days=1))
                do_retry_mail()
        return OutboxEmail.objects.get(pk=pk)
    return send


def test_admin_lists_and_reads_outbox_mail_and_it_is_audited(admin_client, admin_user, mail):
    listing = admin_client.get(reverse("outbox")).content.decode()
    assert "someone@example.jp" in listing and mail.subject in listing and "未送信（送信メールに保存）" in listing
    detail = admin_client.get(reverse("outbox_detail", args=[mail.pk])).content.decode()
    assert "退会手続きが完了し" in detail
    assert AuditLog.objects.filter(action="outbox.view_list", actor=admin_user).exists()
    assert AuditLog.objects.filter(action="outbox.view", target_id=str(mail.pk)).exists()


def test_outbox_search_is_audited_without_the_text_searched(admin_client, mail, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        do_queue_email("other@example.jp", "別件", "…")
    page = admin_client.get(reverse("outbox"), {"q": "other@"}).content.decode()
    assert "別件" in page and "someone@example.jp" not in page
    assert AuditLog.objects.get(action="outbox.view_list").detail == {"searched": True, "page": 1}


def test_failed_mail_is_shown_with_its_error(admin_client, mail, failed_mail):
    failed_mail()
    failed_mail(attempts=OutboxEmail.MAX_ATTEMPTS)
    page = admin_client.get(reverse("outbox")).content.decode()
    assert "2件のメールを送信できませんでした" in page
    assert "OSError: [Errno 28] No space left on device" in page
    assert "あとで再送します" in page and "5回試しましたが送信できませんでした" in page
    only_failed = admin_client.get(reverse("outbox"), {"status": "failed"}).content.decode()
    assert "unlucky@example.jp" in only_failed and "someone@example.jp" not in only_failed


def test_outbox_is_for_admins_only(alumni_client, mail):
    assert alumni_client.get(reverse("outbox")).status_code == 403
    assert alumni_client.get(reverse("outbox_detail", args=[mail.pk])).status_code == 403


def test_with_smtp_only_unsent_mail_is_listed_and_no_message_can_be_read(admin_client, settings, failed_mail):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    failed = failed_mail()
    page = admin_client.get(reverse("outbox")).content.decode()
    assert "SMTP" in page and "unlucky@example.jp" in page and "送信できませんでした" in page
    assert reverse("outbox_detail", args=[failed.pk]) not in page  # a reset link is the recipient's alone
    assert admin_client.get(reverse("outbox_detail", args=[failed.pk])).status_code == 404
