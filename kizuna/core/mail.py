"""Email delivery. Outgoing mail is an `OutboxEmail` row first (see core.actions.do_queue_email); the
embedded mode (no SMTP) delivers it into the outbox admins read, plus an .eml file per message."""

import os

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend

OUTBOX_BACKEND = "kizuna.core.mail.OutboxBackend"


def outbox_in_use():
    return settings.EMAIL_BACKEND == OUTBOX_BACKEND


def as_message(mail):
    message = EmailMultiAlternatives(subject=mail.subject, body=mail.body_text,
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[mail.to])
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    return message


def _outbox_folder():
    folder = settings.DATA_DIR / "outbox"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def write_eml(mail, message):
    """The .eml copy of a delivered message, readable by the owner of the data folder only."""
    path = _outbox_folder() / f"{mail.created_at:%Y%m%d-%H%M%S}-{mail.pk}.eml"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(message.message().as_bytes())


def remove_eml(mail_ids):
    folder = settings.DATA_DIR / "outbox"
    for pk in mail_ids:
        for path in folder.glob(f"*-{pk}.eml"):
            path.unlink(missing_ok=True)


class OutboxBackend(BaseEmailBackend):
    """EMAIL_BACKEND of the embedded mode. Kizuna's own mail is queued and delivered by core.actions;
    a message handed to Django's mail API directly is queued the same way."""

    def send_messages(self, email_messages):
        from .actions import do_queue_message

        for message in email_messages:
            do_queue_message(message)
        return len(email_messages)
