from django import template

from kizuna.moderation import access

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_waiting(context):
    """Items waiting in the queue, for moderators' navigation (cached count)."""
    user = context["request"].user
    return access.open_count(user) if access.is_moderator(user) else 0
