"""The only writes of the feed: check_*() validates, do_*() writes, audits and notifies."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from kizuna.core.actions import audit
from kizuna.core.markdown import render_markdown
from kizuna.groups.access import is_group_member
from kizuna.members.access import blocked_ids
from kizuna.members.models import State, User
from kizuna.members.profiles import visibility_rules
from kizuna.moderation.actions import do_hold, screen
from kizuna.moderation.ratelimit import check_rate
from kizuna.notifications.actions import do_alert, do_notify, do_withdraw_alerts

from . import access
from .mentions import mention_marker, mentioned_ids, without_mentions_of
from .models import (
    MOVED_COMPANY,
    MOVED_TITLE,
    Activity,
    Audience,
    Category,
    FeedSettings,
    JoinedMember,
    Kind,
    Post,
    Reaction,
    Reply,
    Status,
)

MENTIONS, REPLIES, REACTIONS, ANNOUNCEMENTS = "feed_mentions", "feed_replies", "feed_reactions", "feed_announcements"
POSTS_PER_HOUR, REPLIES_PER_HOUR = 20, 60
NOTIFY_BATCH = 500
JOINS_LOOK_BACK = datetime.timedelta(days=3)


def post_url(post, *, absolute=False):
    path = reverse("feed_post", kwargs={"pk": post.pk})
    return settings.SITE_URL + path if absolute else path


def excerpt(text, length=80):
    return Truncator(" ".join(strip_tags(str(render_markdown(text))).split())).chars(length)


def _text(body):
    """A post's or reply's text as stored: stripped, and a mention of a member who has withdrawn since the
    composer found them written without their name (mentions.without_mentions_of)."""
    body = body.strip()
    ids = mentioned_ids(body)
    if ids:
        body = without_mentions_of(body, User.objects.filter(pk__in=ids, state=State.WITHDRAWN)
                                   .values_list("pk", flat=True))
    return body


# --- Posts ---------------------------------------------------------------------------------------------

def _ranking_keys(author):
    """Department and join year of the author, for "for you", kept only when every member may see them."""
    profile = getattr(author, "profile", None)
    chosen = (profile.visibility if profile is not None else None) or {}
    rules = visibility_rules(fields=[])
    public = {key for key in ("department", "joined_on") if rules[key].effective(chosen.get(key)) == "members"}
    return (author.department_id if "department" in public else None,
            author.joined_on.year if "joined_on" in public and author.joined_on else None)


def refresh_ranking_keys(sender, member_ids, **kwargs):
    """members.changes.profile_changed: the members' posts carry the ranking keys their profiles show every
    member now (a department hidden later must not keep lifting earlier posts into colleagues' sections)."""
    authors = User.objects.filter(pk__in=Post.objects.filter(author__in=member_ids).values("author_id"))
    for member in authors.select_related("profile"):
        department, cohort = _ranking_keys(member)
        (Post.objects.filter(author=member).exclude(author_department=department, author_cohort=cohort)
         .update(author_department=department, author_cohort=cohort))


def do_refresh_all_ranking_keys():
    """After HR changed the visibility rules (a task): every author whose posts carry a key, checked again."""
    authors = (Post.objects.filter(Q(author_department__isnull=False) | Q(author_cohort__isnull=False))
               .values_list("author_id", flat=True).distinct().order_by("author_id"))
    ids = list(authors)
    for start in range(0, len(ids), NOTIFY_BATCH):
        refresh_ranking_keys(None, ids[start:start + NOTIFY_BATCH])


def rules_changed(sender, **kwargs):
    """members.changes.profile_rules_changed: the ranking keys are checked again in the background."""
    from .tasks import refresh_ranking_keys as task

    transaction.on_commit(task.enqueue)


def check_post(author, *, body, audience, group=None, image=None, title="", official=False):
    if not author.is_member:
        raise ValidationError(_("Only active members can post."))
    if not body.strip() and image is None:
        raise ValidationError({"body": _("Write something or add an image.")})
    if official and not title.strip():
        raise ValidationError({"title": _("Give it a title.")})
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose who can see it.")})
    if audience == Audience.GROUP:
        if group is None:
            raise ValidationError({"group": _("Choose the group.")})
        if not is_group_member(author, group):
            raise ValidationError({"group": _("You can only post in groups you are a member of.")})
    elif audience != Audience.NETWORK and not official and audience not in access.viewer_of(author).audiences:
        raise ValidationError({"audience": _("You can only post to your own side of the network or to everyone.")})


def do_create_post(author, *, body, audience=Audience.NETWORK, group=None, image=None, request=None):
    """A member's post. Rate-limited; held for review when it contains a word of HR's list."""
    check_post(author, body=body, audience=audience, group=group, image=image)
    check_rate(author, "feed.post", limit=POSTS_PER_HOUR, per_seconds=3600)
    department, cohort = _ranking_keys(author)
    text = _text(body)
    with transaction.atomic():
        post = Post(kind=Kind.POST, author=author, audience=audience, body=text,
                    body_html=render_markdown(text), group=group if audience == Audience.GROUP else None,
                    published_at=timezone.now(), author_department=department, author_cohort=cohort)
        if image is not None:
            post.image = image
        post.save()
        audit(author, "feed.post", post, request=request, detail={"audience": audience})
        _screen_or_notify(post, body)
    return post


def _screen_or_notify(obj, text):
    words = screen(text)
    if words:
        do_hold(obj, words)
    else:
        _notify_mentions(obj)


def check_edit(actor, post):
    if post.author_id != actor.pk and not (post.is_official and actor.is_moderator):
        raise ValidationError(_("You can only change your own posts."))


def do_edit_post(actor, post, *, body, image=None, remove_image=False, request=None):
    check_edit(actor, post)
    check_post(actor if not post.is_official else post.author or actor, body=body, audience=post.audience,
               group=post.group, image=image or (post.image if not remove_image else None) or None,
               title=post.title, official=post.is_official)
    text = _text(body)
    with transaction.atomic():
        post.body, post.body_html, post.edited_at = text, render_markdown(text), timezone.now()
        if image is not None:
            post.image = image
        elif remove_image:
            post.image = ""
        post.save()
        audit(actor, "feed.post_edit", post, request=request)
        if post.status == Status.PUBLISHED:
            _screen_or_notify(post, body)
    return post


def do_delete_post(actor, post, *, request=None):
    check_edit(actor, post)
    with transaction.atomic():
        audit(actor, "feed.post_delete", post, request=request)
        _forget_post(post)


def _withdraw_alerts(obj):
    """Bell items quote what they are about: they go when it is deleted or hidden (with a post, its replies)."""
    if isinstance(obj, Post):
        for category in (MENTIONS, ANNOUNCEMENTS, REACTIONS, REPLIES):
            do_withdraw_alerts(category, f"post:{obj.pk}")
        replies = obj.replies.all()
    else:
        replies = [obj]
    for reply in replies:
        do_withdraw_alerts(MENTIONS, f"reply:{reply.pk}")
        do_withdraw_alerts(REPLIES, f"reply:{reply.pk}")


def _forget_post(post):
    _withdraw_alerts(post)
    image = post.image.name
    post.delete()
    if image:
        storage = Post._meta.get_field("image").storage
        transaction.on_commit(lambda: storage.delete(image))


# --- Announcements and stories (staff) ------------------------------------------------------------------

def check_official(actor, values):
    if not access.may_moderate_official(actor):
        raise ValidationError(_("Only HR and moderators publish announcements and stories."))
    if values["kind"] not in (Kind.ANNOUNCEMENT, Kind.STORY):
        raise ValidationError({"kind": _("Choose announcement or story.")})
    if values.get("category") and values["category"] not in Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    check_post(actor, body=values["body"], audience=values["audience"], group=values.get("group"),
               image=values.get("image"), title=values.get("title", ""), official=True)


def do_save_official(actor, post, values, *, image=None, request=None):
    """Create or change an announcement or a story. With `publish_at` in the future it waits (a task
    publishes it at that time); members are told when it is published, once."""
    check_official(actor, {**values, "image": image or (post.image or None)})
    created = post.pk is None
    now = timezone.now()
    with transaction.atomic():
        for name in ("kind", "title", "body", "audience", "category", "pinned", "publish_at"):
            setattr(post, name, values.get(name, getattr(post, name)))
        post.title, post.body = post.title.strip(), _text(post.body)
        post.body_html = render_markdown(post.body)
        post.group = values.get("group") if post.audience == Audience.GROUP else None
        if post.kind != Kind.ANNOUNCEMENT:
            post.category = ""
        if created:
            post.author = actor
        else:
            post.edited_at = now
        if image is not None:
            post.image = image
        waiting = post.publish_at is not None and post.publish_at > now
        if post.status != Status.HIDDEN and post.published_at is None:
            post.status = Status.SCHEDULED if waiting else Status.PUBLISHED
        post.save()
        audit(actor, "feed.official_create" if created else "feed.official_update", post, request=request,
              detail={"kind": post.kind, "scheduled": waiting})
        if post.status == Status.SCHEDULED:
            _schedule(post)
        elif post.published_at is None:
            _publish(post)
    return post


def _schedule(post):
    from .tasks import publish_post

    if task_backends[DEFAULT_TASK_BACKEND_ALIAS].supports_defer:
        transaction.on_commit(lambda: publish_post.using(run_after=post.publish_at).enqueue(post.pk))


def _publish(post):
    from .tasks import notify_published

    post.status, post.published_at = Status.PUBLISHED, timezone.now()
    post.save(update_fields=["status", "published_at"])
    transaction.on_commit(lambda: notify_published.enqueue(post.pk))


def do_publish(post_id, now=None):
    """Publish a scheduled item whose time has come (its task, or housekeeping as a backstop). Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(pk=post_id, status=Status.SCHEDULED,
                                                        publish_at__lte=now).first()
        if post is None:
            return False
        _publish(post)
    return True


def do_publish_due(now=None):
    now = now or timezone.now()
    due = Post.objects.filter(status=Status.SCHEDULED, publish_at__lte=now).values_list("pk", flat=True)
    return sum(do_publish(pk, now) for pk in list(due))


def audience_members(post):
    """Active members who may see `post` (announcement notifications): its group's members, or its side."""
    from kizuna.groups.models import Membership
    from kizuna.members.models import Role

    members = User.objects.filter(state=State.ACTIVE)
    if post.audience == Audience.GROUP:
        return members.filter(group_memberships__group=post.group, group_memberships__state=Membership.State.MEMBER)
    alumni = Q(role=Role.ALUMNI) | Q(role=Role.MODERATOR, left_on__isnull=False)
    if post.audience == Audience.ALUMNI:
        return members.filter(alumni | Q(role=Role.ADMIN))
    if post.audience == Audience.EMPLOYEES:
        return members.exclude(alumni)
    return members


def do_notify_published(post_id):
    """Tell the audience of an announcement or story, at publish time, once (bell + email by preference).
    Batched; members already told are skipped (Alert and Notice are unique per member and item)."""
    post = Post.objects.select_related("author", "group").filter(pk=post_id, status=Status.PUBLISHED).first()
    if post is None or not post.is_official:
        return 0
    ids = list(audience_members(post).exclude(pk=post.author_id).values_list("pk", flat=True).distinct())
    told = 0
    for start in range(0, len(ids), NOTIFY_BATCH):
        users = list(User.objects.filter(pk__in=ids[start:start + NOTIFY_BATCH], state=State.ACTIVE))
        told += _tell(users, ANNOUNCEMENTS, post, post, kind="announcement")
    return told


# --- Replies ---------------------------------------------------------------------------------------------

def check_reply(author, post, body):
    if not access.may_see(author, post) or post.kind == Kind.ACTIVITY and post.activity != Activity.JOINED:
        raise ValidationError(_("You cannot reply to this post."))
    if not body.strip():
        raise ValidationError({"body": _("Write your reply.")})


def do_reply(author, post, *, body, request=None):
    check_reply(author, post, body)
    check_rate(author, "feed.reply", limit=REPLIES_PER_HOUR, per_seconds=3600)
    text = _text(body)
    with transaction.atomic():
        reply = Reply.objects.create(post=post, author=author, body=text, body_html=render_markdown(text))
        Post.objects.filter(pk=post.pk).update(reply_count=F("reply_count") + 1)
        audit(author, "feed.reply", reply, request=request)
        words = screen(body)
        if words:
            do_hold(reply, words)
        else:
            _notify_mentions(reply)
            if post.author and post.author_id != author.pk:
                _tell(_reachable([post.author], author, reply), REPLIES, reply, post, kind="reply", actor=author)
    return reply


def do_edit_reply(actor, reply, *, body, request=None):
    if reply.author_id != actor.pk:
        raise ValidationError(_("You can only change your own replies."))
    if not body.strip():
        raise ValidationError({"body": _("Write your reply.")})
    text = _text(body)
    with transaction.atomic():
        reply.body, reply.body_html, reply.edited_at = text, render_markdown(text), timezone.now()
        reply.save()
        audit(actor, "feed.reply_edit", reply, request=request)
        _screen_or_notify(reply, body)
    return reply


def do_delete_reply(actor, reply, *, request=None):
    if reply.author_id != actor.pk and not actor.is_moderator:
        raise ValidationError(_("You can only delete your own replies."))
    with transaction.atomic():
        audit(actor, "feed.reply_delete", reply, request=request)
        _remove_reply(reply)


def _remove_reply(reply):
    _withdraw_alerts(reply)
    Post.objects.filter(pk=reply.post_id, reply_count__gt=0).update(reply_count=F("reply_count") - 1)
    reply.delete()


# --- Reactions -------------------------------------------------------------------------------------------

def check_react(user, post, kind):
    if kind not in Reaction.Kind.values:
        raise ValidationError(_("Choose a reaction."))
    if not access.may_see(user, post):
        raise ValidationError(_("You cannot react to this post."))


def do_toggle_reaction(user, post, kind):
    """Add the member's reaction of this kind, or take it back. Returns True when added."""
    check_react(user, post, kind)
    with transaction.atomic():
        deleted, _count = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
        if deleted:
            return False
        Reaction.objects.create(post=post, user=user, kind=kind)
        if post.author and post.author_id != user.pk and post.author.state == State.ACTIVE:
            _tell(_reachable([post.author], user, post), REACTIONS, post, post, kind="reaction", actor=user,
                  key=f"post:{post.pk}:{user.pk}")
    return True


# --- Notifications --------------------------------------------------------------------------------------

def _post_of(obj):
    return obj.post if isinstance(obj, Reply) else obj


def _key(obj):
    return f"{'reply' if isinstance(obj, Reply) else 'post'}:{obj.pk}"


def _reachable(users, actor, obj):
    """The members who may be told about `obj`: active, able to see it, no block either way with `actor`."""
    post = _post_of(obj)
    return [user for user in users if user.is_member and access.may_see(user, post)
            and (actor is None or actor.pk not in blocked_ids(user))]


def _notify_mentions(obj):
    ids = [pk for pk in mentioned_ids(obj.body) if pk != obj.author_id]
    if not ids:
        return
    users = _reachable(list(User.objects.filter(pk__in=ids, state=State.ACTIVE)), obj.author, obj)
    _tell(users, MENTIONS, obj, _post_of(obj), kind="mention", actor=obj.author)


def _tell(users, category, obj, post, *, kind, actor=None, key=None):
    """Bell item and email (per preference) for `users` about `obj` (a post or reply of `post`)."""
    if not users:
        return 0
    key = key or _key(obj)
    actor_name = actor.name if actor else ""
    title = post.title or excerpt(post.body, 40)

    def text(user):
        return {
            "mention": _("%(name)s mentioned you: %(excerpt)s"),
            "reply": _("%(name)s replied to your post: %(excerpt)s"),
            "reaction": _("%(name)s reacted to your post: %(excerpt)s"),
            "announcement": _("New from HR: %(excerpt)s"),
        }[kind] % {"name": actor_name, "excerpt": title}

    url = post_url(post)
    do_alert(users, category, key, text=text, url=url, actor=actor)
    return do_notify(category, key, users, template="feed/email/notice", context={
        "kind": kind, "actor_name": actor_name, "title": title, "excerpt": excerpt(obj.body, 200),
        "url": settings.SITE_URL + url})


def describe(member, keys):
    """Digest lines: the posts and replies still visible to the member."""
    post_ids = {int(k.split(":")[1]) for k in keys if k.startswith("post:")}
    reply_ids = {int(k.split(":")[1]) for k in keys if k.startswith("reply:")}
    if reply_ids:
        post_ids |= set(Reply.objects.filter(pk__in=reply_ids, hidden=False).values_list("post_id", flat=True))
    viewer = access.viewer_of(member)
    posts = Post.objects.filter(pk__in=post_ids).select_related("author", "group").order_by("pk")
    return [(p.title or excerpt(p.body, 60), post_url(p, absolute=True)) for p in posts
            if access.may_see(member, p, viewer)]


# --- Activity items -------------------------------------------------------------------------------------

def _activity(activity, audience, *, subject=None, object_id=None, when=None):
    return Post.objects.create(kind=Kind.ACTIVITY, activity=activity, audience=audience, subject=subject,
                               object_id=object_id, published_at=when or timezone.now())


def record_posting(sender, posting, **kwargs):
    """jobs.signals.posting_published: "a job was published" for those the posting is open to."""
    from kizuna.jobs.models import Posting

    audience = Audience.ALUMNI if posting.audience == Posting.Audience.ALUMNI else Audience.NETWORK
    if not Post.objects.filter(activity=Activity.JOB, object_id=posting.pk).exists():
        _activity(Activity.JOB, audience, object_id=posting.pk)


def record_event(sender, event, **kwargs):
    """events.signals.event_published: events for everyone or one side (invite-only events stay quiet)."""
    from kizuna.events.models import Event

    audience = {Event.Audience.EVERYONE: Audience.NETWORK, Event.Audience.ALUMNI: Audience.ALUMNI,
                Event.Audience.EMPLOYEES: Audience.EMPLOYEES}.get(event.audience)
    if audience and not Post.objects.filter(activity=Activity.EVENT, object_id=event.pk).exists():
        _activity(Activity.EVENT, audience, object_id=event.pk)


def do_record_joins(now=None):
    """Members who became active are added to the day's "joined" item (housekeeping runs this; one item a
    day keeps the feed from flooding: "5人が参加しました")."""
    now = now or timezone.now()
    new = list(User.objects.filter(state=State.ACTIVE, activated_at__gte=now - JOINS_LOOK_BACK,
                                   activated_at__lte=now)
               .exclude(pk__in=JoinedMember.objects.values("user_id")).order_by("activated_at"))
    for member in new:
        do_add_join(member, member.activated_at)
    return len(new)


def do_add_join(member, when):
    """Put `member` in the "joined" item of the day of `when` (made when it is the day's first)."""
    with transaction.atomic():
        day = timezone.localtime(when).date()
        post = Post.objects.select_for_update().filter(activity=Activity.JOINED, published_at__date=day).first()
        if post is None:
            post = _activity(Activity.JOINED, Audience.NETWORK, when=when)
        elif when > post.published_at:
            post.published_at = when
            post.save(update_fields=["published_at"])
        JoinedMember.objects.get_or_create(user=member, defaults={"post": post})


def _career_mark(member):
    """"<company digest>:<title digest>", or empty while both are: a change is noticed, the text not kept."""
    profile = getattr(member, "profile", None)
    values = [getattr(profile, "current_company", "") or "", getattr(profile, "current_title", "") or ""]
    if not "".join(values).strip():
        return ""
    return ":".join(hashlib.sha256(value.encode()).hexdigest()[:16] for value in values)


def _moved(old_mark, new_mark):
    """MOVED_* flags of what differs; 0 when either mark is empty or of the earlier one-digest form."""
    if ":" not in old_mark or ":" not in new_mark:
        return 0
    (old_company, old_title), (new_company, new_title) = old_mark.split(":"), new_mark.split(":")
    return (MOVED_COMPANY if old_company != new_company else 0) | (MOVED_TITLE if old_title != new_title else 0)


def record_moves(sender, member_ids, **kwargs):
    """members.changes.profile_changed: a new current company or title becomes an activity item (its
    text is written when read, from what each reader may see, and only while the member shares moves)."""
    members = User.objects.filter(pk__in=member_ids, state=State.ACTIVE).select_related("profile")
    marks = {s.user_id: s for s in FeedSettings.objects.filter(user__in=member_ids)}
    for member in members:
        mark = _career_mark(member)
        settings_row = marks.get(member.pk) or FeedSettings(user=member)
        if settings_row.career_mark == mark:
            continue
        changed = _moved(settings_row.career_mark, mark)
        if changed and settings_row.share_moves:
            do_add_move(member, changed=changed)
        settings_row.career_mark = mark
        settings_row.save()


def do_add_move(member, when=None, *, changed=MOVED_COMPANY | MOVED_TITLE):
    """The member's "new position" item; only the latest move stays in the feed."""
    Post.objects.filter(activity=Activity.MOVED, subject=member).delete()
    return _activity(Activity.MOVED, Audience.NETWORK, subject=member, object_id=changed, when=when)


# --- Moderation hooks -----------------------------------------------------------------------------------

def set_hidden(obj, hidden):
    """Moderators hide an item (or show it again: its mentions are told then)."""
    if isinstance(obj, Reply):
        Reply.objects.filter(pk=obj.pk).update(hidden=hidden)
        obj.hidden = hidden
        shown = not hidden
    else:
        status = Status.HIDDEN if hidden else (Status.PUBLISHED if obj.published_at else Status.SCHEDULED)
        Post.objects.filter(pk=obj.pk).update(status=status)
        obj.status = status
        shown = status == Status.PUBLISHED
    if hidden:
        _withdraw_alerts(obj)
    elif shown:
        _notify_mentions(obj)


def remove(obj):
    if isinstance(obj, Reply):
        _remove_reply(obj)
    else:
        _forget_post(obj)


# --- The member's own settings, unread markers, withdrawal ----------------------------------------------

def do_save_feed_settings(user, *, share_moves, keep_posts, request=None):
    with transaction.atomic():
        row, _created = FeedSettings.objects.get_or_create(user=user)
        row.share_moves, row.keep_posts = share_moves, keep_posts
        row.save(update_fields=["share_moves", "keep_posts"])
        audit(user, "feed.settings", user, request=request, detail={"share_moves": share_moves,
                                                                    "keep_posts": keep_posts})


def do_mark_seen(user, when):
    """The member read the feed up to `when`: later items are marked new on the next visit."""
    FeedSettings.objects.update_or_create(user=user, defaults={"seen_until": when})


def forget_member(sender, member, **kwargs):
    """member_withdrawing: reactions, activity about the member and settings go; posts and replies stay
    as a withdrawn member's (no name, no link, no photo) when the member chose so, else they go too.
    Mentions of the member, in anyone's posts and replies, keep neither their name nor the link."""
    keep = FeedSettings.objects.filter(user=member).values_list("keep_posts", flat=True).first()
    Reaction.objects.filter(user=member).delete()
    JoinedMember.objects.filter(user=member).delete()
    Post.objects.filter(activity=Activity.MOVED, subject=member).delete()
    if keep is False:
        for reply in Reply.objects.filter(author=member):
            _remove_reply(reply)
        for post in Post.objects.filter(author=member):
            _forget_post(post)
    FeedSettings.objects.filter(user=member).delete()
    _forget_mentions_of(member)


def _forget_mentions_of(member):
    """The texts mentioning the member are written again without their name, and their HTML rendered again.
    Bell items quoting such a post (its title, or else its text) go, as when it is hidden."""
    marker = mention_marker(member.pk)
    for post in Post.objects.filter(body__contains=marker).only("pk", "title", "body"):
        body = without_mentions_of(post.body, [member.pk])
        if body != post.body:
            Post.objects.filter(pk=post.pk).update(body=body, body_html=render_markdown(body))
            if not post.title:
                _withdraw_alerts(post)
    for reply in Reply.objects.filter(body__contains=marker).only("pk", "body"):
        body = without_mentions_of(reply.body, [member.pk])
        if body != reply.body:
            Reply.objects.filter(pk=reply.pk).update(body=body, body_html=render_markdown(body))
