"""Transactional email: rendered in the recipient's language, stored as an OutboxEmail row and delivered
by the task worker (see core.actions.do_queue_email)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from . import mail as delivery
from .models import NetworkSettings

logger = logging.getLogger(__name__)


def render_email(template, context, language):
    """Render `<template>_subject.txt` and `<template>.txt` in `language`."""
    with translation.override(language or "ja"):
        context = {"network": NetworkSettings.load(), **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return subject, body


def send_email(to, template, context, *, language):
    """Queue one email; it is delivered after the current transaction commits (nothing is sent for
    rolled-back work)."""
    from .actions import do_queue_email

    subject, body = render_email(template, context, language)
    return do_queue_email(to, subject, body)


def send_email_leaving_no_trace(to, template, context, *, language):
    """Send one email right after commit, straight through the mail server and stored nowhere (no row,
    no task, no file), for the last message to someone whose data is being erased.

    It is sent once: if the server refuses it, it is dropped (logged without the address). In the
    embedded mode (no SMTP) there is no server, and keeping it in the outbox would keep the address,
    so it is not sent at all."""
    if delivery.outbox_in_use():
        return
    subject, body = render_email(template, context, language)
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])

    def send():
        try:
            message.send()
        except Exception as error:  # the erasure is done; a lost last email must not undo or hide that
            logger.warning("An email leaving no trace was not sent: %s", type(error).__name__)

    transaction.on_commit(send)
