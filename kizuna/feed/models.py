"""Posts (members' posts, HR's announcements and stories, activity items), replies and reactions.

Every item of the feed is one `Post` row, so one keyset order (published_at, id) covers them all. Activity
items store who and what only (a member, a posting, an event), never text: their sentence is written when
the feed is read, from what the reader may see of the member's profile at that moment.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kizuna.members.models import private_storage


class Audience(models.TextChoices):
    NETWORK = "network", _("Everyone in the network")
    ALUMNI = "alumni", _("Alumni only")
    EMPLOYEES = "employees", _("Employees only")
    GROUP = "group", _("A group")


class Kind(models.TextChoices):
    POST = "post", _("Post")
    ANNOUNCEMENT = "announcement", _("Announcement")
    STORY = "story", _("Story")
    ACTIVITY = "activity", _("Activity")


class Activity(models.TextChoices):
    JOINED = "joined", _("Members joined")
    MOVED = "moved", _("A member changed company or title")
    JOB = "job", _("A job was published")
    EVENT = "event", _("An event was published")


class Category(models.TextChoices):
    """Announcement categories; leadership messages carry the 経営メッセージ badge."""

    NEWS = "news", _("News")
    LEADERSHIP = "leadership", _("Leadership message")
    HR = "hr", _("HR and policies")
    BUSINESS = "business", _("Business and services")
    EVENTS = "events", _("Events")


class Status(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by a moderator")


PUBLISHED = Q(status=Status.PUBLISHED)
# What changed in a move: it is shown only to readers who may see a value that changed.
MOVED_COMPANY, MOVED_TITLE = 1, 2


def image_path(post, filename):
    return f"feed/{filename}"


class Post(models.Model):
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.POST)
    # Null for activity items (the network speaks); a withdrawn author keeps the anonymous shell account.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="feed_posts")
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.NETWORK)
    group = models.ForeignKey("groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="posts")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"), max_length=20000, blank=True)
    body_html = models.TextField(blank=True)  # body rendered and sanitised when saved
    image = models.ImageField(_("image"), upload_to=image_path, storage=private_storage, blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, blank=True)
    pinned = models.BooleanField(_("pin to the top of the feed"), default=False)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    activity = models.CharField(max_length=8, choices=Activity.choices, blank=True)
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    # The posting or event of an activity; for a move, which of MOVED_COMPANY / MOVED_TITLE changed.
    object_id = models.PositiveIntegerField(null=True, blank=True)
    # "For you" ranking keys, copied from the author when they are visible to every member (never
    # shown; a hidden department or join year must not lift a post into its readers' section).
    author_department = models.PositiveIntegerField(null=True, blank=True)
    author_cohort = models.PositiveSmallIntegerField(null=True, blank=True)
    reply_count = models.PositiveIntegerField(default=0)

    class Meta:
        # Each "stream" (one side of the network, one group, one department, one cohort) is read newest
        # first by its own index, so a page is a few short index scans merged, never a sort of the table.
        indexes = [
            models.Index(fields=["audience", "-published_at", "-id"], condition=PUBLISHED, name="feed_by_audience"),
            models.Index(fields=["group", "-published_at", "-id"], condition=PUBLISHED, name="feed_by_group"),
            models.Index(fields=["author_department", "-published_at", "-id"], condition=PUBLISHED,
                         name="feed_by_department"),
            models.Index(fields=["author_cohort", "-published_at", "-id"], condition=PUBLISHED,
                         name="feed_by_cohort"),
            models.Index(fields=["-published_at", "-id"], condition=PUBLISHED & Q(pinned=True), name="feed_pinned"),
            models.Index(fields=["publish_at"], condition=Q(status=Status.SCHEDULED), name="feed_scheduled"),
            models.Index(fields=["author", "-created_at"], name="feed_by_author"),
            models.Index(fields=["activity", "subject"], name="feed_activity_subject"),
        ]

    def __str__(self):
        # Also the label of its audit entries, which outlive the text: never the member's words (they may
        # name a member who withdraws later), only an announcement's or story's title.
        return self.title or f"#{self.pk}"

    @property
    def is_official(self):
        return self.kind in (Kind.ANNOUNCEMENT, Kind.STORY)


class JoinedMember(models.Model):
    """One member in a day's "N人が参加しました" item."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="joined")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return f"{self.user_id} in {self.post_id}"


class Reply(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_replies")
    body = models.TextField(_("reply"), max_length=5000)
    body_html = models.TextField(blank=True)
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "created_at"], name="reply_by_post")]

    def __str__(self):
        return f"#{self.pk}"  # as for a post: no text in audit entries


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        CELEBRATE = "celebrate", _("Congratulations")
        THANKS = "thanks", _("Thank you")
        INSIGHTFUL = "insightful", _("Insightful")
        MISS = "miss", _("Miss you")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind")]

    def __str__(self):
        return self.kind


EMOJI = {Reaction.Kind.LIKE: "👍", Reaction.Kind.CELEBRATE: "🎉", Reaction.Kind.THANKS: "🙏",
         Reaction.Kind.INSIGHTFUL: "💡", Reaction.Kind.MISS: "🥲"}


class FeedSettings(models.Model):
    """A member's own feed choices, and where they are in it (unread markers)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE,
                                related_name="+")
    share_moves = models.BooleanField(_("Tell the network when my company or title changes"), default=True)
    keep_posts = models.BooleanField(
        _("If I withdraw, keep my posts and replies, shown as from a withdrawn member"), default=True)
    seen_until = models.DateTimeField(null=True, blank=True)
    # Last company/title seen, to notice a change (a digest, never shown)
    career_mark = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"feed settings of {self.user_id}"
