"""Chat test data, made through actions like every other write."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kizuna.chat import actions
from kizuna.chat.models import Conversation


def direct(a, b):
    return actions.do_start_direct(a, b)


def group(owner, *members, title="2015年入社 同期会"):
    return actions.do_create_group(owner, title, list(members))


def say(user, conversation, text, **kwargs):
    return actions.do_send_message(user, Conversation.objects.get(pk=conversation.pk), text, **kwargs)


def png_upload(name="photo.png", content_type="image/png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#b4233c").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def pdf_bytes():
    """A real one-page PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
