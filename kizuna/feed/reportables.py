"""Posts and replies in the moderation registry: the report button, the queue's excerpt, hide and remove."""

from django.utils.translation import gettext_lazy as _

from kizuna.moderation.registry import Reportable

from . import access, actions
from .models import Post, Reply


def _reply_url(reply):
    return f"{actions.post_url(reply.post)}#reply-{reply.pk}"


REPORTABLES = [
    Reportable(kind="post", model=Post, label=_("Post"), owner=lambda post: post.author,
               excerpt=lambda post: "\n".join(filter(None, [post.title, post.body]))[:2000],
               url=actions.post_url, visible_to=access.may_see,
               set_hidden=actions.set_hidden, remove=actions.remove),
    Reportable(kind="reply", model=Reply, label=_("Reply"), owner=lambda reply: reply.author,
               excerpt=lambda reply: reply.body[:2000], url=_reply_url,
               visible_to=access.may_see_reply,
               set_hidden=actions.set_hidden, remove=actions.remove),
]
