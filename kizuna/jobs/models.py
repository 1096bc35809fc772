"""Comeback jobs: postings, applications with HR's pipeline, rehires, casual talks, referrals and
members' return intention (HR only)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core.models import Department
from kizuna.members.models import Skill, private_storage


class Kind(models.TextChoices):
    REHIRE = "rehire", _("Rehire (full-time)")
    CONTRACT = "contract", _("Contract / outsourcing")
    SIDE_JOB = "side_job", _("Side job")
    PROJECT = "project", _("Project")


class Workplace(models.TextChoices):
    ONSITE = "onsite", _("On site")
    HYBRID = "hybrid", _("Hybrid")
    REMOTE = "remote", _("Remote")


class Posting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", pgettext_lazy("posting", "Open")
        CLOSED = "closed", _("Closed")

    class Audience(models.TextChoices):
        ALUMNI = "alumni", _("Alumni only")
        ALL = "all", _("All members")

    title = models.CharField(pgettext_lazy("posting", "title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.SET_NULL)
    location = models.CharField(_("location"), max_length=200, blank=True)
    workplace = models.CharField(_("way of working"), max_length=10, choices=Workplace.choices,
                                 default=Workplace.HYBRID)
    description = models.TextField(_("description"), max_length=10000)
    requirements = models.TextField(_("requirements"), max_length=5000, blank=True)
    changes_since = models.TextField(_("what has changed since you left"), max_length=5000, blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="+")
    contact = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("contact person"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    closes_on = models.DateField(_("closing date"), null=True, blank=True)
    audience = models.CharField(_("who may see it"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="posting_open")]

    def __str__(self):
        return self.title


class Stage(models.TextChoices):
    """HR's pipeline; the last three end it."""

    NEW = "new", pgettext_lazy("application", "New")
    SCREENING = "screening", _("Screening")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Not selected")
    WITHDRAWN = "withdrawn", pgettext_lazy("application", "Withdrawn")


FINAL_STAGES = (Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN)


def cv_path(application, filename):
    return f"cvs/{application.posting_id}/{filename}"


class JobApplication(models.Model):
    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_applications")
    message = models.TextField(_("message"), max_length=4000, blank=True)
    cv = models.FileField(_("CV (PDF)"), upload_to=cv_path, storage=private_storage, blank=True)
    stage = models.CharField(_("status"), max_length=20, choices=Stage.choices, default=Stage.NEW)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["posting", "applicant"], name="one_application_per_posting")]
        indexes = [models.Index(fields=["stage", "-created_at"], name="application_stage")]

    def __str__(self):
        return f"{self.applicant} → {self.posting}"


class ApplicationEvent(models.Model):
    """HR's history of an application: stage moves and private notes. Never shown to members."""

    application = models.ForeignKey(JobApplication, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)  # empty: a note
    note = models.TextField(max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.application_id}: {self.stage or 'note'}"


class Rehire(models.Model):
    """A hire through the network (the KPI). Kept, without the person, when the member withdraws."""

    application = models.OneToOneField(JobApplication, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="rehire")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    hired_on = models.DateField(_("start date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    department = models.ForeignKey(Department, verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-hired_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.hired_on}"


class TalkHost(models.Model):
    """A member (an employee: a former manager, an executive) who offers casual talks."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE,
                                related_name="talk_host")
    intro = models.TextField(_("what you can talk about"), max_length=1000)
    active = models.BooleanField(_("offering casual talks"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.user)


class CasualTalk(models.Model):
    """カジュアル面談: a conversation, not a selection. `host` empty means HR's team."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the host")
        PROPOSED = "proposed", _("Host proposed another time")
        SCHEDULED = "scheduled", _("Scheduled")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="casual_talks")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="hosted_talks")
    topic = models.TextField(_("what you would like to talk about"), max_length=2000)
    proposed_times = models.JSONField(default=list)  # ISO datetimes, up to three
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    scheduled_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    place = models.CharField(_("place or video link"), max_length=300, blank=True)
    host_message = models.TextField(_("message from the host"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"#{self.pk}"


class TalkEvent(models.Model):
    """The history of a talk (requests, proposals, acceptance) for HR and both sides."""

    talk = models.ForeignKey(CasualTalk, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    status = models.CharField(max_length=20, choices=CasualTalk.Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.talk_id}: {self.status}"

    @property
    def label(self):
        """What happened, as the history says it (the status names where the talk stands instead)."""
        return {CasualTalk.Status.REQUESTED: _("Requested"),
                CasualTalk.Status.PROPOSED: _("Another time proposed")}.get(self.status, self.get_status_display())


class Referral(models.Model):
    """リファラル: a member introduces someone. The person's name and address are seen by HR only."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("referral", "New")
        CONTACTED = "contacted", _("Contacted")
        IN_PROCESS = "in_process", _("In selection")
        HIRED = "hired", pgettext_lazy("referral", "Hired")
        CLOSED = "closed", _("Closed")

    referrer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals")
    posting = models.ForeignKey(Posting, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals")
    name = models.CharField(_("their name"), max_length=150)
    email = models.EmailField(_("their email address"))
    relation = models.CharField(_("how you know them"), max_length=200)
    note = models.TextField(_("note for HR"), max_length=2000, blank=True)
    agreed = models.BooleanField(_("they agreed to be introduced"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"#{self.pk}"


class Want(models.TextChoices):
    YES = "yes", _("I want to return")
    MAYBE = "maybe", _("Maybe")
    NOT_NOW = "not_now", _("Not now")


class Can(models.TextChoices):
    NOW = "now", _("I could return now")
    LATER = "later", _("Not now, later perhaps")


class ReturnIntention(models.Model):
    """再入社の意向: whether a member wants to and could return. HR only (and the member themselves)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE,
                                related_name="return_intention")
    want = models.CharField(_("do you want to return?"), max_length=10, choices=Want.choices)
    can = models.CharField(_("could you return?"), max_length=10, choices=Can.choices)
    stated_at = models.DateTimeField(_("stated at"))

    class Meta:
        indexes = [models.Index(fields=["want", "can"], name="intention_quadrant")]

    def __str__(self):
        return f"{self.want}/{self.can}"


class JobSettings(models.Model):
    """The jobs settings HR edits (one row)."""

    ask_again_months = models.PositiveIntegerField(_("ask members about returning again after (months)"),
                                                   default=6)

    def __str__(self):
        return "jobs settings"

    @classmethod
    def load(cls):
        return cls.objects.get_or_create(pk=1)[0]
