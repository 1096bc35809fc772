"""Conversations (1:1 and groups), who takes part, and their messages. The database is the source of truth:
the socket only tells clients that something after their last seen id exists."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuna.members.models import private_storage

MAX_PARTICIPANTS = 500


class Conversation(models.Model):
    class Kind(models.TextChoices):
        DIRECT = "direct", _("1:1")
        GROUP = "group", _("Group")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    title = models.CharField(_("name"), max_length=100, blank=True)
    # A 1:1 conversation exists once per pair: "smaller-pk:larger-pk".
    direct_key = models.CharField(max_length=41, null=True, blank=True, unique=True)
    # A conversation of a group is read only by the group's confirmed members (access.py checks it each time).
    group = models.OneToOneField("groups.Group", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="conversation")
    event = models.OneToOneField("events.Event", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="conversation")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The newest message's id: messages are written with this row locked, so ids commit in order within a
    # conversation and a client's "everything after id N" never skips one committed later.
    last_message_id = models.BigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self):
        return self.title or f"#{self.pk}"

    @property
    def is_direct(self):
        return self.kind == self.Kind.DIRECT


class Participant(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ADMIN = "admin", _("Administrator")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_participations")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    muted = models.BooleanField(_("muted"), default=False)
    last_read_id = models.BigIntegerField(default=0)
    # The newest message an unread-messages email already told about: each message is emailed at most once.
    last_emailed_id = models.BigIntegerField(default=0)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="one_participation")]
        indexes = [models.Index(fields=["user", "conversation"], name="participant_user")]

    def __str__(self):
        return f"{self.conversation_id}/{self.user_id}"


class Message(models.Model):
    class Attachment(models.TextChoices):
        NONE = "", _("None")
        IMAGE = "image", _("Image")
        PDF = "pdf", _("PDF")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    # Withdrawn members keep their account row without personal data: their messages show "退会したメンバー".
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("message"), blank=True)
    search_key = models.TextField(blank=True)  # the text folded by kizuna.core.text for search
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    attachment = models.FileField(upload_to="chat/", storage=private_storage, blank=True)
    attachment_kind = models.CharField(max_length=8, choices=Attachment.choices, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)  # hidden by moderators

    class Meta:
        indexes = [models.Index(fields=["conversation", "id"], name="message_order")]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.conversation_id}/{self.pk}"

    @property
    def is_removed(self):
        return self.deleted_at is not None or self.hidden

    @property
    def version(self):
        """Changes whenever what the message shows changes (the socket resends it then)."""
        stamp = self.edited_at or self.deleted_at or self.created_at
        return f"{self.pk}.{stamp.timestamp() if stamp else 0}.{int(self.hidden)}"


class ChatSettings(models.Model):
    """Who may start a conversation with the member; no row means anyone."""

    class Starters(models.TextChoices):
        ANYONE = "anyone", _("Anyone in the network")
        TALKED = "talked", _("Only people I have already talked with")
        NOBODY = "nobody", _("Nobody")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_settings")
    starters = models.CharField(_("who may start a conversation with you"), max_length=8,
                                choices=Starters.choices, default=Starters.ANYONE)

    def __str__(self):
        return f"{self.user_id}: {self.starters}"
