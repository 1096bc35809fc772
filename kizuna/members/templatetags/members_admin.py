from django import template

from kizuna.members.access import applications_waiting_count

register = template.Library()


@register.simple_tag
def waiting_applications():
    """Applications HR can decide now, for the admin menu (cached; no query on most pages)."""
    return applications_waiting_count()
