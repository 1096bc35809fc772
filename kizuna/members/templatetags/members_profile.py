"""Template helpers of the profile pages, and the profile card on the member's home and account pages."""

import datetime
from urllib.parse import urlsplit

from django import template
from django.utils.translation import get_language

from ..profiles import completeness, needs_confirmation

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def listing(values):
    """A list the way the page's language writes one: 英語、日本語 / English, Japanese."""
    separator = "、" if (get_language() or "").startswith("ja") else ", "
    return separator.join(str(value) for value in values)


@register.filter
def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def link_text(url):
    """A link as people read it: the host and path, without the scheme or a trailing slash."""
    parts = urlsplit(url)
    text = (parts.netloc.removeprefix("www.") + parts.path).rstrip("/")
    return text or url


@register.inclusion_tag("members/profile/status.html", takes_context=True)
def profile_status(context, *, always=False):
    """The completeness meter and, when due, the "is this still current?" question. On the home page
    (`always` False) a complete, current profile shows nothing."""
    user = context["user"]
    if not getattr(user, "is_member", False):
        return {"show": False}
    percent, missing = completeness(user)
    confirm = needs_confirmation(user)
    return {"show": always or confirm or percent < 100, "percent": percent, "missing": missing,
            "confirm": confirm, "user": user, "request": context.get("request"), "always": always}
