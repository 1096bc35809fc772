"""Who sees which feed items. Views, the API, notifications and the group page ask here.

A post is seen by its audience: everyone, one side of the network (alumni / employees; HR sees both) or
a group (those who may read the group: members, everyone for an open group, network admins). On top of
that, blocks hide a member's posts and replies both ways, suspended members' posts are hidden while they
are suspended, and a withdrawn member's kept posts show no one behind them.

Pages are read by keyset (published_at, id), one short index scan per "stream" (a side of the network,
the viewer's groups, their department, their join-year cohort), merged here: no OFFSET, no sort of the
table, whatever its size.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from kizuna.groups.access import may_read, member_group_ids, readable_groups
from kizuna.members.access import blocked_ids
from kizuna.members.models import State
from kizuna.members.profiles import Audience as Side
from kizuna.members.profiles import audience_of

from .models import PUBLISHED, Audience, Kind, Post, Reaction, Reply, Status

PAGE_SIZE = 20
PINNED_MAX = 3
# "For you": items of the viewer's groups, department and cohort from this recent period come first.
NEAR_WINDOW = datetime.timedelta(days=14)
SHOWN_AUTHOR_STATES = (State.ACTIVE, State.WITHDRAWN)


@dataclass(frozen=True)
class Viewer:
    """What decides a member's feed, computed once per request."""

    user: object
    audiences: tuple
    group_ids: frozenset
    department_id: int | None
    cohort: int | None
    blocked: frozenset

    @property
    def pk(self):
        return self.user.pk


def viewer_of(user) -> Viewer:
    side = audience_of(user)
    audiences = {Side.ADMINS: (Audience.NETWORK, Audience.ALUMNI, Audience.EMPLOYEES),
                 Side.ALUMNI: (Audience.NETWORK, Audience.ALUMNI),
                 Side.EMPLOYEES: (Audience.NETWORK, Audience.EMPLOYEES)}[side]
    return Viewer(user=user, audiences=audiences, group_ids=frozenset(member_group_ids(user)),
                  department_id=user.department_id, cohort=user.joined_on.year if user.joined_on else None,
                  blocked=blocked_ids(user))


def shown_posts(viewer):
    """Published items whose author may appear to the viewer (any audience: add a stream filter)."""
    posts = Post.objects.filter(PUBLISHED).filter(Q(author__isnull=True) | Q(author__state__in=SHOWN_AUTHOR_STATES))
    if viewer.blocked:
        posts = posts.exclude(author_id__in=viewer.blocked)
    return posts


def audience_q(viewer):
    """Items of the network's sides the viewer belongs to and of the viewer's groups."""
    q = Q(audience__in=viewer.audiences)
    if viewer.group_ids:
        q |= Q(audience=Audience.GROUP, group_id__in=viewer.group_ids)
    return q


def may_see(user, post, viewer=None) -> bool:
    """The single-item check (detail page, reactions, mentions, reports, digests)."""
    if not (user.is_authenticated and user.is_member):
        return False
    viewer = viewer or viewer_of(user)
    if post.status != Status.PUBLISHED and not (post.author_id == user.pk and post.status == Status.SCHEDULED):
        return False
    if post.author_id is not None and (post.author_id in viewer.blocked
                                       or post.author.state not in SHOWN_AUTHOR_STATES):
        return False
    if post.audience == Audience.GROUP:
        return post.group_id is not None and may_read(user, post.group)
    return post.audience in viewer.audiences


def access_post(user, pk):
    post = Post.objects.select_related("author", "group").filter(pk=pk).first()
    if post is None or not may_see(user, post):
        raise Http404
    return post


def access_own_post(user, pk):
    """A post the member wrote (staff may edit official content written by other staff)."""
    post = access_post(user, pk)
    if post.author_id == user.pk or (post.is_official and user.is_moderator):
        return post
    raise Http404


def own_hidden_post(user, pk):
    """The member's own post that moderators hid (or that waits for their review), or None: its page shows
    it to them alone, to delete it."""
    return Post.objects.filter(pk=pk, author=user, status=Status.HIDDEN).first()


def access_post_to_delete(user, pk):
    """A post the member may delete: their own, also once moderators hid it (deleting shows nothing and
    tells no one), or official content as access_own_post() allows."""
    own = Post.objects.select_related("author", "group").filter(pk=pk, author=user).first()
    return own or access_own_post(user, pk)


