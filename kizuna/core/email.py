"""Transactional email: rendered in the recipient's language, delivered by the task worker."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import NetworkSettings


def render_email(template, context, language):
    """Render `<template>_subject.txt` and `<template>.txt` in `language`."""
    with translation.override(language or "ja"):
        context = {"network": NetworkSettings.load(), **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return subject, body


def send_email(to, template, context, *, language):
    """Queue one email after the current transaction commits (nothing is sent for rolled-back work)."""
    from .tasks import deliver_email

    subject, body = render_email(template, context, language)
    transaction.on_commit(lambda: deliver_email.enqueue(to=[to], subject=subject, body=body))
