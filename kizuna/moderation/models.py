"""Reports, the moderation queue and HR's word list."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    SOLICITATION = "solicitation", _("Solicitation (recruiting, sales, religion, politics)")
    HARASSMENT = "harassment", _("Harassment or abuse")
    DISCRIMINATION = "discrimination", _("Discrimination or hate")
    PRIVACY = "privacy", _("Someone's personal information")
    CONFIDENTIAL = "confidential", _("Confidential company information")
    IMPERSONATION = "impersonation", _("Impersonation or a false profile")
    OTHER = "other", _("Something else against the guidelines")


class Item(models.Model):
    """One reported or held object in the moderation queue. The object itself is reached through the
    Reportable registered for `kind`; moderators see only what that Reportable exposes."""

    class State(models.TextChoices):
        REPORTED = "reported", _("Reported")
        HELD = "held", _("Held by the word list")
        RESOLVED = "resolved", _("Resolved")

    class Outcome(models.TextChoices):
        HIDDEN = "hide", _("Hidden")
        REMOVED = "remove", _("Removed")
        WARNED = "warn", _("Member warned")
        SUSPENDED = "suspend", _("Member suspended")
        DISMISSED = "dismiss", _("Dismissed")
        APPROVED = "approve", _("Approved")

    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    # The member responsible for the object (its author, or the member a profile belongs to).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, db_index=True)
    held_words = models.JSONField(default=list, blank=True)
    report_count = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    resolution_note = models.TextField(blank=True)  # the reason the moderator gave the member
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            # One open item per object: further reports join it.
            models.UniqueConstraint(fields=["kind", "object_id"], condition=~models.Q(state="resolved"),
                                    name="one_open_item_per_object"),
        ]
        indexes = [models.Index(fields=["state", "kind", "-updated_at"], name="moderation_queue")]

    def __str__(self):
        return f"{self.kind}:{self.object_id} ({self.state})"

    @property
    def is_open(self):
        return self.state != self.State.RESOLVED


class Report(models.Model):
    """One member's report of an object. Only moderators see who reported; the reported member never does."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("details for the moderators"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["reporter", "kind", "object_id"],
                                               name="one_report_per_member_and_object")]

    def __str__(self):
        return f"{self.kind}:{self.object_id} by {self.reporter_id}"


class Word(models.Model):
    """A word or phrase of HR's list: posts containing it (after Japanese folding) wait for review."""

    word = models.CharField(_("word or phrase"), max_length=100)
    key = models.CharField(max_length=100, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.word
