"""Event pages: the list, an event's page with registration, the hosts' pages (edit, check-in, report),
calendar downloads and HR's figures and exports."""

import segno
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.core.paging import paginate
from kizuna.members.access import admin_required, member_required

from . import access, actions, exports, ics
from .forms import CheckInForm, EventForm, FeedbackForm, ReportForm, RsvpForm, WalkInForm
from .models import CalendarFeed, Event, Registration

LIST_SIZE = 50
PAST_PAGE_SIZE = 20


def _listed(user, events):
    """Events with the viewer's own status and the seats taken, in one query."""
    mine = Registration.objects.filter(event=OuterRef("pk"), user=user).values("status")[:1]
    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    return events.annotate(
        my_status=Subquery(mine),
        taken=Count("registrations", filter=confirmed) + Sum("registrations__companions", filter=confirmed,
                                                                default=0),
    )


@member_required
def event_list(request):
    now = timezone.now()
    visible = access.visible_to(request.user)
    upcoming = _listed(request.user, visible.filter(ends_at__gt=now).order_by("starts_at", "pk"))[:LIST_SIZE]
    ended = visible.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    past, query = paginate(request, _listed(request.user, ended), PAST_PAGE_SIZE)
    return render(request, "events/event_list.html", {
        "upcoming": upcoming, "past": past, "query": query, "can_create": access.is_staff(request.user)})


@member_required
def event_new(request):
    if not access.is_staff(request.user):
        raise PermissionDenied
    return _edit(request, Event())


@member_required
def event_edit(request, pk):
    return _edit(request, access.access_managed_event(request.user, pk))


