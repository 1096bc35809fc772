"""Feed data for tests, made through actions like every other write."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kizuna.core.models import OutboxEmail
from kizuna.feed import actions
from kizuna.feed.models import Audience, Kind, Post
from kizuna.notifications.models import Alert


def post(author, body="近況報告です。", **kwargs):
    return actions.do_create_post(author, body=body, **kwargs)


def official(author, *, kind=Kind.ANNOUNCEMENT, title="お知らせ", body="本文です。", publish_at=None, image=None,
             **values):
    data = {"kind": kind, "title": title, "body": body, "audience": Audience.NETWORK, "category": "",
            "pinned": False, "publish_at": publish_at, **values}
    return actions.do_save_official(author, Post(), data, image=image)


def png(width=40, height=30, colour=(200, 30, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def alerts(user):
    return list(Alert.objects.filter(user=user).values_list("text", flat=True))


def mails_to(user):
    return list(OutboxEmail.objects.filter(to=user.email))
