"""Email delivery for the embedded mode: messages land in the outbox table and as .eml files."""

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from .models import OutboxEmail

        folder = settings.DATA_DIR / "outbox"
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            html = ""
            for content, mimetype in getattr(message, "alternatives", []):
                if mimetype == "text/html":
                    html = content
            mail = OutboxEmail.objects.create(
                to=", ".join(message.recipients()), subject=message.subject, body_text=message.body,
                body_html=html,
            )
            (folder / f"{mail.created_at:%Y%m%d-%H%M%S}-{mail.pk}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)
