"""CV uploads: PDF only, checked by content (not by name or declared type) before anything is stored."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

MAX_BYTES = 10 * 1024 * 1024
MAX_PAGES = 50


def clean_cv(upload):
    """The upload as a ContentFile with a random name, or ValidationError saying what is wrong."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The CV is too large. Please upload a PDF of at most 10 MB."))
    upload.seek(0)
    data = upload.read()
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("Please upload your CV as a PDF file."))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(_("The PDF is password-protected. Please upload it without a password."))
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise ValidationError(_("This PDF could not be read. Please export it again and upload it.")) from None
    if not 1 <= pages <= MAX_PAGES:
        raise ValidationError(_("Please upload a PDF of 1 to %(max)d pages.") % {"max": MAX_PAGES})
    return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf")
