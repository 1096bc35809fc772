"""What a page of the feed shows one viewer: posts with their authors, and activity items written at read
time from what the viewer may see now (profile visibility, blocks, the member's own choices, whether the
posting or event is still open to the viewer). An activity item with nothing left to show is dropped."""

import functools
from dataclasses import dataclass, field

from django.utils.translation import get_language

from kizuna.directory.preload import Preloader
from kizuna.events.access import visible_to as events_visible_to
from kizuna.jobs.access import postings_visible_to
from kizuna.members.access import view_profiles
from kizuna.members.models import State

from .access import page_items
from .models import EMOJI, MOVED_COMPANY, MOVED_TITLE, Activity, FeedSettings, JoinedMember, Kind, Reaction


@dataclass
class Card:
    post: object
    author: object = None  # ProfileView, or None (the network, or a withdrawn member: see `withdrawn`)
    withdrawn: bool = False
    is_new: bool = False
    pinned: bool = False  # shown at the top of "for you"
    people: list = field(default_factory=list)  # ProfileViews an activity item is about
    target: object = None  # the posting or event of an activity item
    reply_authors: dict = field(default_factory=dict)

    @property
    def reactions(self):
        """The card's reaction buttons: (kind, label, emoji, count, whether the viewer gave it)."""
        counts, mine = self.post.reaction_counts, self.post.my_reactions
        return [(kind, label, emoji, counts.get(kind, 0), kind in mine)
                for kind, label, emoji in reaction_choices(get_language())]


@functools.cache
def reaction_choices(language):
    """(kind, label, emoji) of every reaction, the labels in `language` (the active one)."""
    return [(kind, str(label), EMOJI[kind]) for kind, label in Reaction.Kind.choices]


def build_cards(viewer, pks, *, seen_until=None, pinned=()):
    posts = page_items(viewer, pks)
    joined = {}
    activity_posts = [p for p in posts if p.kind == Kind.ACTIVITY]
    joined_ids = [p.pk for p in activity_posts if p.activity == Activity.JOINED]
    if joined_ids:
        for post_id, user_id in JoinedMember.objects.filter(post__in=joined_ids).values_list("post_id", "user_id"):
            joined.setdefault(post_id, []).append(user_id)
    moved_subjects = [p.subject_id for p in activity_posts if p.activity == Activity.MOVED and p.subject_id]
    sharing = set(FeedSettings.objects.filter(user__in=moved_subjects, share_moves=False).values_list("user_id",
                                                                                                         flat=True))
    people_ids = {p.author_id for p in posts if p.author_id} | set(moved_subjects)
    people_ids |= {uid for ids in joined.values() for uid in ids}
    people_ids |= {r.author_id for p in posts for r in p.shown_replies}
    people_ids -= viewer.blocked
    # Loaded as the directory loads a page of cards: plain rows, a few queries (directory/preload.py).
    members = [m for m in Preloader().members(sorted(people_ids)) if m.state == State.ACTIVE]
    views = dict(zip([m.pk for m in members], view_profiles(viewer.user, members), strict=True))
    # Activity items put members in front of the network; those hidden from the directory stay out of them.
    hidden_from_directory = {m.pk for m in members if getattr(getattr(m, "profile", None), "hidden", False)}
    jobs = _visible(postings_visible_to(viewer.user), activity_posts, Activity.JOB)
    events = _visible(events_visible_to(viewer.user), activity_posts, Activity.EVENT)
    cards = []
    for post in posts:
        card = Card(post, is_new=bool(seen_until and post.published_at and post.published_at > seen_until),
                    pinned=post.pk in pinned)
        card.reply_authors = views
        if post.author_id:
            card.author = views.get(post.author_id)
            card.withdrawn = post.author.state == State.WITHDRAWN
        if post.kind == Kind.ACTIVITY:
            if post.activity == Activity.JOINED:
                card.people = [views[uid] for uid in joined.get(post.pk, [])
                               if uid in views and uid not in hidden_from_directory]
            elif post.activity == Activity.MOVED:
                view = views.get(post.subject_id)
                changed = post.object_id or MOVED_COMPANY | MOVED_TITLE  # items made before the flags: either
                if (view and post.subject_id not in sharing | hidden_from_directory
                        and (changed & MOVED_COMPANY and view.current_company
                             or changed & MOVED_TITLE and view.current_title)):
                    card.people = [view]
            else:
                card.target = (jobs if post.activity == Activity.JOB else events).get(post.object_id)
                if post.activity == Activity.EVENT and card.target and card.target.is_over:
                    card.target = None  # an event that is over is no longer news
            if not (card.people or card.target):
                continue
        cards.append(card)
    return cards


def _visible(queryset, posts, activity):
    ids = [p.object_id for p in posts if p.activity == activity]
    return {obj.pk: obj for obj in queryset.filter(pk__in=ids)} if ids else {}
