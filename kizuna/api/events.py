"""Events over HTTP: list what you may see, create events (staff), register and cancel, with the same
rules as the pages (events.access for who sees what, events.actions for every write). The online meeting
URL is null unless you have a confirmed seat (or run the event)."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from kizuna.events import access, actions
from kizuna.events.models import DEFAULT_TIME_ZONE, Event, Registration
from kizuna.members.models import State, User

from .errors import FieldErrors, field_errors

router = Router(tags=["events"])

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class EventOut(Schema):
    id: int
    title: str
    description: str = Field(description="Markdown.")
    format: str = Field(description="onsite, online or hybrid.")
    venue: str
    map_url: str
    online_url: str | None = Field(description="Only for people with a confirmed seat and the hosts; else null.")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str = Field(description="The zone the event is announced in, e.g. Asia/Tokyo.")
    capacity: int | None = Field(description="Seats, companions included; null for no limit.")
    seats_taken: int
    max_companions: int
    deadline: datetime.datetime | None = Field(description="Registration closes; null: at the start.")
    fee_note: str
    questions: list[str]
    audience: str = Field(description="everyone, alumni, employees or invited.")
    my_status: str | None = Field(description="confirmed, waitlisted, cancelled or null.")
    url: str


class EventPage(Schema):
    total: int
    page: int
    page_size: int
    results: list[EventOut]


class EventIn(Schema):
    title: str
    description: str = ""
    format: str = Field(Event.Format.ONSITE, description="onsite, online or hybrid.")
    venue: str = ""
    map_url: str = ""
    online_url: str = ""
    time_zone: str = DEFAULT_TIME_ZONE
    starts_at: datetime.datetime = Field(description="ISO 8601; without an offset it is read in time_zone.")
    ends_at: datetime.datetime
    capacity: int | None = None
    max_companions: int = 0
    deadline: datetime.datetime | None = None
    fee_note: str = ""
    questions: list[str] = []
    audience: str = Event.Audience.EVERYONE
    invitee_ids: list[int] = Field([], description="Member ids, for audience `invited`.")
    host_ids: list[int] = Field([], description="Member ids of the hosts.")
    attendees_visible: bool = False


class RsvpIn(Schema):
    companions: int = 0
    answers: dict[str, str] = Field({}, description="Question (as in `questions`) → answer.")


class RegistrationOut(Schema):
    event_id: int
    status: str = Field(description="confirmed, waitlisted or cancelled.")
    companions: int
    check_in_code: str | None = Field(description="For a confirmed seat.")


def _annotated(user, events):
    mine = Registration.objects.filter(event=OuterRef("pk"), user=user).values("status")[:1]
    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    return events.annotate(
        my_status=Subquery(mine),
        taken=Count("registrations", filter=confirmed) + Sum("registrations__companions", filter=confirmed,
                                                                default=0))


def event_json(event, *, my_status, taken, manages) -> dict:
    sees_link = manages or my_status == Registration.Status.CONFIRMED
    return {
        "id": event.pk, "title": event.title, "description": event.description, "format": event.format,
        "venue": event.venue, "map_url": event.map_url, "online_url": (event.online_url or None) if sees_link
        else None, "starts_at": event.starts_at, "ends_at": event.ends_at, "time_zone": event.time_zone,
        "capacity": event.capacity, "seats_taken": taken, "max_companions": event.max_companions,
        "deadline": event.deadline, "fee_note": event.fee_note, "questions": event.questions,
        "audience": event.audience, "my_status": my_status, "url": actions.event_url(event),
    }


def _managed_ids(user, ids):
    if access.is_staff(user):
        return set(ids)
    return set(Event.hosts.through.objects.filter(user=user, event_id__in=ids).values_list("event_id", flat=True))


@router.get("/events", url_name="events", response=EventPage, summary="Events you may see")
def list_events(request, past: bool = False, page: int = 1, page_size: int = PAGE_SIZE):
    """Upcoming events (not yet ended, soonest first), or with `past=true` those that ended (latest first).
    Events for an audience you are not in are not listed."""
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise HttpError(400, f"page must be 1 or more, page_size 1 to {MAX_PAGE_SIZE}.")
    now = timezone.now()
    visible = access.visible_to(request.auth)
    events = visible.filter(ends_at__lte=now).order_by("-starts_at", "-pk") if past \
        else visible.filter(ends_at__gt=now).order_by("starts_at", "pk")
    total = events.count()
    rows = list(_annotated(request.auth, events)[(page - 1) * page_size:page * page_size])
    managed = _managed_ids(request.auth, [e.pk for e in rows])
    return {"total": total, "page": page, "page_size": page_size, "results": [
        event_json(e, my_status=e.my_status, taken=e.taken, manages=e.pk in managed) for e in rows]}


@router.get("/events/{int:event_id}", url_name="event", response=EventOut, summary="One event")
def get_event(request, event_id: int):
    """An event you may see; any other id is 404."""
    event = _annotated(request.auth, access.visible_to(request.auth)).filter(pk=event_id).first()
    if event is None:
        raise HttpError(404, "Not found.")
    return event_json(event, my_status=event.my_status, taken=event.taken,
                      manages=access.may_manage(request.auth, event))


def _aware(value, zone):
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=zone)


@router.post("/events", url_name="events_create", response={201: EventOut, 403: dict, 422: FieldErrors},
             summary="Create an event (admins and moderators)")
def create_event(request, payload: EventIn):
    """Create an event, as the form on /events/new/ does. Problems are 422 with each field's message."""
    if not access.is_staff(request.auth):
        raise HttpError(403, "Only admins and moderators create events.")
    data = payload.model_dump()
    try:
        zone = zoneinfo.ZoneInfo(data["time_zone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return Status(422, field_errors([(("body", "time_zone"), "Unknown time zone.", "invalid")]))
    for name in ("starts_at", "ends_at", "deadline"):
        data[name] = _aware(data[name], zone)
    people = User.objects.filter(state=State.ACTIVE)
    hosts = list(people.filter(pk__in=data.pop("host_ids")))
    invitees = list(people.filter(pk__in=data.pop("invitee_ids")))
    if len(hosts) != len(set(payload.host_ids)) or len(invitees) != len(set(payload.invitee_ids)):
        return Status(422, field_errors([(("body", "host_ids"), "Unknown or inactive member ids.", "invalid")]))
    try:
        event = actions.do_save_event(request.auth, Event(), data, hosts=hosts, invitees=invitees, request=request)
    except ValidationError as error:
        return Status(422, field_errors(((("body", field), message, "invalid")
                                         for field, messages in error.message_dict.items() for message in messages)))
    return Status(201, event_json(event, my_status=None, taken=0, manages=True))


def _registration_json(registration):
    confirmed = registration.status == Registration.Status.CONFIRMED
    return {"event_id": registration.event_id, "status": registration.status, "companions": registration.companions,
            "check_in_code": registration.code if confirmed else None}


@router.post("/events/{int:event_id}/rsvp", url_name="event_rsvp", response={200: RegistrationOut, 422: dict},
             summary="Register (or change companions and answers)")
def rsvp(request, event_id: int, payload: RsvpIn):
    """Register for an event you may see: `confirmed` when all your seats (you and your companions) are free
    and nobody is waiting, else `waitlisted`. Calling it again changes companions and answers. Closed
    registration, too many companions and the like are 422."""
    event = _event_or_404(request, event_id)
    registration = actions.do_rsvp(request.auth, event, companions=payload.companions, answers=payload.answers)
    return _registration_json(registration)


@router.delete("/events/{int:event_id}/rsvp", url_name="event_rsvp", response={200: RegistrationOut, 422: dict},
               summary="Cancel your registration")
def cancel_rsvp(request, event_id: int):
    """Cancel: your seats go to the people waiting, in order."""
    event = _event_or_404(request, event_id)
    return _registration_json(actions.do_cancel_rsvp(request.auth, event))


def _event_or_404(request, event_id):
    event = access.visible_to(request.auth).filter(pk=event_id).first()
    if event is None:
        raise HttpError(404, "Not found.")
    return event
