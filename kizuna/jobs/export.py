"""The jobs app's part of a member's data download, and posting lines for notification digests.

Included: the member's applications (posting, message, whether a CV was sent, status, dates), the casual
talks they requested or hosted, the referrals they made (what they wrote) and their own stated return
intention (it is what they told HR). Left out: HR's notes and pipeline history, which are HR's working
notes about the selection, not data the member gave."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from kizuna.members.export import Field, Section, _display

from .access import postings_visible_to
from .models import CasualTalk, JobApplication, Referral, ReturnIntention


def _choice(key, label, obj, name):
    value = getattr(obj, name)
    return Field(key, label, value, getattr(obj, f"get_{name}_display")() if value else "—")


def sections(user):
    applications = Section("job_applications", _("Job applications"), many=True, entries=[
        [Field("posting", _("Posting"), a.posting.title, a.posting.title),
         Field("message", _("Message"), a.message, _display(a.message)),
         Field("cv", _("CV (PDF)"), bool(a.cv), _display(bool(a.cv))),
         _choice("status", _("Status"), a, "stage"),
         Field("applied_at", _("Applied at"), a.created_at, _display(a.created_at))]
        for a in JobApplication.objects.filter(applicant=user).select_related("posting")
    ])
    talks = Section("casual_talks", _("Casual talks"), many=True, entries=[
        [Field("role", _("Your part"), "guest" if t.member_id == user.pk else "host",
               _("Guest") if t.member_id == user.pk else _("Host")),
         Field("topic", _("Topic"), t.topic, _display(t.topic)),
         Field("proposed_times", _("Proposed times"), t.proposed_times, _display(", ".join(t.proposed_times))),
         _choice("status", _("Status"), t, "status"),
         Field("scheduled_at", _("Date and time"), t.scheduled_at, _display(t.scheduled_at)),
         Field("requested_at", _("Requested at"), t.created_at, _display(t.created_at))]
        for t in CasualTalk.objects.filter(member=user) | CasualTalk.objects.filter(host=user)
    ])
    referrals = Section("referrals", _("Referrals you made"), many=True, entries=[
        [Field("posting", _("Posting"), str(r.posting or ""), _display(str(r.posting or ""))),
         Field("name", _("Name"), r.name, r.name), Field("email", _("Email address"), r.email, r.email),
         Field("relation", _("Relation"), r.relation, r.relation), Field("note", _("Note"), r.note, _display(r.note)),
         Field("created_at", _("Sent at"), r.created_at, _display(r.created_at))]
        for r in Referral.objects.filter(referrer=user).select_related("posting")
    ])
    intention = ReturnIntention.objects.filter(user=user).first()
    stated = Section("return_intention", _("Return intention (seen by HR only)"), many=False, entries=[[
        _choice("want", _("Do you want to return?"), intention, "want"),
        _choice("can", _("Could you return?"), intention, "can"),
        Field("stated_at", _("Stated at"), intention.stated_at, _display(intention.stated_at)),
    ]] if intention else [])
    return [applications, talks, referrals, stated]


def describe_postings(member, keys):
    """Digest lines for postings still open to the member."""
    postings = postings_visible_to(member).filter(pk__in=[int(k) for k in keys])
    return [(f"{p.title}（{p.get_kind_display()}）", settings.SITE_URL + reverse("job_detail", kwargs={"pk": p.pk}))
            for p in postings]
