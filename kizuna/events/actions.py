"""The only writes of events: creating and editing events, registrations and the waiting list, check-in,
feedback, the event report, calendar addresses and reminders.

Seats: a registration takes 1 + its companions. Registrations, cancellations and changes of an event's
capacity run with the event's row locked (SELECT … FOR UPDATE on PostgreSQL; on SQLite every transaction
begins IMMEDIATE, see settings), so seats are counted by one writer at a time and arrival order
(`Registration.seq`) is exact. The waiting list is served strictly in arrival order: a registration that
does not fit entirely waits, and nobody overtakes the first person waiting, even with fewer seats.
"""

import datetime
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from kizuna.core.actions import audit
from kizuna.core.email import send_email
from kizuna.members.models import State, User

from . import access
from .models import CalendarFeed, Event, Feedback, Registration, ReminderSent, ReportPhoto
from .signals import event_published, registration_cancelled

MAX_QUESTIONS = 10
MAX_COMPANIONS = 10
MAX_ANSWER_LENGTH = 1000
MAX_PHOTOS = 20
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed
CODE_LENGTH = 10  # 50 random bits
REMINDERS = {ReminderSent.Kind.DAY: datetime.timedelta(days=1), ReminderSent.Kind.HOUR: datetime.timedelta(hours=1)}

EVENT_FIELDS = ("title", "description", "format", "venue", "map_url", "online_url", "time_zone", "starts_at",
                "ends_at", "capacity", "max_companions", "deadline", "fee_note", "questions", "audience",
                "attendees_visible")


def event_url(event):
    return settings.SITE_URL + reverse("event_detail", args=[event.pk])


# --- Events ----------------------------------------------------------------------------------------

def check_event(values, *, hosts=(), invitees=()):
    """Raise ValidationError (a dict keyed by field) unless `values` make a valid event."""
    errors = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _("Please enter a title.")
    try:
        zoneinfo.ZoneInfo(values.get("time_zone") or "")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = _("Please choose a time zone.")
    starts, ends, deadline = values.get("starts_at"), values.get("ends_at"), values.get("deadline")
    if starts is None:
        errors["starts_at"] = _("Please enter when the event starts.")
    if ends is None:
        errors["ends_at"] = _("Please enter when the event ends.")
    elif starts is not None and ends <= starts:
        errors["ends_at"] = _("The end must be after the start.")
    if deadline is not None and starts is not None and deadline > starts:
        errors["deadline"] = _("The registration deadline must be before the event starts.")
    fmt = values.get("format")
    if fmt not in Event.Format.values:
        errors["format"] = _("Please choose on site, online or both.")
    elif fmt != Event.Format.ONLINE and not (values.get("venue") or "").strip():
        errors["venue"] = _("Please enter the venue.")
    if fmt == Event.Format.ONSITE and values.get("online_url"):
        errors["online_url"] = _("An event on site only has no online meeting URL.")
    if fmt == Event.Format.ONLINE and (values.get("venue") or values.get("map_url")):
        errors["venue"] = _("An online event has no venue.")
    for name in ("map_url", "online_url"):
        if values.get(name):
            try:
                URLValidator(schemes=["http", "https"])(values[name])
            except ValidationError:
                errors[name] = _("Please enter a web address starting with https://.")
    capacity = values.get("capacity")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("The capacity must be at least 1, or empty for no limit.")
    if not 0 <= (values.get("max_companions") or 0) <= MAX_COMPANIONS:
        errors["max_companions"] = _("At most %(n)s companions per registration.") % {"n": MAX_COMPANIONS}
    questions = values.get("questions") or []
    if len(questions) > MAX_QUESTIONS or any(len(q) > 200 for q in questions):
        errors["questions"] = _("At most %(n)s questions of up to 200 characters.") % {"n": MAX_QUESTIONS}
    if values.get("audience") not in Event.Audience.values:
        errors["audience"] = _("Please choose who may see and join the event.")
    elif values["audience"] == Event.Audience.INVITED and not invitees:
        errors["invitees"] = _("Please add the members you invite.")
    if any(not member.is_member for member in [*hosts, *invitees]):
        errors["hosts"] = _("Hosts and invited people must be active members.")
    if errors:
        raise ValidationError(errors)