def visible_replies(viewer, posts, *, own_hidden=False):
    """The replies the viewer sees; with `own_hidden` (the post's page) also their own that moderators hid."""
    shown = (Q(hidden=False) | Q(author=viewer.user)) if own_hidden else Q(hidden=False)
    replies = Reply.objects.filter(shown, post__in=posts, author__state__in=SHOWN_AUTHOR_STATES)
    if viewer.blocked:
        replies = replies.exclude(author_id__in=viewer.blocked)
    return replies


def may_see_reply(user, reply, viewer=None) -> bool:
    """A reply as visible_replies() shows it: not hidden, its author shown, on a post the member sees."""
    viewer = viewer or viewer_of(user)
    return (not reply.hidden and reply.author_id not in viewer.blocked
            and reply.author.state in SHOWN_AUTHOR_STATES and may_see(user, reply.post, viewer))


def access_reply(user, pk, *, own=False):
    reply = Reply.objects.select_related("post__author", "post__group", "author").filter(pk=pk).first()
    if reply is None or not may_see_reply(user, reply) or (own and reply.author_id != user.pk):
        raise Http404
    return reply


def access_reply_to_delete(user, pk):
    """The member's own reply, also once moderators hid it."""
    reply = Reply.objects.select_related("post__author", "post__group", "author").filter(pk=pk, author=user).first()
    if reply is None:
        raise Http404
    return reply


def may_moderate_official(user) -> bool:
    """Admins and moderators write announcements and stories."""
    return user.is_authenticated and user.is_moderator


# --- Keyset pages -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the tier ("for you": 1 near the viewer, 2 the rest; "latest": 2), the moment the
    first page was read (its "near" window stays put while scrolling) and the last item's keys."""

    tier: int
    since: datetime.datetime
    published_at: datetime.datetime | None = None
    pk: int | None = None

    def encode(self):
        stamp = int(self.published_at.timestamp() * 1_000_000) if self.published_at else 0
        # Whole seconds, rounded up: nothing the first page could show falls before a later page's window.
        return f"{self.tier}-{math.ceil(self.since.timestamp())}-{stamp}-{self.pk or 0}"

    @classmethod
    def decode(cls, text):
        """The cursor of a next-page link, or None when it is missing or malformed (the first page)."""
        try:
            tier, since, stamp, pk = (int(part) for part in (text or "").split("-"))
        except ValueError:
            return None
        if tier not in (1, 2):
            return None
        utc = datetime.UTC
        return cls(tier, datetime.datetime.fromtimestamp(since, utc),
                   datetime.datetime.fromtimestamp(stamp / 1_000_000, utc) if stamp else None, pk or None)


def _after(cursor):
    if cursor is None or cursor.published_at is None:
        return Q()
    return Q(published_at__lt=cursor.published_at) | Q(published_at=cursor.published_at, pk__lt=cursor.pk)


def _scan(streams, limit):
    """Merge newest-first scans: each a queryset filtered to one stream; returns [(published_at, pk)]."""
    keys = set()
    for stream in streams:
        keys.update(stream.order_by("-published_at", "-pk").values_list("published_at", "pk")[:limit])
    return sorted(keys, reverse=True)[:limit]


def _near_q(viewer):
    q = Q(pk__in=[])
    if viewer.group_ids:
        q |= Q(audience=Audience.GROUP, group_id__in=viewer.group_ids)
    if viewer.department_id:
        q |= Q(author_department=viewer.department_id)
    if viewer.cohort:
        q |= Q(author_cohort=viewer.cohort)
    return q


def _side_streams(base, viewer):
    streams = [base.filter(audience=audience) for audience in viewer.audiences]
    if viewer.group_ids:
        streams.append(base.filter(audience=Audience.GROUP, group_id__in=viewer.group_ids))
    return streams


def _near_streams(base, viewer):
    sides = Q(audience__in=viewer.audiences)
    streams = []
    if viewer.group_ids:
        streams.append(base.filter(audience=Audience.GROUP, group_id__in=viewer.group_ids))
    if viewer.department_id:
        streams.append(base.filter(sides, author_department=viewer.department_id))
    if viewer.cohort:
        streams.append(base.filter(sides, author_cohort=viewer.cohort))
    return streams


@dataclass
class FeedPage:
    pinned: list
    keys: list  # [(published_at, pk)] of the page's items after the pinned ones
    next_cursor: Cursor | None


