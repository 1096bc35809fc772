"""Per-member notification preferences and what was sent, by category (jobs today; the feed later)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    INSTANT = "instant", _("By email at once")
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
    the weekly digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=40)
    key = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "category", "key"], name="one_notice_per_object")]
        indexes = [models.Index(fields=["emailed_at", "user"], name="notice_waiting")]

    def __str__(self):
        return f"{self.category}:{self.key}"