def do_save_event(actor, event, values, *, hosts, invitees=(), cover=None, remove_cover=False, notify=True,
                  request=None):
    """Create (event.pk is None) or update an event. `cover` is a checked ContentFile (images.clean_picture).
    A change of time re-schedules the reminders and tells the people registered (unless `notify` is off: the
    demo network dates its past events back after people registered); more seats serve the waiting list."""
    check_event(values, hosts=hosts, invitees=invitees)
    values = {**values, "title": values["title"].strip()}
    created = event.pk is None
    with transaction.atomic():
        if not created:
            event = Event.objects.select_for_update().get(pk=event.pk)
        before = {name: getattr(event, name) for name in ("starts_at", "ends_at", "capacity")}
        for name in EVENT_FIELDS:
            setattr(event, name, values.get(name, getattr(event, name)))
        if values["audience"] != Event.Audience.INVITED:
            invitees = ()
        old_cover = event.cover.name if (cover is not None or remove_cover) else ""
        if cover is not None:
            event.cover = cover
        elif remove_cover:
            event.cover = ""
        if created:
            event.created_by = actor if getattr(actor, "pk", None) else None
        event.save()
        event.hosts.set(hosts)
        event.invitees.set(invitees)
        if old_cover:
            storage = event.cover.storage
            transaction.on_commit(lambda: storage.delete(old_cover))
        changed = sorted(name for name, value in before.items() if value != getattr(event, name)) if not created \
            else []
        audit(actor, "event.create" if created else "event.update", event, request=request,
              detail={"changed": changed} if changed else None)
        if created:
            event_published.send(sender=Event, event=event)
        if created or "starts_at" in changed:
            _schedule_reminders(event)
        if notify and not created and ("starts_at" in changed or "ends_at" in changed):
            _tell_time_changed(event)
        if not created:
            _promote_waiting(event)
    return event


def _tell_time_changed(event):
    for registration in event.registrations.filter(status__in=_active()).select_related("user"):
        if registration.user is not None and registration.user.email:
            _mail(registration, "events/email/time_changed")


# --- Registrations ----------------------------------------------------------------------------------

def _active():
    return (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


def _new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def _clean_answers(event, answers):
    answers = answers or {}
    cleaned = []
    for question in event.questions:
        answer = str(answers.get(question, "") or "").strip()
        if len(answer) > MAX_ANSWER_LENGTH:
            raise ValidationError(_("Please keep each answer under %(n)s characters.") % {"n": MAX_ANSWER_LENGTH})
        cleaned.append({"question": question, "answer": answer})
    return cleaned


def check_rsvp(user, event, *, companions=0):
    if not user.is_member:
        raise ValidationError(_("Only active members can register."))
    now = timezone.now()
    if event.starts_at <= now:
        raise ValidationError(_("This event has already started."))
    if event.registration_closes_at <= now:
        raise ValidationError(_("Registration for this event has closed."))
    if not 0 <= companions <= event.max_companions:
        if event.max_companions:
            raise ValidationError(_("You can bring at most %(n)s companions.") % {"n": event.max_companions})
        raise ValidationError(_("This event does not take companions."))


def _fits(event, seats):
    """Whether `seats` more can be confirmed now: nobody is waiting and the seats are free (event locked)."""
    if event.capacity is None:
        return True
    if Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).exists():
        return False
    return access.seats_taken(event) + seats <= event.capacity


def _locked(event):
    return Event.objects.select_for_update().get(pk=event.pk)


def do_rsvp(user, event, *, companions=0, answers=None):
    """Register the member (or change their companions and answers). Returns the registration: confirmed
    when all its seats are free and nobody is waiting, else on the waiting list. The caller checked that
    the member may see the event (access.access_event)."""
    with transaction.atomic():
        event = _locked(event)
        check_rsvp(user, event, companions=companions)
        cleaned = _clean_answers(event, answers)
        registration = Registration.objects.filter(event=event, user=user).first()
        if registration is not None and registration.status in _active():
            return _change_registration(event, registration, companions, cleaned)
        if registration is None:
            registration = Registration(event=event, user=user, code=_new_code())
        registration.companions, registration.answers = companions, cleaned
        registration.seq, event.next_seq = event.next_seq, event.next_seq + 1
        registration.status = (Registration.Status.CONFIRMED if _fits(event, 1 + companions)
                               else Registration.Status.WAITLISTED)
        registration.checked_in_at = None
        registration.save()
        event.save(update_fields=["next_seq"])
        _mail(registration, "events/email/registered" if registration.status == Registration.Status.CONFIRMED
              else "events/email/waitlisted")
    return registration


def _change_registration(event, registration, companions, answers):
    """A registered member changes companions or answers; their place in the queue stays."""
    extra = companions - registration.companions
    if (registration.status == Registration.Status.CONFIRMED and extra > 0 and event.capacity is not None
            and access.seats_taken(event) + extra > event.capacity):
        raise ValidationError(_("There are not enough free seats for more companions. To wait for seats, "
                                "cancel and register again: you will join the waiting list."))
    registration.companions, registration.answers = companions, answers
    registration.save(update_fields=["companions", "answers", "updated_at"])
    if extra < 0:
        _promote_waiting(event)
    return registration


