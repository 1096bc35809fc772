"""Who may see what in the jobs app. Applications: the applicant and HR. Casual talks: the member, the
host (HR's team for talks with HR) and HR. Referrals, HR notes, pipeline history and return intention:
HR only (a member sees their own stated intention)."""

import datetime

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.members.models import Role, State, User

from .models import (
    FINAL_STAGES,
    CasualTalk,
    JobApplication,
    JobSettings,
    Posting,
    Referral,
    Rehire,
    ReturnIntention,
    TalkHost,
)


def is_hr(user):
    """HR as the jobs app means it: an admin who may use admin functions (TOTP set up outside the demo)."""
    from kizuna.members.access import needs_mfa_setup

    return user.is_admin and not needs_mfa_setup(user)


def is_alumni_side(user):
    """Alumni-only postings are for people who have left: alumni, moderators who left, and HR."""
    return user.is_admin or user.role == Role.ALUMNI or (user.role == Role.MODERATOR and user.left_on is not None)


def postings_visible_to(user):
    """Open postings (not past their closing date) a member may read and apply for."""
    postings = Posting.objects.filter(status=Posting.Status.OPEN).filter(
        Q(closes_on__isnull=True) | Q(closes_on__gte=timezone.localdate()))
    if not is_alumni_side(user):
        postings = postings.filter(audience=Posting.Audience.ALL)
    return postings.select_related("department")


def members_who_may_see(posting):
    """Active members a posting is shown to (for its notification)."""
    members = User.objects.filter(state=State.ACTIVE)
    if posting.audience == Posting.Audience.ALUMNI:
        members = members.filter(Q(role__in=[Role.ALUMNI, Role.ADMIN]) | Q(role=Role.MODERATOR, left_on__isnull=False))
    return members


def access_posting(user, pk):
    return get_object_or_404(postings_visible_to(user).select_related("contact"), pk=pk)


def own_applications(user):
    return JobApplication.objects.filter(applicant=user).select_related("posting")


def access_own_application(user, pk):
    """The applicant's own application; anyone else's is a 404."""
    return get_object_or_404(own_applications(user), pk=pk)


def access_cv(user, pk):
    """An application whose CV `user` may open: the applicant's own, or any for HR."""
    applications = JobApplication.objects.all() if is_hr(user) else own_applications(user)
    application = get_object_or_404(applications.exclude(cv=""), pk=pk)
    return application


# --- HR ---------------------------------------------------------------------------------------------

def pipeline(*, posting=None, stage=None):
    applications = JobApplication.objects.select_related("posting", "applicant")
    if posting:
        applications = applications.filter(posting=posting)
    if stage:
        applications = applications.filter(stage=stage)
    return applications


def access_hr_application(pk):
    return get_object_or_404(JobApplication.objects.select_related("posting", "applicant", "posting__department"),
                             pk=pk)


def rehires():
    return Rehire.objects.select_related("member", "department", "application__posting")


def referrals(status=None):
    found = Referral.objects.select_related("referrer", "posting")
    return found.filter(status=status) if status else found


def access_referral(pk):
    return get_object_or_404(Referral, pk=pk)


def dashboard_cards():
    """(label, count, link) for the admin dashboard."""
    year_start = timezone.localdate().replace(month=1, day=1)
    counts = Rehire.objects.aggregate(total=Count("pk"), this_year=Count("pk", filter=Q(hired_on__gte=year_start)))
    active = JobApplication.objects.exclude(stage__in=FINAL_STAGES).count()
    return [
        (_("Applications in selection"), active, reverse("hr_pipeline")),
        (_("Rehires this year"), counts["this_year"], reverse("hr_rehires")),
        (_("Rehires in all"), counts["total"], reverse("hr_rehires")),
    ]


def quadrants():
    """{(want, can): count} of members' stated return intention (active members only)."""
    rows = (ReturnIntention.objects.filter(user__state=State.ACTIVE).values_list("want", "can")
            .annotate(n=Count("pk")))
    return {(want, can): n for want, can, n in rows}


def intentions(*, want=None, can=None):
    found = ReturnIntention.objects.filter(user__state=State.ACTIVE).select_related("user")
    if want:
        found = found.filter(want=want)
    if can:
        found = found.filter(can=can)
    return found.order_by("-stated_at")


def intention_is_due(user):
    """Whether to ask the member (again) about returning: alumni whose answer is missing or older than
    HR's setting. Employees are not asked."""
    if not is_alumni_side(user) or user.is_admin:
        return False
    stated = ReturnIntention.objects.filter(user=user).values_list("stated_at", flat=True).first()
    if stated is None:
        return True
    months = JobSettings.load().ask_again_months
    return stated < timezone.now() - datetime.timedelta(days=30 * months)


# --- Casual talks -----------------------------------------------------------------------------------

def hosts():
    """Members offering casual talks now."""
    return (User.objects.filter(state=State.ACTIVE, talk_host__active=True)
            .select_related("talk_host", "department").order_by("kana_key", "pk"))


def hosts_for(viewer):
    """Hosts a member may ask: not the member, nobody on either side of a block."""
    from kizuna.members.access import blocked_ids

    return hosts().exclude(pk__in=blocked_ids(viewer) | {viewer.pk})


def talks_visible_to(user):
    """Talks a member requested or hosts; HR sees every talk (status and history), and answers those HR
    hosts (host empty): see can_answer()."""
    talks = CasualTalk.objects.select_related("member", "host")
    return talks if is_hr(user) else talks.filter(Q(member=user) | Q(host=user))


def access_talk(user, pk):
    return get_object_or_404(talks_visible_to(user), pk=pk)


def can_answer(user, talk):
    return talk.host_id == user.pk or (talk.host_id is None and is_hr(user))


def access_talk_to_answer(user, pk):
    talk = access_talk(user, pk)
    if not can_answer(user, talk):
        raise Http404
    return talk


def hr_talks(status=None):
    found = CasualTalk.objects.select_related("member", "host").prefetch_related("events")
    return found.filter(status=status) if status else found


def own_host_offer(user):
    return TalkHost.objects.filter(user=user).first()