def feed_page(viewer, view, cursor=None, *, size=PAGE_SIZE, now=None) -> FeedPage:
    """One page of "for you" (view "for_you": pinned official items, then the viewer's groups, department
    and cohort of the last two weeks, then everything else) or "latest" (everything, newest first)."""
    now = now or timezone.now()
    first = cursor is None
    cursor = cursor or Cursor(1 if view == "for_you" else 2, now)
    base = shown_posts(viewer).filter(published_at__lte=cursor.since)
    pinned = []
    if view == "for_you":
        base = base.exclude(pinned=True)
        if first:
            pinned = _scan([shown_posts(viewer).filter(audience_q(viewer), pinned=True)], PINNED_MAX)
    keys, tier, after = [], cursor.tier, cursor
    near_since = cursor.since - NEAR_WINDOW
    if tier == 1:
        near = base.filter(published_at__gte=near_since).filter(_after(after))
        keys = _scan(_near_streams(near, viewer), size + 1)
        if len(keys) <= size:  # the near items end on this page: the rest follow at once
            tier, after = 2, None
    if tier == 2 and len(keys) <= size:
        rest = base.filter(_after(after))
        if view == "for_you":
            rest = rest.exclude(Q(published_at__gte=near_since) & _near_q(viewer))
        keys += _scan(_side_streams(rest, viewer), size + 1 - len(keys))
    more = len(keys) > size
    keys = keys[:size]
    next_cursor = None
    if more:
        last_time, last_pk = keys[-1]
        next_cursor = Cursor(tier, cursor.since, last_time, last_pk)
    return FeedPage(pinned, keys, next_cursor)


def group_page(viewer, group, cursor=None, *, size=PAGE_SIZE):
    """The group page's posts, newest first (the caller checked may_read)."""
    base = shown_posts(viewer).filter(audience=Audience.GROUP, group=group)
    keys = _scan([base.filter(_after(cursor))], size + 1)
    more = len(keys) > size
    keys = keys[:size]
    since = timezone.now()
    return FeedPage([], keys, Cursor(2, since, *keys[-1]) if more else None)


def page_items(viewer, pks):
    """The posts of a page, in the given order, with what their cards show (a fixed number of queries)."""
    posts = {p.pk: p for p in Post.objects.filter(pk__in=pks).select_related("author", "group", "subject")}
    ordered = [posts[pk] for pk in pks if pk in posts]
    # As the post's page lists them: the viewer's own replies that moderators hid (or hold for review) too, marked.
    replies = (visible_replies(viewer, pks, own_hidden=True).select_related("author")
               .annotate(newest=Window(RowNumber(), partition_by=F("post_id"), order_by=[F("created_at").desc(),
                                                                                      F("pk").desc()]))
               .filter(newest__lte=3))
    reply_counts = dict(visible_replies(viewer, pks, own_hidden=True).values("post_id").annotate(n=Count("pk"))
                        .values_list("post_id", "n"))
    reactions = Reaction.objects.filter(post__in=pks, user__state=State.ACTIVE)  # as reactors() lists them
    if viewer.blocked:
        reactions = reactions.exclude(user_id__in=viewer.blocked)
    counts = reactions.values("post_id", "kind").annotate(n=Count("pk")).values_list("post_id", "kind", "n")
    mine = set(Reaction.objects.filter(post__in=pks, user=viewer.user).values_list("post_id", "kind"))
    for post in ordered:
        post.shown_replies = []
        post.shown_reply_count = reply_counts.get(post.pk, 0)
        post.reaction_counts = {}
        post.my_reactions = {kind for post_id, kind in mine if post_id == post.pk}
    for reply in sorted(replies, key=lambda r: (r.created_at, r.pk)):
        if reply.post_id in posts:
            posts[reply.post_id].shown_replies.append(reply)
    for post_id, kind, n in counts:
        if post_id in posts:
            posts[post_id].reaction_counts[kind] = n
    return ordered


def reactors(viewer, post):
    """Who reacted, by kind (the post's page); blocked members either way are left out."""
    reactions = Reaction.objects.filter(post=post, user__state=State.ACTIVE).select_related("user").order_by("pk")
    if viewer.blocked:
        reactions = reactions.exclude(user_id__in=viewer.blocked)
    return reactions


def official_posts(user):
    """Announcements and stories for the staff's list: scheduled and published ones (those for a group only
    when the staff member reads the group)."""
    return (Post.objects.filter(kind__in=[Kind.ANNOUNCEMENT, Kind.STORY])
            .filter(Q(group__isnull=True) | Q(group__in=readable_groups(user)))
            .select_related("author", "group").order_by(F("publish_at").desc(nulls_first=True), "-pk"))