def check_cancel(registration):
    if registration is None or registration.status not in _active():
        raise ValidationError(_("You are not registered for this event."))
    if registration.event.has_started:
        raise ValidationError(_("This event has already started."))


def do_cancel_rsvp(user, event):
    """Cancel the member's registration; the seats go to the waiting list in order (they are emailed)."""
    with transaction.atomic():
        event = _locked(event)
        registration = Registration.objects.filter(event=event, user=user).select_related("event").first()
        check_cancel(registration)
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        _promote_waiting(event)
        registration_cancelled.send(sender=Registration, event=event, user=user)
    return registration


def _promote_waiting(event):
    """Confirm waiting registrations in arrival order while the first one fits entirely (event locked).
    Nobody is promoted once the event has started."""
    if event.has_started:
        return []
    waiting = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).select_related("user")
    free = None if event.capacity is None else event.capacity - access.seats_taken(event)
    promoted = []
    for registration in waiting.order_by("seq"):
        registration.event = event
        if free is not None and registration.seats > free:
            break
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        _mail(registration, "events/email/promoted")
        promoted.append(registration)
        if free is not None:
            free -= registration.seats
    return promoted


def _mail(registration, template):
    user = registration.user
    if user is None or not user.email or user.state != State.ACTIVE:
        return
    event = registration.event
    confirmed = registration.status == Registration.Status.CONFIRMED
    send_email(user.email, template, {
        "event": event, "registration": registration, "url": event_url(event),
        # The meeting link goes only to people with a seat.
        "online_url": event.online_url if confirmed else "",
    }, language=user.language)


# --- Check-in ---------------------------------------------------------------------------------------

def check_check_in(registration):
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("This registration is not confirmed (on the waiting list or cancelled)."))
    if registration.checked_in_at is not None:
        raise ValidationError(_("Already checked in at %(time)s.") % {
            "time": timezone.localtime(registration.checked_in_at).strftime("%H:%M")})


def do_check_in(actor, registration):
    with transaction.atomic():
        registration = Registration.objects.select_for_update(of=("self",)).select_related("user", "event").get(
            pk=registration.pk)
        check_check_in(registration)
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration


def do_add_walk_in(actor, event, *, name):
    """Someone who came without registering (当日参加): confirmed and checked in at once, beyond capacity."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Please enter the name."))
    if len(name) > 150:
        raise ValidationError(_("The name is too long."))
    with transaction.atomic():
        event = _locked(event)
        registration = Registration.objects.create(
            event=event, walk_in=True, walk_in_name=name, status=Registration.Status.CONFIRMED, seq=event.next_seq,
            code=_new_code(), checked_in_at=timezone.now())
        event.next_seq += 1
        event.save(update_fields=["next_seq"])
        audit(actor, "event.walk_in", event)
    return registration


# --- Afterwards: feedback and the report --------------------------------------------------------------

def check_feedback(user, event, rating, comment):
    registration = access.own_registration(user, event)
    if not access.may_give_feedback(user, event, registration):
        raise ValidationError(_("Only people registered for the event can answer, once it has started."))
    if rating not in range(1, 6):
        raise ValidationError(_("Please choose a rating from 1 to 5."))
    if len(comment) > 2000:
        raise ValidationError(_("Please keep the comment under 2000 characters."))


def do_give_feedback(user, event, *, rating, comment=""):
    comment = (comment or "").strip()
    check_feedback(user, event, rating, comment)
    feedback, _created = Feedback.objects.update_or_create(event=event, user=user,
                                                           defaults={"rating": rating, "comment": comment})
    return feedback


def check_report(event, text):
    if not event.has_started:
        raise ValidationError(_("The report can be written once the event has started."))
    if len(text) > 20000:
        raise ValidationError(_("The report is too long."))


def do_save_report(actor, event, *, text, photos=(), remove_photo_ids=(), request=None):
    """Write the event report (開催レポート). `photos` are checked ContentFiles (images.clean_picture)."""
    text = (text or "").strip()
    check_report(event, text)
    with transaction.atomic():
        event = _locked(event)
        kept = event.photos.exclude(pk__in=remove_photo_ids)
        if kept.count() + len(photos) > MAX_PHOTOS:
            raise ValidationError(_("At most %(n)s photos per report.") % {"n": MAX_PHOTOS})
        removed = list(event.photos.filter(pk__in=remove_photo_ids))
        for photo in removed:
            storage, name = photo.image.storage, photo.image.name
            photo.delete()
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        for photo in photos:
            ReportPhoto.objects.create(event=event, image=photo)
        event.report = text
        event.report_published_at = (event.report_published_at or timezone.now()) if (text or event.photos.exists()) \
            else None
        event.save(update_fields=["report", "report_published_at", "updated_at"])
        audit(actor, "event.report", event, request=request)
    return event


# --- Calendar and reminders -------------------------------------------------------------------------

def do_reset_calendar_token(user):
    """A new private calendar address; the old one stops working at once."""
    feed, _created = CalendarFeed.objects.update_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})
    return feed


def calendar_feed_of(user):
    return CalendarFeed.objects.filter(user=user).first() or do_reset_calendar_token(user)


def _schedule_reminders(event):
    """Queue the reminder task for the times its reminders are due. The immediate backend (no worker)
    cannot defer; the worker's housekeeping also sends due reminders every 10 minutes, as a backstop for
    tasks lost or queued there."""
    from .tasks import send_event_reminders

    if not task_backends[DEFAULT_TASK_BACKEND_ALIAS].supports_defer:
        return
    now = timezone.now()
    for offset in REMINDERS.values():
        due = event.starts_at - offset
        if due > now:
            transaction.on_commit(lambda due=due: send_event_reminders.using(run_after=due).enqueue(event.pk))


def _due_kind(event, now):
    """The reminder due now: the day's from 24 hours to 1 hour before the start, then the hour's."""
    if event.starts_at - REMINDERS[ReminderSent.Kind.HOUR] <= now < event.starts_at:
        return ReminderSent.Kind.HOUR
    if event.starts_at - REMINDERS[ReminderSent.Kind.DAY] <= now < event.starts_at:
        return ReminderSent.Kind.DAY
    return None


def do_send_event_reminders(event_id):
    """Send the reminder due now to every confirmed registration not yet reminded of this start time.
    Idempotent: the ReminderSent row is written before the mail is queued, in the same transaction."""
    event = Event.objects.filter(pk=event_id).first()
    kind = _due_kind(event, timezone.now()) if event is not None else None
    if kind is None:
        return 0
    sent = 0
    registrations = event.registrations.filter(status=Registration.Status.CONFIRMED, user__isnull=False) \
        .exclude(reminders__kind=kind, reminders__starts_at=event.starts_at).select_related("user")
    for registration in registrations:
        with transaction.atomic():
            _marker, created = ReminderSent.objects.get_or_create(registration=registration, kind=kind,
                                                                  starts_at=event.starts_at)
            if created:
                _mail(registration, f"events/email/reminder_{kind}")
                sent += 1
    return sent


def do_send_due_reminders():
    """Housekeeping: reminders of every event starting within a day."""
    now = timezone.now()
    soon = Event.objects.filter(starts_at__gt=now, starts_at__lte=now + REMINDERS[ReminderSent.Kind.DAY])
    return sum(do_send_event_reminders(pk) for pk in soon.values_list("pk", flat=True))


# --- Exports and withdrawal ---------------------------------------------------------------------------

def do_record_export(actor, event, *, file_format, rows, request=None):
    audit(actor, "event.export", event, request=request, detail={"format": file_format, "rows": rows})


def erase_member_event_data(sender, member, **kwargs):
    """member_withdrawing receiver. Upcoming registrations are cancelled (their seats go to the waiting
    list) and deleted with their answers; past ones stay as anonymous rows so that attendance figures
    stay true. Feedback keeps its rating without the member or the comment. Hosting and invitations go."""
    now = timezone.now()
    for registration in Registration.objects.filter(user=member, event__starts_at__gt=now).select_related("event"):
        with transaction.atomic():
            event = _locked(registration.event)
            registration.delete()
            _promote_waiting(event)
    Registration.objects.filter(user=member).update(user=None, answers=[], walk_in_name="")
    Feedback.objects.filter(user=member).update(user=None, comment="")
    CalendarFeed.objects.filter(user=member).delete()
    member.hosted_events.clear()
    member.event_invitations.clear()


def members_by_email(text):
    """Active members named by addresses in `text` (one per line or separated by commas); unknown addresses
    are a ValidationError listing them."""
    addresses = {part.strip().lower() for part in text.replace(",", "\n").split() if part.strip()}
    found = list(User.objects.filter(email__in=addresses, state=State.ACTIVE))
    missing = sorted(addresses - {user.email for user in found})
    if missing:
        raise ValidationError(_("No active member has these addresses: %(list)s") % {"list": ", ".join(missing)})
    return found
