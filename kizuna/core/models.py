from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _


class LeaveType(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary resignation")
    COMPANY = "company", _("Company reasons")
    RETIREMENT = "retirement", _("Retirement")
    CONTRACT_END = "contract_end", _("End of contract")
    TRANSFER = "transfer", _("Transfer to another company")
    DISCIPLINARY = "disciplinary", _("Disciplinary dismissal")
    OTHER = "other", _("Other")


class RegistrationMode(models.TextChoices):
    INVITATION = "invitation", _("Invitation only")
    APPLICATION = "application", _("Invitations and applications with approval")


def default_leave_types():
    return [c for c in LeaveType.values if c != LeaveType.DISCIPLINARY]


class NetworkSettings(models.Model):
    """The one row of network-wide settings an admin edits (pk is always 1)."""

    name = models.CharField(_("network name"), max_length=100, default="Kizuna")
    logo = models.ImageField(_("logo"), upload_to="network/", blank=True)
    registration_mode = models.CharField(
        _("registration mode"), max_length=20, choices=RegistrationMode.choices,
        default=RegistrationMode.APPLICATION,
    )
    min_tenure_months = models.PositiveIntegerField(_("minimum tenure (months)"), default=0)
    allowed_leave_types = models.JSONField(_("allowed leave types"), default=default_leave_types)
    employee_domains = models.JSONField(_("employee email domains"), default=list, blank=True)
    invitation_valid_days = models.PositiveIntegerField(_("invitation valid for (days)"), default=14)
    guidelines = models.TextField(_("community guidelines"), blank=True)
    guidelines_version = models.PositiveIntegerField(default=1)
    privacy_notice = models.TextField(_("privacy notice (purpose of use)"), blank=True)
    # Profile field key → {"default": level, "allowed": [levels]}; keys not here allow every level.
    profile_visibility = models.JSONField(_("profile visibility rules"), default=dict, blank=True)
    # Raised whenever the rules change; directory entries built under older rules are left out of searches.
    profile_rules_version = models.PositiveIntegerField(default=0)
    # Directory entries up to this id were written by the last full re-index in reading order (directory.index).
    directory_ordered_through = models.PositiveBigIntegerField(default=0)
    profile_confirm_months = models.PositiveIntegerField(_("ask members to confirm their profile after (months)"),
                                                         default=12)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("network settings")

    def __str__(self):
        return self.name

    CACHE_KEY = "kizuna:network-settings"

    @classmethod
    def load(cls):
        # Read on every page (layout); cached, and dropped by actions when an admin saves.
        obj = cache.get(cls.CACHE_KEY)
        if obj is None:
            obj, _created = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, obj, 300)
        return obj


class GroupCompany(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_kana = models.CharField(_("reading"), max_length=200, blank=True)
    sort_key = models.CharField(max_length=200, blank=True, db_index=True)

    class Meta:
        ordering = ["sort_key", "name"]
        verbose_name = _("group company")
        verbose_name_plural = _("group companies")

    def __str__(self):
        return self.name


class Department(models.Model):
    """A node of the department tree; `path` is the full name (営業本部/東京営業部) for lookups."""

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="children",
    )
    path = models.CharField(max_length=1000, unique=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.path

    @property
    def depth(self):
        return self.path.count("/")


class AuditLog(models.Model):
    """Append-only record of admin changes, exports and admin reads of personal data."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=60, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class OutboxEmail(models.Model):
    """One outgoing email. The `deliver_email` task takes its pk; with SMTP the row is deleted once the
    message is sent, in the embedded mode (no SMTP) it stays here as the outbox admins read."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Delivered to the outbox")
        FAILED = "failed", _("Failed")

    MAX_ATTEMPTS = 5

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    to = models.CharField(max_length=1000)
    # The member the message is for, when known: erasure removes their mail by person as well as by
    # address (an address they used once may no longer be linked to them).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             db_index=True, related_name="+")
    subject = models.CharField(max_length=500)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject

    @property
    def gave_up(self):
        return self.status == self.Status.FAILED and self.attempts >= self.MAX_ATTEMPTS
