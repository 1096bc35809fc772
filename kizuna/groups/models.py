"""Groups: department alumni groups, regional chapters and interest groups, and who belongs to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kizuna.core.models import Department


class Group(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department alumni group")
        REGION = "region", _("Regional chapter")
        INTEREST = "interest", _("Interest group")

    class Privacy(models.TextChoices):
        OPEN = "open", _("Open: anyone can join")
        CLOSED = "closed", _("Closed: group admins approve requests")
        SECRET = "secret", _("Secret: members only, by invitation")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INTEREST)
    privacy = models.CharField(_("privacy"), max_length=8, choices=Privacy.choices, default=Privacy.OPEN)
    description = models.TextField(_("description"), blank=True)
    # Department groups only: the department (and its sub-departments) the group gathers.
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="groups")
    # Department groups only: members whose last department is in the group's subtree join automatically.
    auto_fill = models.BooleanField(_("add members of this department automatically"), default=False)
    name_key = models.CharField(max_length=100, db_index=True)  # normalised name, for search
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_key", "pk"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Group member")
        ADMIN = "admin", _("Group admin")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Asked to join")
        INVITED = "invited", _("Invited")
        MEMBER = "member", _("Member")
        # Only in auto-filled groups: the member left, and the automatic filling must not add them again.
        LEFT = "left", _("Left")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(max_length=10, choices=State.choices, default=State.MEMBER)
    # Added by the department filling (not by the member): moving to another department takes them out again.
    auto = models.BooleanField(default=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    message = models.CharField(_("message to the group admins"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group")]
        indexes = [models.Index(fields=["user", "state"], name="membership_of_user"),
                   models.Index(fields=["group", "state", "role"], name="membership_of_group")]

    def __str__(self):
        return f"{self.group_id}/{self.user_id} ({self.state})"


class GroupPolicy(models.Model):
    """The network's rules for groups (one row, pk 1), set by HR."""

    members_may_create = models.BooleanField(
        _("members may create regional and interest groups"), default=True,
        help_text=_("Department groups are always created by HR."))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return "group policy"

    @classmethod
    def load(cls):
        return cls.objects.get_or_create(pk=1)[0]
