"""Events as iCalendar (RFC 5545): one event's download and a member's private feed of their events.

icalendar does the escaping and line folding; times are written in UTC, which every calendar reads, and
the location says where. The meeting link is included only for the people with a confirmed seat."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from kizuna.core.models import NetworkSettings

from .actions import event_url


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", "-//Kizuna//Events//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _entry(event, *, with_online_url):
    entry = CalendarEvent()
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0]
    entry.add("uid", f"event-{event.pk}@{host}")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.title)
    entry.add("url", event_url(event))
    places = [event.venue] if event.venue else []
    lines = [event_url(event)]
    if with_online_url and event.online_url:
        places.append(event.online_url)
        lines.append(event.online_url)
    if places:
        entry.add("location", " / ".join(places))
    if event.description:
        lines.append(event.description)
    entry.add("description", "\n\n".join(lines))
    entry.add("last-modified", event.updated_at)
    return entry


def ics_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


def event_calendar(event, *, with_online_url):
    calendar = _calendar(event.title)
    calendar.add("method", "PUBLISH")
    calendar.add_component(_entry(event, with_online_url=with_online_url))
    return calendar


def member_calendar(events):
    """The member's confirmed events: every one of them has their seat, so the meeting link is in."""
    calendar = _calendar(NetworkSettings.load().name)
    for event in events:
        calendar.add_component(_entry(event, with_online_url=True))
    return calendar
