"""Events for tests, made through actions like every other write."""

import datetime

from django.utils import timezone

from kizuna.events import actions
from kizuna.events.models import Event


def make_event(actor=None, *, hosts=(), invitees=(), starts_in=datetime.timedelta(days=7), hours=2, **values):
    starts = timezone.now() + starts_in
    data = {
        "title": "アルムナイ交流会 2026", "description": "**乾杯**のあと自由に歓談します。", "format": "hybrid",
        "venue": "本社 20階 大会議室", "map_url": "https://maps.example.jp/honsha",
        "online_url": "https://meet.example.jp/secret-room", "time_zone": "Asia/Tokyo", "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=hours), "capacity": None, "max_companions": 0, "deadline": None,
        "fee_note": "", "questions": [], "audience": Event.Audience.EVERYONE, "attendees_visible": False,
    }
    data.update(values)
    return actions.do_save_event(actor, Event(), data, hosts=list(hosts), invitees=list(invitees))


def edit_event(event, actor=None, **changes):
    values = {name: getattr(event, name) for name in actions.EVENT_FIELDS}
    values.update(changes)
    return actions.do_save_event(actor, event, values, hosts=list(event.hosts.all()),
                                 invitees=list(event.invitees.all()))


def move_to_past(event, *, days=1):
    """Events cannot be created in the past through the form's rules on time alone; tests shift them."""
    shift = event.starts_at - (timezone.now() - datetime.timedelta(days=days))
    Event.objects.filter(pk=event.pk).update(starts_at=event.starts_at - shift, ends_at=event.ends_at - shift,
                                             deadline=None)
    event.refresh_from_db()
    return event


def mails():
    """Queued email, oldest first (each message is an OutboxEmail row as soon as it is queued)."""
    from kizuna.core.models import OutboxEmail

    return list(OutboxEmail.objects.order_by("pk"))


def clear_mails():
    from kizuna.core.models import OutboxEmail

    OutboxEmail.objects.all().delete()


def image_upload(name="photo.jpg", color="orange"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
