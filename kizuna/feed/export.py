"""The feed's part of a member's data download: their posts, replies, reactions and feed settings, and the
bell items they have. Others' replies to the member's posts are left out (they are the others' data)."""

from django.utils.translation import gettext as _

from kizuna.members.export import Field, Section, _display
from kizuna.notifications.models import Alert

from .models import FeedSettings, Post, Reaction, Reply


def sections(user):
    posts = Section("feed_posts", _("Posts"), many=True, entries=[
        [Field("kind", _("Kind"), p.kind, p.get_kind_display()),
         Field("audience", _("Audience"), p.audience, p.get_audience_display()),
         Field("title", _("Title"), p.title, _display(p.title)),
         Field("text", _("Text"), p.body, _display(p.body)),
         Field("image", _("Image"), bool(p.image), _display(bool(p.image))),
         Field("status", _("Status"), p.status, p.get_status_display()),
         Field("published_at", _("Published at"), p.published_at, _display(p.published_at))]
        for p in Post.objects.filter(author=user).order_by("created_at")
    ])
    replies = Section("feed_replies", _("Replies"), many=True, entries=[
        [Field("post", _("Post"), r.post_id, str(r.post_id)),
         Field("text", _("Text"), r.body, _display(r.body)),
         Field("created_at", _("Written at"), r.created_at, _display(r.created_at))]
        for r in Reply.objects.filter(author=user).order_by("created_at")
    ])
    reactions = Section("feed_reactions", _("Reactions"), many=True, entries=[
        [Field("post", _("Post"), r.post_id, str(r.post_id)),
         Field("reaction", _("Reaction"), r.kind, r.get_kind_display()),
         Field("created_at", _("Reacted at"), r.created_at, _display(r.created_at))]
        for r in Reaction.objects.filter(user=user).order_by("created_at")
    ])
    row = FeedSettings.objects.filter(user=user).first() or FeedSettings(user=user)
    settings = Section("feed_settings", _("Feed settings"), many=False, entries=[[
        Field("share_moves", str(FeedSettings._meta.get_field("share_moves").verbose_name), row.share_moves,
              _display(row.share_moves)),
        Field("keep_posts", str(FeedSettings._meta.get_field("keep_posts").verbose_name), row.keep_posts,
              _display(row.keep_posts)),
    ]])
    alerts = Section("notifications", _("Notifications"), many=True, entries=[
        [Field("text", _("Text"), a.text, a.text), Field("created_at", _("Received at"), a.created_at,
                                                           _display(a.created_at)),
         Field("read_at", _("Read at"), a.read_at, _display(a.read_at))]
        for a in Alert.objects.filter(user=user).order_by("created_at")
    ])
    return [posts, replies, reactions, settings, alerts]
