"""Per-member notification preferences, what was emailed, and the in-app bell, by category (jobs, the feed …)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    INSTANT = "instant", _("By email at once")
    DAILY = "daily", _("Daily digest by email")
    WEEKLY = "weekly", _("Weekly digest by email")
    OFF = "off", _("Off")


class Preference(models.Model):
    """How a member wants one category of notifications; no row means the category's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=40)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="one_preference_per_category")]

    def __str__(self):
        return f"{self.category}: {self.mode}"


class Notice(models.Model):
    """One thing a member was (or will be, in their digest) told about: the marker that makes sending
    idempotent. `key` names the object (e.g. a posting's pk); `emailed_at` is empty while it waits for
    the daily or weekly digest, which sends it once `due_at` has come."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=40)
    key = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "category", "key"], name="one_notice_per_object")]
        indexes = [models.Index(fields=["emailed_at", "user"], name="notice_waiting")]

    def __str__(self):
        return f"{self.category}:{self.key}"


class Alert(models.Model):
    """One item of a member's bell: someone mentioned them, replied, reacted, HR announced something.
    `text` is written in the member's language when stored; `actor` (who caused it) lets a block or a
    withdrawal take the alert away."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    category = models.CharField(max_length=40)
    key = models.CharField(max_length=40)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "category", "key"], name="one_alert_per_object")]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="alert_list"),
                   models.Index(fields=["user"], condition=models.Q(read_at__isnull=True), name="alert_unread")]

    def __str__(self):
        return self.text
