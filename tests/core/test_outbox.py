import pytest
from django.urls import reverse

from kizuna.core.email import send_email
from kizuna.core.models import AuditLog, OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail(outbox_backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_email("someone@example.jp", "members/email/goodbye", {}, language="ja")
    return OutboxEmail.objects.get()


def test_admin_lists_and_reads_outbox_mail_and_it_is_audited(admin_client, admin_user, mail):
    listing = admin_client.get(reverse("outbox")).content.decode()
    assert "someone@example.jp" in listing and mail.subject in listing
    detail = admin_client.get(reverse("outbox_detail", args=[mail.pk])).content.decode()
    assert "退会手続きが完了し" in detail
    assert AuditLog.objects.filter(action="outbox.view_list", actor=admin_user).exists()
    assert AuditLog.objects.filter(action="outbox.view", target_id=str(mail.pk)).exists()


def test_outbox_search(admin_client, mail):
    OutboxEmail.objects.create(to="other@example.jp", subject="別件", body_text="…")
    page = admin_client.get(reverse("outbox"), {"q": "other@"}).content.decode()
    assert "別件" in page and "someone@example.jp" not in page


def test_outbox_is_for_admins_only(alumni_client, mail):
    assert alumni_client.get(reverse("outbox")).status_code == 403
    assert alumni_client.get(reverse("outbox_detail", args=[mail.pk])).status_code == 403


def test_with_smtp_the_page_says_so(admin_client, settings, mail):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    page = admin_client.get(reverse("outbox")).content.decode()
    assert "SMTP" in page and "someone@example.jp" not in page
    assert admin_client.get(reverse("outbox_detail", args=[mail.pk])).status_code == 404
