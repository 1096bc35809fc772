"""Event times shown in the event's own time zone, with the zone, in the page's language."""

import zoneinfo

from django import template
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()


def _local(value, zone):
    return value.astimezone(zoneinfo.ZoneInfo(zone))


def _day(value):
    """The date with its weekday, which people plan by: 2026年12月5日（土） / Sat 5 Dec 2026."""
    weekday = formats.date_format(value, "D")
    date = formats.date_format(value, "DATE_FORMAT")
    return f"{date}（{weekday}）" if (get_language() or "").startswith("ja") else f"{weekday} {date}"


@register.filter
def event_when(event):
    """e.g. 2026年12月5日（土） 18:30–21:00 (JST), or both days when it runs over several."""
    start, end = _local(event.starts_at, event.time_zone), _local(event.ends_at, event.time_zone)
    until = f"{start:%H:%M}–{end:%H:%M}" if start.date() == end.date() \
        else f"{start:%H:%M} – {_day(end)} {end:%H:%M}"
    return f"{_day(start)} {until} ({start.tzname()})"


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
