from django import template
from django.utils.translation import gettext as _

from kizuna.members.models import State

from .. import access

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_messages(context):
    """The navigation's count of unread messages (kept on the request: asked once per page)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_kizuna_unread_messages"):
        request._kizuna_unread_messages = access.unread_total(user)
    return request._kizuna_unread_messages


@register.filter
def author_label(user):
    """The name shown with a message: withdrawn members keep no name ("退会したメンバー")."""
    if user.state == State.WITHDRAWN:
        return _("Withdrawn member")
    if user.state != State.ACTIVE:
        return _("Unavailable member")
    return user.name


@register.simple_tag(takes_context=True)
def contactable(context, cards):
    """Members of a directory page whom the viewer may message."""
    return access.contactable_ids(context["request"].user, [card.view.pk for card in cards])


@register.inclusion_tag("chat/message_button.html", takes_context=True)
def message_button(context, member_pk):
    """"メッセージを送る" on a profile, when the member may be messaged."""
    viewer = context["request"].user
    return {"member_pk": member_pk, "shown": member_pk in access.contactable_ids(viewer, [member_pk]),
            "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("chat/event_button.html", takes_context=True)
def event_chat_button(context, event):
    """On an event's page: open (hosts: start) the event's conversation, for those who may join it."""
    viewer = context["request"].user
    conversation = access.event_conversation(event)
    shown = access.may_join_event_conversation(viewer, event) and (
        conversation is not None or access.event_access.may_manage(viewer, event))
    return {"event": event, "shown": shown, "started": conversation is not None,
            "csrf_token": context.get("csrf_token")}