def _edit(request, event):
    form = EventForm(request.POST or None, request.FILES or None, event=event)
    if request.method == "POST" and form.is_valid():
        cover = form.cleaned_data["cover"]
        try:
            event = actions.do_save_event(
                request.user, event, form.values(), hosts=form.cleaned_data["hosts"],
                invitees=form.cleaned_data["invitees"], cover=cover or None, remove_cover=cover is False,
                request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event has been saved."))
            return redirect("event_detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


def _detail_context(request, event, *, rsvp_form=None, feedback_form=None):
    user = request.user
    registration = access.own_registration(user, event)
    active = registration is not None and registration.status != Registration.Status.CANCELLED
    confirmed = active and registration.status == Registration.Status.CONFIRMED
    context = {
        "event": event,
        "registration": registration if active else None,
        "manage": access.may_manage(user, event),
        "hosts": access.host_names(user, event),
        "online_url": event.online_url if access.may_see_online_url(user, event) else "",
        "seats_taken": access.seats_taken(event),
        "waiting": access.waiting_count(event),
        "open": not event.has_started and event.registration_closes_at > timezone.now(),
        "photos": event.photos.all(),
    }
    if event.capacity is not None:
        context["seats_left"] = max(event.capacity - context["seats_taken"], 0)
    if confirmed and not event.is_over:
        qr = segno.make(registration.code, error="m")
        context["qr_svg"] = qr.svg_inline(border=2, light="#fff", omitsize=True, title=_("Check-in code"))
    if access.may_see_attendees(user, event, registration if active else None):
        context["attendees"] = access.attendee_names(user, event)
    if context["open"]:
        initial = {"companions": registration.companions} if active else {}
        if active:
            initial.update({f"q{i}": a["answer"] for i, a in enumerate(registration.answers)})
        form = rsvp_form or RsvpForm(event=event, initial=initial)
        if form.fields or not active:  # registered, with no companions or answers to change: nothing to show
            context["rsvp_form"] = form
    if access.may_give_feedback(user, event, registration if active else None):
        feedback = access.own_feedback(user, event)
        context["feedback"] = feedback
        context["feedback_form"] = feedback_form or FeedbackForm(
            initial={"rating": feedback.rating, "comment": feedback.comment} if feedback else None)
    if context["manage"]:
        context["figures"] = access.figures_of(event)
    return context


@member_required
def event_detail(request, pk):
    event = access.access_event(request.user, pk)
    return render(request, "events/event_detail.html", _detail_context(request, event))


@member_required
@require_POST
def event_rsvp(request, pk):
    event = access.access_event(request.user, pk)
    form = RsvpForm(request.POST, event=event)
    if form.is_valid():
        try:
            registration = actions.do_rsvp(request.user, event, companions=form.cleaned_data.get("companions", 0),
                                           answers=form.answers())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(request, _("You are registered. See you there!"))
            else:
                messages.success(request, _("The event is full: you are on the waiting list. We will email you "
                                            "if a seat becomes free."))
            return redirect("event_detail", pk=event.pk)
    return render(request, "events/event_detail.html", _detail_context(request, event, rsvp_form=form), status=400)


@member_required
@require_POST
def event_cancel(request, pk):
    event = access.access_event(request.user, pk)
    try:
        actions.do_cancel_rsvp(request.user, event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration has been cancelled."))
    return redirect("event_detail", pk=event.pk)


@member_required
@require_POST
def event_feedback(request, pk):
    event = access.access_event(request.user, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            actions.do_give_feedback(request.user, event, rating=form.cleaned_data["rating"],
                                     comment=form.cleaned_data["comment"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you for your feedback."))
        return redirect("event_detail", pk=event.pk)
    return render(request, "events/event_detail.html", _detail_context(request, event, feedback_form=form),
                  status=400)


@member_required
def event_ics(request, pk):
    event = access.access_event(request.user, pk)
    calendar = ics.event_calendar(event, with_online_url=access.may_see_online_url(request.user, event))
    return ics.ics_response(calendar, f"event-{event.pk}.ics")


# Opened on its own, an image is shown by the browser's image viewer, which styles itself inline.
IMAGE_POLICY = {"default-src": ["'none'"], "img-src": ["'self'"], "style-src": ["'unsafe-inline'"]}


def _image(field):
    try:
        response = FileResponse(field.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404 from None
    response["Cache-Control"] = "private, max-age=3600"
    return response


@csp_replace(IMAGE_POLICY)
@member_required
def event_cover(request, pk):
    event = access.access_event(request.user, pk)
    if not event.cover:
        raise Http404
    return _image(event.cover)


@csp_replace(IMAGE_POLICY)
@member_required
def event_photo(request, pk, photo_pk):
    event = access.access_event(request.user, pk)
    photo = get_object_or_404(event.photos, pk=photo_pk)
    return _image(photo.image)


# --- Hosts and staff -------------------------------------------------------------------------------------

def _checkin_context(request, event, **extra):
    return {"event": event, "registrations": access.registrations_for_staff(event),
            "figures": access.figures_of(event), "form": CheckInForm(), "walk_in_form": WalkInForm(), **extra}


def _checkin_response(request, event, status=200, **extra):
    if request.htmx:
        # htmx swaps only successful responses; the problem is in the panel it shows.
        return render(request, "events/checkin_partial.html", _checkin_context(request, event, **extra))
    return render(request, "events/checkin.html", _checkin_context(request, event, **extra), status=status)


@member_required
def event_checkin(request, pk):
    """The reception (受付): scan or type a code; the list shows who is here."""
    event = access.access_managed_event(request.user, pk)
    if request.method != "POST":
        return _checkin_response(request, event)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _checkin_response(request, event, status=400, error=_("Please enter a check-in code."))
    try:
        registration = access.access_registration_by_code(event, form.cleaned_data["code"])
    except Http404:
        return _checkin_response(request, event, status=404, error=_("No registration for this event has this code."))
    try:
        registration = actions.do_check_in(request.user, registration)
    except ValidationError as error:
        return _checkin_response(request, event, status=409, error=" ".join(error.messages), found=registration)
    return _checkin_response(request, event, checked_in=registration)


@member_required
@require_POST
def event_walk_in(request, pk):
    event = access.access_managed_event(request.user, pk)
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            registration = actions.do_add_walk_in(request.user, event, name=form.cleaned_data["name"])
        except ValidationError as error:
            return _checkin_response(request, event, status=400, error=" ".join(error.messages))
        return _checkin_response(request, event, checked_in=registration)
    return _checkin_response(request, event, status=400, error=_("Please enter the name."))


@member_required
def event_report(request, pk):
    event = access.access_managed_event(request.user, pk)
    form = ReportForm(request.POST or None, request.FILES or None, initial={"text": event.report})
    if request.method == "POST" and form.is_valid():
        remove = [int(pk) for pk in request.POST.getlist("remove_photo") if pk.isdigit()]
        try:
            actions.do_save_report(request.user, event, text=form.cleaned_data["text"],
                                   photos=form.cleaned_data["photos"], remove_photo_ids=remove, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report has been saved."))
            return redirect("event_detail", pk=event.pk)
    return render(request, "events/report_form.html", {"event": event, "form": form, "photos": event.photos.all()},
                  status=400 if form.errors else 200)


def _export(request, pk, file_format):
    event = access.access_event(request.user, pk)
    registrations = access.registrations_for_staff(event)
    actions.do_record_export(request.user, event, file_format=file_format, rows=registrations.count(),
                             request=request)
    return exports.attendee_export(event, registrations, file_format)


@admin_required
def event_export_csv(request, pk):
    return _export(request, pk, "csv")


@admin_required
def event_export_xlsx(request, pk):
    return _export(request, pk, "xlsx")


@admin_required
def event_figures(request):
    """HR's イベント実績: overall figures and one row per past event."""
    past = access.event_figures(Event.objects.filter(ends_at__lte=timezone.now()).order_by("-starts_at"))
    return render(request, "events/figures.html", {"overall": access.overall_figures(), "events": past[:200]})


# --- Calendar ------------------------------------------------------------------------------------------

@member_required
def event_calendar(request):
    feed = actions.calendar_feed_of(request.user)
    return render(request, "events/calendar.html", {
        "feed_url": settings.SITE_URL + reverse("event_calendar_feed", args=[feed.token])})


@member_required
@require_POST
def event_calendar_reset(request):
    actions.do_reset_calendar_token(request.user)
    messages.success(request, _("Your calendar address has been replaced. The old one no longer works."))
    return redirect("event_calendar")


def event_calendar_feed(request, token):
    """A member's confirmed events, for calendar apps (which cannot sign in: the token is the key)."""
    feed = CalendarFeed.objects.filter(token=token, user__state="active").select_related("user").first()
    if feed is None:
        raise Http404
    events = Event.objects.filter(registrations__user=feed.user,
                                  registrations__status=Registration.Status.CONFIRMED,
                                  pk__in=access.visible_to(feed.user)).order_by("starts_at")
    return ics.ics_response(ics.member_calendar(events), "kizuna-events.ics")
