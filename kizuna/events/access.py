"""Who may see and do what with events. Views, the API and the calendar feed ask here.

An event is seen by its audience (everyone, alumni, employees or an invite list), its hosts and staff
(admins and moderators, who run events). Anyone else gets 404: they do not learn the event exists.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Exists, OuterRef, Q, Subquery, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.members.access import blocked_ids
from kizuna.members.profiles import Audience, audience_of

from .models import Event, Feedback, Registration


def is_staff(user) -> bool:
    """Admins and moderators: they create events and run every one of them."""
    return user.is_authenticated and user.is_moderator


def visible_to(user):
    """Events the member may see (no staff shortcut for anonymous or inactive accounts)."""
    if not (user.is_authenticated and user.is_member):
        return Event.objects.none()
    if is_staff(user):
        return Event.objects.all()
    side = audience_of(user)
    audiences = [Event.Audience.EVERYONE]
    audiences.append(Event.Audience.ALUMNI if side == Audience.ALUMNI else Event.Audience.EMPLOYEES)
    hosted = Event.hosts.through.objects.filter(event=OuterRef("pk"), user=user)
    invited = Event.invitees.through.objects.filter(event=OuterRef("pk"), user=user)
    return Event.objects.filter(Q(audience__in=audiences) | (Q(audience=Event.Audience.INVITED) & Exists(invited))
                                | Exists(hosted))


def access_event(user, pk):
    """The event if the member may see it, else 404."""
    try:
        return visible_to(user).get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_manage(user, event) -> bool:
    """Hosts and staff edit the event, see every registration, check people in and write the report."""
    return is_staff(user) or event.hosts.filter(pk=user.pk).exists()


def access_managed_event(user, pk):
    event = access_event(user, pk)
    if not may_manage(user, event):
        raise PermissionDenied
    return event


def own_registration(user, event):
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()


def seats_taken(event) -> int:
    confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
    return confirmed.aggregate(n=Sum("companions") + Count("pk"))["n"] or 0


def waiting_count(event) -> int:
    return Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).count()


def may_see_online_url(user, event) -> bool:
    """Only confirmed attendees (and the people running the event) get the meeting link."""
    if not event.online_url:
        return False
    if may_manage(user, event):
        return True
    return Registration.objects.filter(event=event, user=user, status=Registration.Status.CONFIRMED).exists()


def may_see_attendees(user, event, registration) -> bool:
    if may_manage(user, event):
        return True
    return (event.attendees_visible and registration is not None
            and registration.status == Registration.Status.CONFIRMED)


def attendee_names(viewer, event):
    """Confirmed members as other attendees see them: names only, blocks hidden both ways."""
    return list(Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED, user__isnull=False)
                .exclude(user_id__in=blocked_ids(viewer)).select_related("user")
                .values_list("user__name", flat=True))


def host_names(viewer, event):
    return [host.name for host in event.hosts.exclude(pk__in=blocked_ids(viewer)).order_by("kana_key", "pk")]


def registrations_for_staff(event):
    return Registration.objects.filter(event=event).exclude(status=Registration.Status.CANCELLED) \
        .select_related("user").order_by("status", "seq")


def access_registration_by_code(event, code):
    """The registration a typed or scanned check-in code names, within this event only."""
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    try:
        return Registration.objects.select_related("user").get(event=event, code=code)
    except Registration.DoesNotExist:
        raise Http404 from None


def may_give_feedback(user, event, registration) -> bool:
    return (event.has_started and registration is not None
            and registration.status == Registration.Status.CONFIRMED)


def own_feedback(user, event):
    return Feedback.objects.filter(event=event, user=user).first() if user.is_authenticated else None


def event_figures(events):
    """Registrations, attendance and feedback per event: one query for any number of events."""
    confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
    return events.annotate(
        registered=Count("registrations", filter=confirmed & Q(registrations__walk_in=False), distinct=True),
        walk_ins=Count("registrations", filter=confirmed & Q(registrations__walk_in=True), distinct=True),
        attended=Count("registrations", filter=confirmed & Q(registrations__walk_in=False)
                       & Q(registrations__checked_in_at__isnull=False), distinct=True),
        average_rating=Subquery(Feedback.objects.filter(event=OuterRef("pk")).values("event")
                                .annotate(avg=Avg("rating")).values("avg")),
        waitlisted=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED),
                         distinct=True),
    )


def figures_of(event):
    """One event's figures for its hosts and HR (attendance among those who registered in advance)."""
    regs = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
    registered = regs.filter(walk_in=False).count()
    attended = regs.filter(walk_in=False, checked_in_at__isnull=False).count()
    walk_ins = regs.filter(walk_in=True).count()
    ratings = Feedback.objects.filter(event=event).values_list("rating", flat=True)
    return _figures(registered, attended, walk_ins, list(ratings), event.is_over)


def _figures(registered, attended, walk_ins, ratings, over):
    rate = attended / registered if registered and over else None
    return {
        "registered": registered,
        "attended": attended,
        "walk_ins": walk_ins,
        "attendance_rate": rate,
        "no_show_rate": (1 - rate) if rate is not None else None,
        "feedback_count": len(ratings),
        "average_rating": sum(ratings) / len(ratings) if ratings else None,
    }


def overall_figures():
    """Figures over every event that has ended (HR's イベント実績)."""
    past = Event.objects.filter(ends_at__lte=timezone.now())
    regs = Registration.objects.filter(event__in=past, status=Registration.Status.CONFIRMED)
    registered = regs.filter(walk_in=False).count()
    attended = regs.filter(walk_in=False, checked_in_at__isnull=False).count()
    feedback = Feedback.objects.filter(event__in=past)
    figures = _figures(registered, attended, regs.filter(walk_in=True).count(), [], True)
    figures["feedback_count"] = feedback.count()
    figures["average_rating"] = feedback.aggregate(avg=Avg("rating"))["avg"]
    figures["events"] = past.count()
    return figures


def dashboard_cards():
    """(label, count, link) for the admin dashboard."""
    rate = overall_figures()["attendance_rate"]
    return [
        (_("Upcoming events"), Event.objects.filter(ends_at__gt=timezone.now()).count(), reverse("event_list")),
        (_("Event attendance rate"), "—" if rate is None else f"{rate:.0%}", reverse("event_figures")),
    ]
