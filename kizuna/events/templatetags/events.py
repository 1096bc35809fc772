"""Event times shown in the event's own time zone, with the zone, in the page's language."""

import zoneinfo

from django import template
from django.utils import formats

register = template.Library()


def _local(value, zone):
    return value.astimezone(zoneinfo.ZoneInfo(zone))


@register.filter
def event_when(event):
    """e.g. 2026年12月5日 18:30–21:00 (JST), or both dates when it runs over several days."""
    start, end = _local(event.starts_at, event.time_zone), _local(event.ends_at, event.time_zone)
    text = formats.date_format(start, "DATETIME_FORMAT")
    end_format = "H:i" if start.date() == end.date() else "DATETIME_FORMAT"
    return f"{text}–{formats.date_format(end, end_format)} ({start.tzname()})"


@register.filter
def event_time(value, event):
    """One moment (a deadline) in the event's zone, e.g. 2026年12月1日 23:59 (JST)."""
    local = _local(value, event.time_zone)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({local.tzname()})"


@register.filter
def percent(value):
    return "—" if value is None else f"{value * 100:.0f}%"


@register.filter
def code_groups(code):
    """A check-in code in two groups of five, easier to read aloud: ABCDE-FGHJK."""
    return f"{code[:5]}-{code[5:]}"
