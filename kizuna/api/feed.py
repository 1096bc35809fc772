"""The feed over HTTP: read "for you" or "latest" with the same privacy as the pages (feed.access and
feed.cards: audiences, groups, blocks, activity written for the reader), and post (feed.actions: the same
checks, rate limit and word list as the form)."""

import datetime

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from kizuna.feed import access, actions
from kizuna.feed.cards import build_cards
from kizuna.feed.models import Audience, Kind
from kizuna.feed.models import Status as PostStatus
from kizuna.groups.access import visible_groups

from .errors import FieldErrors, field_errors

router = Router(tags=["feed"])


class PersonOut(Schema):
    id: int
    name: str
    joined_year: int | None = Field(description="Only when the member shows it to you; else null.")
    department: str | None = Field(description="Only when the member shows it to you; else null.")
    current_company: str | None
    current_title: str | None


class ReactionCount(Schema):
    kind: str
    count: int
    mine: bool


class ReplyOut(Schema):
    id: int
    author: PersonOut | None = Field(description="Null for a withdrawn member.")
    text: str = Field(description="Markdown.")
    created_at: datetime.datetime


class ItemOut(Schema):
    id: int
    kind: str = Field(description="post, announcement, story or activity.")
    activity: str = Field(description="For activity items: joined, moved, job or event; else empty.")
    author: PersonOut | None = Field(description="Null for activity items and withdrawn members.")
    audience: str = Field(description="network, alumni, employees or group.")
    group: str | None = Field(description="The group's slug, for group posts.")
    title: str
    text: str = Field(description="Markdown.")
    category: str
    pinned: bool
    has_image: bool
    published_at: datetime.datetime
    people: list[PersonOut] = Field(description="Who an activity item is about (what you may see of them).")
    target_id: int | None = Field(description="The job posting or event of an activity item.")
    reactions: list[ReactionCount]
    reply_count: int
    replies: list[ReplyOut] = Field(description="The latest replies (up to 3).")
    url: str


class FeedPageOut(Schema):
    results: list[ItemOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at the end.")


class PostIn(Schema):
    text: str = Field(description="Markdown; mention with @[Name](/members/ID/).")
    audience: str = Field(Audience.NETWORK, description="network, alumni, employees or group.")
    group: str | None = Field(None, description="The group's slug, for audience `group`.")


def _person(view):
    if view is None:
        return None
    return {"id": view.pk, "name": view.name, "joined_year": view.joined_on.year if view.joined_on else None,
            "department": view.department.name if view.department else None,
            "current_company": view.current_company or None, "current_title": view.current_title or None}


def item_json(card):
    post = card.post
    return {
        "id": post.pk, "kind": post.kind, "activity": post.activity,
        "author": None if card.withdrawn else _person(card.author), "audience": post.audience,
        "group": post.group.slug if post.group_id else None, "title": post.title, "text": post.body,
        "category": post.category, "pinned": card.pinned, "has_image": bool(post.image),
        "published_at": post.published_at,
        "people": [_person(view) for view in card.people], "target_id": post.object_id if card.target else None,
        "reactions": [{"kind": kind, "count": n, "mine": kind in post.my_reactions}
                      for kind, n in sorted(post.reaction_counts.items())],
        "reply_count": post.shown_reply_count,
        "replies": [{"id": r.pk, "author": None if r.author.state == "withdrawn" else
                     _person(card.reply_authors.get(r.author_id)), "text": r.body, "created_at": r.created_at}
                    for r in post.shown_replies],
        "url": actions.post_url(post, absolute=True),
    }


@router.get("/feed", url_name="feed", response=FeedPageOut, summary="Your feed")
def read_feed(request, view: str = "for_you", cursor: str | None = None):
    """`view`: `for_you` (pinned official items, then your groups, department and join-year cohort of the last
    two weeks, then the rest) or `latest`. Pages of 20, by keyset: pass `next_cursor` back as `cursor`."""
    if view not in ("for_you", "latest"):
        raise HttpError(400, "view must be for_you or latest.")
    decoded = access.Cursor.decode(cursor) if cursor else None
    if cursor and decoded is None:
        raise HttpError(400, "Invalid cursor.")
    viewer = access.viewer_of(request.auth)
    page = access.feed_page(viewer, view, decoded)
    pinned = {pk for _t, pk in page.pinned}
    cards = build_cards(viewer, [pk for _t, pk in page.pinned] + [pk for _t, pk in page.keys], pinned=pinned)
    return {"results": [item_json(card) for card in cards],
            "next_cursor": page.next_cursor.encode() if page.next_cursor else None}


@router.post("/posts", url_name="posts_create", response={201: ItemOut, 422: FieldErrors}, summary="Post")
def create_post(request, payload: PostIn):
    """Post to the feed as the form on /feed/ does. A post with a word of HR's list waits for a moderator
    (`published_at` is set, but others do not see it until approved). Problems are 422 with each field's message."""
    group = None
    if payload.group:
        group = visible_groups(request.auth).filter(slug=payload.group).first()
        if group is None:
            return Status(422, field_errors([(("body", "group"), "Unknown group.", "invalid")]))
    try:
        post = actions.do_create_post(request.auth, body=payload.text, audience=payload.audience, group=group,
                                      request=request)
    except ValidationError as error:
        problems = error.message_dict.items() if hasattr(error, "error_dict") else [("text", error.messages)]
        return Status(422, field_errors(((("body", "text" if field == "body" else field), message, "invalid")
                                         for field, messages in problems for message in messages)))
    viewer = access.viewer_of(request.auth)
    cards = build_cards(viewer, [post.pk]) if post.status == PostStatus.PUBLISHED else []
    if cards:
        return Status(201, item_json(cards[0]))
    return Status(201, {"id": post.pk, "kind": Kind.POST, "activity": "", "author": None, "audience": post.audience,
                        "group": payload.group, "title": "", "text": post.body, "category": "", "pinned": False,
                        "has_image": False, "published_at": post.published_at, "people": [], "target_id": None,
                        "reactions": [], "reply_count": 0, "replies": [], "url": actions.post_url(post, absolute=True)})
