from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kizuna.members.models import private_storage

DEFAULT_TIME_ZONE = "Asia/Tokyo"


class Event(models.Model):
    class Format(models.TextChoices):
        ONSITE = "onsite", _("On site")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("On site and online")

    class Audience(models.TextChoices):
        # A "group" audience joins when groups exist (it will point at the group in its own column).
        EVERYONE = "everyone", _("All members")
        ALUMNI = "alumni", _("Alumni")
        EMPLOYEES = "employees", _("Employees")
        INVITED = "invited", _("Invited members only")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.ONSITE)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    map_url = models.URLField(_("map link"), max_length=500, blank=True)
    online_url = models.URLField(_("online meeting URL"), max_length=500, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default=DEFAULT_TIME_ZONE)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    cover = models.ImageField(_("cover image"), upload_to="events/covers/", storage=private_storage, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)  # None: no limit
    max_companions = models.PositiveSmallIntegerField(_("companions per registration"), default=0)
    deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    fee_note = models.CharField(_("fee"), max_length=200, blank=True)
    # The host's questions, e.g. ["食事の制限はありますか"]; answers are kept with each registration.
    questions = models.JSONField(default=list, blank=True)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    invitees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="event_invitations")
    hosts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="hosted_events")
    attendees_visible = models.BooleanField(_("attendees may see who else comes"), default=False)
    report = models.TextField(_("event report"), blank=True)
    report_published_at = models.DateTimeField(null=True, blank=True)
    # Arrival order of registrations: taken under the event's row lock, so it is exact.
    next_seq = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.title

    @property
    def is_over(self):
        return self.ends_at <= timezone.now()

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()

    @property
    def registration_closes_at(self):
        return self.deadline or self.starts_at

    @property
    def is_online(self):
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Seat confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    # Empty for walk-ins without an account and for registrations of members who withdrew (kept anonymous).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="event_registrations")
    walk_in_name = models.CharField(_("name"), max_length=150, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    companions = models.PositiveSmallIntegerField(_("companions"), default=0)
    answers = models.JSONField(default=list, blank=True)  # [{"question": …, "answer": …}]
    seq = models.PositiveIntegerField()  # arrival order (Event.next_seq); the waiting list is served by it
    code = models.CharField(max_length=16, unique=True)  # the check-in code in the QR code
    walk_in = models.BooleanField(default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], condition=models.Q(user__isnull=False),
                                    name="one_registration_per_member"),
        ]
        indexes = [models.Index(fields=["event", "status", "seq"], name="registration_queue")]

    def __str__(self):
        return f"{self.event_id}/{self.seq}"

    @property
    def seats(self):
        return 1 + self.companions


class ReminderSent(models.Model):
    """One reminder of one kind sent to one registration for one start time: a task that runs twice sends
    once, and an event moved to another time is reminded of again."""

    class Kind(models.TextChoices):
        DAY = "day", _("The day before")
        HOUR = "hour", _("An hour before")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "kind", "starts_at"], name="one_reminder")]

    def __str__(self):
        return f"{self.registration_id}/{self.kind}"


class Feedback(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    # Empty once the member withdrew: the rating still counts, the comment is erased.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="event_feedback")
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], condition=models.Q(user__isnull=False),
                                    name="one_feedback_per_member"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.event_id}/{self.rating}"


class ReportPhoto(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="events/photos/", storage=private_storage)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.image.name


class CalendarFeed(models.Model):
    """A member's private calendar address: the token is the only credential, so it can be reset."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_calendar")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"calendar of {self.user_id}"
