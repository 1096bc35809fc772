"""Uploaded images: checked to be real images, then re-encoded so no original bytes or metadata survive."""

import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

LOGO_MAX_BYTES = 2 * 1024 * 1024
# Checked from the header before decoding, so a small file cannot expand into gigabytes of pixels.
LOGO_MAX_SOURCE_PIXELS = 5000 * 5000
LOGO_BOX = (800, 400)
ACCEPTED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def clean_logo(upload) -> ContentFile:
    """Return the logo as a fresh PNG (at most LOGO_BOX), or raise ValidationError with the reason."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo file is too large. Please upload an image of at most 2 MB."))
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as source:
            if source.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Please upload the logo as PNG, JPEG, GIF or WebP."))
            if source.width * source.height > LOGO_MAX_SOURCE_PIXELS:
                raise ValidationError(_("The logo image is too large. Please use at most 5000 × 5000 pixels."))
            image = ImageOps.exif_transpose(source).convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("The file is not an image that can be read. Please upload a PNG or JPEG file.")) \
            from error
    image.thumbnail(LOGO_BOX)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    data = buffer.getvalue()
    # The content hash in the name makes browsers fetch a new logo at once after a change.
    return ContentFile(data, name=f"logo-{hashlib.sha256(data).hexdigest()[:12]}.png")
