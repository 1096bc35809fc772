"""Uploaded images: checked to be real images, then re-encoded so no original bytes or metadata survive."""

import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
# Checked from the header before decoding, so a small file cannot expand into gigabytes of pixels.
MAX_SOURCE_PIXELS = 5000 * 5000
ACCEPTED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
LOGO_BOX = (800, 400)
PHOTO_SIZE = 512


def _decode(upload, mode) -> Image.Image:
    """The upload as a fresh in-memory image (EXIF rotation applied), or ValidationError with the reason."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The image file is too large. Please upload an image of at most 5 MB."))
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as source:
            if source.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Please upload a PNG, JPEG, GIF or WebP image."))
            if source.width * source.height > MAX_SOURCE_PIXELS:
                raise ValidationError(_("The image is too large. Please use at most 5000 × 5000 pixels."))
            return ImageOps.exif_transpose(source).convert(mode)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("The file is not an image that can be read. Please upload a PNG or JPEG file.")) \
            from error


def _named(image, prefix, fmt, **options) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    data = buffer.getvalue()
    # The content hash in the name makes browsers fetch a new image at once after a change.
    return ContentFile(data, name=f"{prefix}-{hashlib.sha256(data).hexdigest()[:12]}.{fmt.lower()}")


def clean_logo(upload) -> ContentFile:
    """The network logo as a fresh PNG (at most LOGO_BOX)."""
    image = _decode(upload, "RGBA")
    image.thumbnail(LOGO_BOX)
    return _named(image, "logo", "PNG", optimize=True)


def clean_photo(upload) -> ContentFile:
    """A member's photo: cropped to a centred square of PHOTO_SIZE, as a JPEG without any metadata."""
    image = ImageOps.fit(_decode(upload, "RGB"), (PHOTO_SIZE, PHOTO_SIZE), Image.Resampling.LANCZOS)
    return _named(image, "photo", "JPEG", quality=85, optimize=True)


PICTURE_BOX = (1600, 1600)


def clean_picture(upload, prefix) -> ContentFile:
    """A picture shown in a page: an event's cover or report photo, a feed post's image, a chat attachment
    (`prefix` names the file: "event", "feed", "message"). At most PICTURE_BOX, as a JPEG without any
    metadata."""
    image = _decode(upload, "RGB")
    image.thumbnail(PICTURE_BOX, Image.Resampling.LANCZOS)
    return _named(image, prefix, "JPEG", quality=85, optimize=True)


def private_image_response(request, image):
    """A stored (re-encoded) image for a viewer already checked: browsers keep it privately and ask again each
    time (no-cache + ETag from the file name), so an image hidden later is not shown from a cache."""
    etag = f'"{image.name.rsplit("/", 1)[-1]}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        try:
            response = FileResponse(image.open("rb"), content_type="image/jpeg")
        except FileNotFoundError:
            raise Http404 from None
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response
