"""Outgoing mail: a row per message, a task that takes only its pk, one send per message, bounded retries."""

import datetime
import smtplib
import stat

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kizuna.core import actions
from kizuna.core.email import send_email
from kizuna.core.management.commands import worker
from kizuna.core.models import OutboxEmail
from kizuna.core.tasks import deliver_email, housekeeping

pytestmark = pytest.mark.django_db

TO = "someone@example.jp"


@pytest.fixture
def queued(django_capture_on_commit_callbacks):
    """Send one email (delivered at once by the test task backend); returns its row's pk."""
    def send():
        with django_capture_on_commit_callbacks(execute=True):
            return send_email(TO, "members/email/goodbye", {}, language="ja").pk
    return send


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def smtp_down(monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    monkeypatch.setattr(EmailMessage, "send", refuse)


def test_the_task_queue_holds_only_the_rows_pk(database_queue, queued):
    pk = queued()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [pk], "kwargs": {}}
    assert OutboxEmail.objects.get(pk=pk).status == OutboxEmail.Status.QUEUED  # waits for the worker


def test_nothing_is_queued_for_rolled_back_work(database_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send_email(TO, "members/email/goodbye", {}, language="ja")
        raise RuntimeError
    assert not OutboxEmail.objects.exists() and not DBTaskResult.objects.exists()


def test_with_smtp_a_sent_message_leaves_no_row_and_a_second_run_sends_nothing(queued, mailoutbox):
    pk = queued()
    assert [mail.to for mail in mailoutbox] == [[TO]] and "退会" in mailoutbox[0].subject
    assert not OutboxEmail.objects.exists()
    deliver_email.enqueue(pk)
    assert len(mailoutbox) == 1


def test_in_the_embedded_mode_a_message_stays_in_the_outbox_and_as_a_private_file(
        outbox_backend, queued, settings, mailoutbox):
    pk = queued()
    mail = OutboxEmail.objects.get(pk=pk)
    assert (mail.status, mail.attempts, mail.error) == (OutboxEmail.Status.SENT, 1, "")
    [eml] = (settings.DATA_DIR / "outbox").glob(f"*-{pk}.eml")
    assert b"To: someone@example.jp" in eml.read_bytes()
    assert stat.S_IMODE(eml.stat().st_mode) == 0o600
    assert stat.S_IMODE(eml.parent.stat().st_mode) == 0o700
    deliver_email.enqueue(pk)  # a retried task
    assert OutboxEmail.objects.get(pk=pk).attempts == 1 and not mailoutbox


def test_a_failed_send_is_recorded_then_retried_later(queued, smtp_down, mailoutbox, monkeypatch):
    pk = queued()
    mail = OutboxEmail.objects.get(pk=pk)
    assert (mail.status, mail.attempts) == (OutboxEmail.Status.FAILED, 1)
    assert mail.error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert actions.do_retry_mail() == 0  # not yet: the first retry waits ten minutes

    monkeypatch.undo()  # the server is back
    OutboxEmail.objects.filter(pk=pk).update(last_attempt_at=timezone.now() - datetime.timedelta(minutes=11))
    housekeeping.enqueue()
    assert [m.to for m in mailoutbox] == [[TO]] and not OutboxEmail.objects.exists()


def test_retries_are_bounded_and_given_up_mail_goes_after_a_month(queued, smtp_down):
    pk = queued()
    for _ in range(OutboxEmail.MAX_ATTEMPTS + 2):
        OutboxEmail.objects.filter(pk=pk).update(last_attempt_at=timezone.now() - datetime.timedelta(days=1))
        actions.do_retry_mail()
    mail = OutboxEmail.objects.get(pk=pk)
    assert mail.status == OutboxEmail.Status.FAILED and mail.attempts == OutboxEmail.MAX_ATTEMPTS and mail.gave_up

    OutboxEmail.objects.filter(pk=pk).update(last_attempt_at=timezone.now() - datetime.timedelta(days=31))
    actions.do_retry_mail()
    assert not OutboxEmail.objects.exists()


def test_a_send_interrupted_by_a_killed_worker_is_tried_again(queued, mailoutbox, monkeypatch):
    def killed(self, fail_silently=False):
        raise SystemExit(1)  # what the worker does on a second Ctrl+C, in the middle of a task
    monkeypatch.setattr(EmailMessage, "send", killed)
    queued()
    monkeypatch.undo()
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENDING
    assert actions.do_retry_mail() == 0  # it may still be on its way

    OutboxEmail.objects.update(last_attempt_at=timezone.now() - datetime.timedelta(minutes=31))
    assert actions.do_retry_mail() == 1
    assert [m.to for m in mailoutbox] == [[TO]] and not OutboxEmail.objects.exists()


def test_housekeeping_prunes_finished_task_results(database_queue, queued):
    queued()
    old = DBTaskResult.objects.get()
    old.status, old.finished_at = "SUCCESSFUL", timezone.now() - datetime.timedelta(days=2)
    old.save()
    recent = housekeeping.enqueue()  # ready, not finished: kept
    actions.do_prune_task_results()
    assert [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)] == [recent.id]


def test_the_worker_enqueues_housekeeping_when_it_starts_and_then_periodically(database_queue, monkeypatch):
    started = []
    monkeypatch.setattr(worker.DBWorkerCommand, "handle", lambda self, *args, **options: started.append("tasks"))
    monkeypatch.setattr(worker.threading, "Thread", lambda target, **kw: type(
        "Thread", (), {"start": lambda self: started.append(target.__name__)})())
    call_command("worker", "--no-reload")
    assert started == ["_keep_enqueuing", "tasks"]
    assert DBTaskResult.objects.get().task_path == "kizuna.core.tasks.housekeeping"
