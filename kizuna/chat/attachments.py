"""Message attachments: images (re-encoded, so no original bytes or metadata survive) and PDF files, both
recognised by their content. A file whose name or declared type says one thing and whose bytes say
another is refused with a message that says so."""

import io
import mimetypes
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from kizuna.core.images import clean_picture

from .models import Message

MAX_PDF_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@dataclass
class CleanAttachment:
    file: ContentFile
    kind: str
    name: str  # the name shown in the conversation (the stored file has a random one)


def _claimed_type(upload):
    guessed = mimetypes.guess_type(upload.name or "")[0] or ""
    return guessed, (getattr(upload, "content_type", "") or "").lower()


def _clean_pdf(upload, data):
    if upload.size > MAX_PDF_BYTES:
        raise ValidationError(_("The PDF is too large. Please attach a PDF of at most 10 MB."))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(_("The PDF is password-protected. Please attach it without a password."))
        if not reader.pages:
            raise ValidationError(_("The PDF has no pages."))
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise ValidationError(_("This PDF could not be read. Please export it again and attach it.")) from None
    return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf")


def _display_name(upload, extension):
    stem = (upload.name or "").rsplit("/", 1)[-1].rsplit(".", 1)[0][:150] or "file"
    return f"{stem}.{extension}"


def clean_attachment(upload) -> CleanAttachment:
    """The upload checked by its content, or ValidationError with what is wrong."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    guessed, declared = _claimed_type(upload)
    says_pdf = "application/pdf" in (guessed, declared)
    says_image = guessed in IMAGE_TYPES or declared in IMAGE_TYPES
    if head.startswith(b"%PDF-"):
        if says_image:
            raise ValidationError(_("This file is named as an image but is a PDF. Please check the file."))
        data = upload.read()
        return CleanAttachment(_clean_pdf(upload, data), Message.Attachment.PDF, _display_name(upload, "pdf"))
    if says_pdf:
        raise ValidationError(_("This file is named as a PDF but its content is not a PDF. Please check the file."))
    if not says_image:
        raise ValidationError(_("Only images (PNG, JPEG, GIF, WebP) and PDF files can be attached."))
    image = clean_picture(upload, "message")  # refuses anything that does not decode as an image
    return CleanAttachment(image, Message.Attachment.IMAGE, _display_name(upload, "jpg"))
