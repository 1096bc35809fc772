from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from kizuna.core.models import Department, GroupCompany, LeaveType


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin (HR)")
    MODERATOR = "moderator", _("Moderator")
    EMPLOYEE = "employee", _("Employee")
    ALUMNI = "alumni", _("Alumni")


class State(models.TextChoices):
    INVITED = "invited", _("Invited")
    PENDING = "pending", _("Pending approval")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        # Only actions.py and tests' factories call this; it never bypasses the state rules.
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A member of the network. Email is the login; state decides what the account may do."""

    email = models.EmailField(_("email address"), unique=True, null=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    name_kana = models.CharField(_("reading (kana)"), max_length=150, blank=True)
    name_key = models.CharField(max_length=150, blank=True, db_index=True)
    kana_key = models.CharField(max_length=150, blank=True, db_index=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ALUMNI)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="ja")
    company = models.ForeignKey(
        GroupCompany, verbose_name=_("company"), null=True, blank=True, on_delete=models.SET_NULL
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.SET_NULL
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    date_joined = models.DateTimeField(_("registered at"), auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    guidelines_version = models.PositiveIntegerField(default=0)
    privacy_accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Part of every session's auth hash: raising it ends all of the member's sessions at once.
    session_epoch = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [models.Index(fields=["state", "role"])]

    def __str__(self):
        return self.name or self.email or f"#{self.pk}"

    def _get_session_auth_hash(self, secret=None):
        # Django signs sessions with an HMAC of the password hash; adding the epoch lets actions end
        # every session of a member (suspension, withdrawal) without looking the sessions up.
        return salted_hmac(
            "kizuna.members.User.session_auth_hash", f"{self.password}:{self.session_epoch}",
            secret=secret, algorithm="sha256",
        ).hexdigest()

    @property
    def is_active(self):
        # Pending members may sign in to follow their application; the rest may not.
        return self.state in (State.ACTIVE, State.PENDING)

    @property
    def is_admin(self):
        return self.role == Role.ADMIN and self.state == State.ACTIVE

    @property
    def is_moderator(self):
        return self.role in (Role.ADMIN, Role.MODERATOR) and self.state == State.ACTIVE

    @property
    def is_member(self):
        return self.state == State.ACTIVE


class LeaverRecord(models.Model):
    """One row of HR's leaver list, upserted by employee number."""

    employee_number = models.CharField(_("employee number"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_kana = models.CharField(_("reading (kana)"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"))
    leave_type = models.CharField(_("leave type"), max_length=20, choices=LeaveType.choices, blank=True)
    department = models.CharField(_("department"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    company = models.CharField(_("company"), max_length=200, blank=True)
    excluded = models.BooleanField(_("excluded from the network"), default=False)
    # Set when the person withdrew from the network: never invite them again.
    opted_out = models.BooleanField(_("withdrew from the network"), default=False)
    name_key = models.CharField(max_length=150, db_index=True)
    kana_key = models.CharField(max_length=150, db_index=True, blank=True)
    eligible = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="leaver_record",
    )

    class Meta:
        ordering = ["-left_on", "employee_number"]
        indexes = [
            # The admin list's order (and its year filter); email for bulk lookups during imports.
            models.Index(fields=["-left_on", "employee_number"], name="leaver_list_order"),
            models.Index(fields=["email"], name="leaver_email"),
        ]
        verbose_name = _("leaver record")
        verbose_name_plural = _("leaver records")

    def __str__(self):
        return f"{self.employee_number} {self.name}"


def private_storage():
    return storages["private"]


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        VALIDATING = "validating", _("Checking")
        INVALID = "invalid", _("Has errors")
        READY = "ready", _("Ready to apply")
        APPLYING = "applying", _("Applying")
        DONE = "done", _("Applied")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    created_at = models.DateTimeField(auto_now_add=True)
    # Last change of status or progress: a job checking or applying that stays silent has lost its worker.
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    file = models.FileField(upload_to="imports/", storage=private_storage)
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    invite_on_apply = models.BooleanField(default=False)
    report = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename

    @property
    def progress_percent(self):
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class Invitation(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    record = models.ForeignKey(LeaverRecord, null=True, blank=True, on_delete=models.SET_NULL)
    # The signed link carries this nonce; resending rotates it, so older links stop working.
    nonce = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.user} ({self.status})"

    @property
    def is_expired(self):
        return self.status == self.Status.SENT and self.expires_at <= timezone.now()


class InvitationBatch(models.Model):
    """One background run of "invite every eligible record not invited yet" (thousands at a time)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Sending")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    # Reason (in the language of the admin who started the run) → number of records skipped for it.
    skipped_reasons = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def is_running(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def progress_percent(self):
        done = self.sent + self.skipped
        return min(100, int(100 * done / self.total)) if self.total else 100


class Application(models.Model):
    """A request to join from someone who was not invited; approved or rejected by an admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application")
    name = models.CharField(_("name"), max_length=150)
    name_kana = models.CharField(_("reading (kana)"), max_length=150)
    former_email = models.EmailField(_("company email address you used"), blank=True)
    employee_number = models.CharField(_("employee number"), max_length=50, blank=True)
    joined_year = models.PositiveIntegerField(_("year joined"), null=True, blank=True)
    left_year = models.PositiveIntegerField(_("year left"), null=True, blank=True)
    department = models.CharField(_("department"), max_length=300, blank=True)
    message = models.TextField(_("message to HR"), blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decision_message = models.TextField(blank=True)
    record = models.ForeignKey(LeaverRecord, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.name


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 of the secret is stored; `prefix` identifies it in lists."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class Visibility(models.TextChoices):
    """Who may see one profile value. Admins (HR) see every level except "only me"."""

    MEMBERS = "members", _("All members")
    ALUMNI = "alumni", _("Alumni only")
    EMPLOYEES = "employees", _("Employees only")
    ADMINS = "admins", _("HR (admins) only")
    ME = "me", _("Only me")


class Purpose(models.TextChoices):
    """Why a member takes part; shown as badges and used to match jobs and talks."""

    SOCIAL = "social", _("Keeping in touch")
    INFO = "info", _("Staying informed")
    RETURN = "return", _("Interested in returning")
    CONTRACT = "contract", _("Contract work / side jobs")
    BUSINESS = "business", _("Business collaboration")
    MENTOR = "mentor", _("Mentoring")


def photo_path(profile, filename):
    return f"photos/{profile.pk}/{filename}"


class Skill(models.Model):
    """A skill tag. `key` is the normalised name, so "Python", "ｐｙｔｈｏｎ" and "python" are one skill."""

    name = models.CharField(_("name"), max_length=60)
    key = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["key"]

    def __str__(self):
        return self.name


class Profile(models.Model):
    """What a member tells the network about themselves, and who may see each part (`visibility`)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE,
                                related_name="profile")
    photo = models.ImageField(_("photo"), upload_to=photo_path, storage=private_storage, blank=True)
    romaji = models.CharField(_("name in roman letters"), max_length=150, blank=True)
    current_company = models.CharField(_("current company"), max_length=200, blank=True)
    current_title = models.CharField(_("current title"), max_length=200, blank=True)
    industry = models.CharField(_("industry"), max_length=40, blank=True)
    location = models.CharField(_("location"), max_length=10, blank=True)
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    purposes = models.JSONField(_("purposes"), default=list, blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="profiles")
    # Field key → Visibility chosen by the member; keys not here use the network's default.
    visibility = models.JSONField(default=dict, blank=True)
    hidden = models.BooleanField(_("hide me from the directory"), default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.user)


class CareerEntry(models.Model):
    """One position the member held inside the group: company, department and title over time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="career")
    company = models.ForeignKey(GroupCompany, verbose_name=_("company"), null=True, blank=True,
                                on_delete=models.SET_NULL)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.SET_NULL)
    title = models.CharField(_("title"), max_length=200, blank=True)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self):
        return " ".join(filter(None, [str(self.department or ""), self.title]))


class CustomField(models.Model):
    """A profile question the network's admins add (e.g. 出身大学, 同期の呼び名)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("One choice")
        MULTI = "multi", _("Several choices")
        DATE = "date", _("Date")

    label = models.CharField(_("label (Japanese)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    default_visibility = models.CharField(_("default visibility"), max_length=10, choices=Visibility.choices,
                                          default=Visibility.MEMBERS)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.label

    @property
    def key(self):
        return f"custom_{self.pk}"

    @property
    def display_label(self):
        """The label in the language of the page: English when the page is English and one was given."""
        from django.utils.translation import get_language

        english = (get_language() or "").startswith("en")
        return self.label_en if english and self.label_en else self.label


class CustomFieldValue(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="custom_values")
    field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="values")
    # str for text/choice/date (ISO), list of str for multi.
    value = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "field"], name="one_value_per_custom_field")]

    def __str__(self):
        return f"{self.field}: {self.value}"


class Block(models.Model):
    """`blocker` no longer wants contact with `blocked`: each disappears from the other's view."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair")]
        indexes = [models.Index(fields=["blocked", "blocker"], name="block_reverse")]

    def __str__(self):
        return f"{self.blocker_id} → {self.blocked_id}"
