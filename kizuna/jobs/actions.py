"""The only writes of the jobs app: check_*() validates, do_*() writes, audits and sends email."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.actions import audit
from kizuna.core.email import send_email
from kizuna.core.models import Department
from kizuna.members.actions import ensure_skills
from kizuna.members.models import CareerEntry, Profile, Purpose, Role, State, User
from kizuna.notifications.actions import do_notify

from . import access
from .models import (
    FINAL_STAGES,
    ApplicationEvent,
    CasualTalk,
    JobApplication,
    JobSettings,
    Kind,
    Posting,
    Referral,
    Rehire,
    ReturnIntention,
    Stage,
    TalkEvent,
    TalkHost,
)
from .signals import posting_published

NOTIFY_CATEGORY = "jobs"
NOTIFY_BATCH = 200
MAX_TALK_TIMES = 3
# The profile purpose that makes a member interested in each kind of posting.
PURPOSE_OF_KIND = {Kind.REHIRE: Purpose.RETURN, Kind.CONTRACT: Purpose.CONTRACT, Kind.SIDE_JOB: Purpose.CONTRACT,
                   Kind.PROJECT: Purpose.CONTRACT}


def _url(name, **kwargs):
    return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


# --- Postings (HR) ---------------------------------------------------------------------------------

POSTING_FIELDS = ("title", "kind", "department", "location", "workplace", "description", "requirements",
                  "changes_since", "contact", "status", "closes_on", "audience")


def check_posting(values):
    if not (values.get("title") or "").strip():
        raise ValidationError({"title": _("Give the posting a title.")})
    if not (values.get("description") or "").strip():
        raise ValidationError({"description": _("Describe the work.")})
    closes_on = values.get("closes_on")
    if values.get("status") == Posting.Status.OPEN and closes_on and closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("The closing date has passed: choose a later date or close it.")})
    contact = values.get("contact")
    if contact is not None and not contact.is_member:
        raise ValidationError({"contact": _("The contact person must be an active member.")})


def do_save_posting(actor, posting, values, *, skills=None, request=None):
    """Create or change a posting (`values`: the fields to change; `skills`: names, None keeps them). Opening
    it for the first time tells matching members (a task)."""
    from .tasks import notify_new_posting

    check_posting({key: values.get(key, getattr(posting, key)) for key in POSTING_FIELDS})
    created = posting.pk is None
    with transaction.atomic():
        for key in POSTING_FIELDS:
            if key in values:
                setattr(posting, key, values[key])
        first_opening = posting.status == Posting.Status.OPEN and posting.published_at is None
        if first_opening:
            posting.published_at = timezone.now()
        posting.save()
        if skills is not None:
            posting.skills.set(ensure_skills([s for s in skills if s.strip()]))
        audit(actor, "jobs.posting_create" if created else "jobs.posting_update", posting,
              detail={"status": posting.status}, request=request)
        if first_opening:
            posting_published.send(sender=Posting, posting=posting)
            transaction.on_commit(lambda: notify_new_posting.enqueue(posting.pk))
    return posting


def matching_member_ids(posting):
    """Active members the posting may be shown to whose skills, department (now or in their career at
    the company) or purposes match it."""
    ids = set()
    skills = list(posting.skills.values_list("pk", flat=True))
    if skills:
        ids |= set(Profile.objects.filter(skills__in=skills).values_list("user_id", flat=True))
    if posting.department_id:
        departments = [posting.department_id]
        prefix = posting.department.path + "/"
        departments += list(Department.objects.filter(path__startswith=prefix).values_list("pk", flat=True))
        ids |= set(User.objects.filter(department__in=departments).values_list("pk", flat=True))
        ids |= set(CareerEntry.objects.filter(department__in=departments).values_list("user_id", flat=True))
    purpose = PURPOSE_OF_KIND[posting.kind]
    for user_id, purposes in Profile.objects.values_list("user_id", "purposes").iterator(chunk_size=2000):
        if purposes and purpose in purposes:
            ids.add(user_id)
    audience = access.members_who_may_see(posting).filter(pk__in=ids).exclude(pk=posting.contact_id)
    return sorted(audience.values_list("pk", flat=True))


def do_notify_new_posting(posting_id):
    """Tell matching members about an open posting (the notify_new_posting task). Batched; safe to run
    again: members already told are skipped (notifications.Notice)."""
    posting = Posting.objects.filter(pk=posting_id, status=Posting.Status.OPEN).select_related("department").first()
    if posting is None:
        return 0
    ids = matching_member_ids(posting)
    context = {"posting": posting, "url": _url("job_detail", pk=posting.pk),
               "kind": posting.get_kind_display()}
    told = 0
    for start in range(0, len(ids), NOTIFY_BATCH):
        users = list(User.objects.filter(pk__in=ids[start:start + NOTIFY_BATCH], state=State.ACTIVE))
        told += do_notify(NOTIFY_CATEGORY, posting.pk, users, template="jobs/email/new_posting", context=context)
    return told


# --- Applications ------------------------------------------------------------------------------------

def check_apply(member, posting):
    if not access.postings_visible_to(member).filter(pk=posting.pk).exists():
        raise ValidationError(_("This posting is not open for applications."))
    if JobApplication.objects.filter(posting=posting, applicant=member).exists():
        raise ValidationError(_("You have already applied for this posting."))


def do_apply_to_job(member, posting, *, message="", cv=None, request=None):
    """One-step application; `cv` is a file from cv.clean_cv (already checked)."""
    check_apply(member, posting)
    with transaction.atomic():
        application = JobApplication(posting=posting, applicant=member, message=message.strip())
        if cv is not None:
            application.cv.save(cv.name, cv, save=False)
        application.save()
        ApplicationEvent.objects.create(application=application, actor=member, stage=Stage.NEW)
        audit(member, "jobs.apply", application, request=request)
    if posting.contact and posting.contact.email:
        send_email(posting.contact.email, "jobs/email/application_received",
                   {"posting": posting, "url": _url("hr_application_detail", pk=application.pk)},
                   language=posting.contact.language)
    return application


def check_move(application, stage, *, hired_on=None):
    if stage not in Stage.values:
        raise ValidationError(_("Choose a status."))
    if application.stage == Stage.HIRED:
        raise ValidationError(_("This application ended in a hire; its status can no longer change."))
    if stage == application.stage:
        raise ValidationError(_("The application already has this status."))
    if stage == Stage.HIRED and hired_on is None:
        raise ValidationError({"hired_on": _("Enter the start date of the hire.")})


def do_move_application(actor, application, stage, *, note="", hired_on=None, department=None, request=None):
    """Move an application through HR's pipeline. "Hired" records the rehire (the KPI)."""
    with transaction.atomic():
        # The row as it is now (locked): two HR people moving the same application cannot both hire.
        current = JobApplication.objects.select_for_update().get(pk=application.pk)
        check_move(current, stage, hired_on=hired_on)
        application.stage = stage
        application.save(update_fields=["stage", "updated_at"])
        ApplicationEvent.objects.create(application=application, actor=actor, stage=stage, note=note.strip())
        if stage == Stage.HIRED:
            Rehire.objects.create(application=application, member=application.applicant, hired_on=hired_on,
                                  kind=application.posting.kind,
                                  department=department or application.posting.department)
        audit(actor, "jobs.application_move", application, detail={"stage": stage}, request=request)
    return application


def check_note(note):
    if not note.strip():
        raise ValidationError({"note": _("Write the note.")})


def do_add_note(actor, application, note, *, request=None):
    check_note(note)
    with transaction.atomic():
        ApplicationEvent.objects.create(application=application, actor=actor, note=note.strip())
        audit(actor, "jobs.application_note", application, request=request)


def do_withdraw_application(member, application, *, request=None):
    with transaction.atomic():
        if JobApplication.objects.select_for_update().get(pk=application.pk).stage in FINAL_STAGES:
            raise ValidationError(_("This application has already ended."))
        application.stage = Stage.WITHDRAWN
        application.save(update_fields=["stage", "updated_at"])
        ApplicationEvent.objects.create(application=application, actor=member, stage=Stage.WITHDRAWN)
        audit(member, "jobs.application_withdraw", application, request=request)


# --- Casual talks ---------------------------------------------------------------------------------

def do_set_host(user, *, intro, active, request=None):
    """Offer (or stop offering) casual talks. Employees and HR may host; alumni are the guests."""
    if user.role == Role.ALUMNI:
        raise ValidationError(_("Casual talks are hosted by people who work at the company now."))
    if active and not intro.strip():
        raise ValidationError({"intro": _("Say what you can talk about.")})
    with transaction.atomic():
        host, _created = TalkHost.objects.update_or_create(user=user, defaults={"intro": intro.strip(),
                                                                                "active": active})
        audit(user, "jobs.host_update", user, detail={"active": active}, request=request)
    return host


def check_talk_request(member, host, topic, times):
    errors = {}
    if host is not None and not access.hosts_for(member).filter(pk=host.pk).exists():
        errors["host"] = _("This person does not offer casual talks.")
    if not topic.strip():
        errors["topic"] = _("Say what you would like to talk about.")
    times = [t for t in times if t]
    now = timezone.now()
    if not times:
        errors["times"] = _("Propose at least one date and time.")
    elif len(times) > MAX_TALK_TIMES:
        errors["times"] = _("Propose at most three dates and times.")
    elif any(t <= now for t in times):
        errors["times"] = _("Proposed times must be in the future.")
    if errors:
        raise ValidationError(errors)
    return sorted(set(times))


def _talk_emails(talk):
    """Who is told about a change of a talk made by the other side: the host (HR's admins when HR hosts)."""
    if talk.host is not None:
        return [talk.host]
    return list(User.objects.filter(role=Role.ADMIN, state=State.ACTIVE))


def do_request_talk(member, host, *, topic, times, request=None):
    times = check_talk_request(member, host, topic, times)
    with transaction.atomic():
        talk = CasualTalk.objects.create(member=member, host=host, topic=topic.strip(),
                                         proposed_times=[t.isoformat() for t in times])
        TalkEvent.objects.create(talk=talk, actor=member, status=talk.status)
        audit(member, "jobs.talk_request", talk, request=request)
        for person in _talk_emails(talk):
            send_email(person.email, "jobs/email/talk_requested",
                       {"member_name": member.name, "url": _url("talk_detail", pk=talk.pk)}, language=person.language)
    return talk


def check_talk_answer(talk, *, when, decline):
    if talk.status not in (CasualTalk.Status.REQUESTED, CasualTalk.Status.PROPOSED):
        raise ValidationError(_("This talk has already been answered."))
    if not decline:
        if when is None:
            raise ValidationError({"when": _("Choose one of the proposed times or propose another.")})
        if when <= timezone.now():
            raise ValidationError({"when": _("The time must be in the future.")})


def do_answer_talk(host, talk, *, when=None, place="", message="", decline=False, request=None):
    """The host's answer: a time (one the member proposed schedules the talk; another is proposed back to
    the member), or a decline. The member gets an email."""
    check_talk_answer(talk, when=when, decline=decline)
    proposed = [datetime.datetime.fromisoformat(t) for t in talk.proposed_times]
    if decline:
        status = CasualTalk.Status.DECLINED
    elif when in proposed:
        status = CasualTalk.Status.SCHEDULED
    else:
        status = CasualTalk.Status.PROPOSED
    with transaction.atomic():
        talk.status = status
        talk.scheduled_at = None if decline else when
        talk.place = place.strip()
        talk.host_message = message.strip()
        talk.save()
        TalkEvent.objects.create(talk=talk, actor=host, status=status)
        audit(host, "jobs.talk_answer", talk, detail={"status": status}, request=request)
        send_email(talk.member.email, "jobs/email/talk_answered", {
            "talk": talk, "host_name": talk.host.name if talk.host else _("HR"),
            "url": _url("talk_detail", pk=talk.pk)}, language=talk.member.language)
    return talk


def do_accept_proposal(member, talk, *, request=None):
    """The member takes the time the host proposed back."""
    if talk.status != CasualTalk.Status.PROPOSED:
        raise ValidationError(_("There is no proposed time to accept."))
    with transaction.atomic():
        talk.status = CasualTalk.Status.SCHEDULED
        talk.save(update_fields=["status", "updated_at"])
        TalkEvent.objects.create(talk=talk, actor=member, status=talk.status)
        audit(member, "jobs.talk_accept", talk, request=request)
        for person in _talk_emails(talk):
            send_email(person.email, "jobs/email/talk_confirmed", {"talk": talk, "member_name": member.name,
                                                                   "url": _url("talk_detail", pk=talk.pk)},
                       language=person.language)
    return talk


def do_cancel_talk(member, talk, *, request=None):
    if talk.status in (CasualTalk.Status.DECLINED, CasualTalk.Status.CANCELLED):
        raise ValidationError(_("This talk has already ended."))
    with transaction.atomic():
        talk.status = CasualTalk.Status.CANCELLED
        talk.save(update_fields=["status", "updated_at"])
        TalkEvent.objects.create(talk=talk, actor=member, status=talk.status)
        audit(member, "jobs.talk_cancel", talk, request=request)
    return talk


# --- Referrals -------------------------------------------------------------------------------------

def check_referral(member, posting, *, name, email, relation, agreed):
    errors = {}
    if posting is not None and not access.postings_visible_to(member).filter(pk=posting.pk).exists():
        errors["posting"] = _("This posting is not open.")
    if not name.strip():
        errors["name"] = _("Enter their name.")
    if not email.strip():
        errors["email"] = _("Enter their email address.")
    if not relation.strip():
        errors["relation"] = _("Say how you know them.")
    if not agreed:
        errors["agreed"] = _("Please introduce only someone who agreed to it.")
    if errors:
        raise ValidationError(errors)


def do_refer(member, posting, *, name, email, relation, note="", agreed=False, request=None):
    check_referral(member, posting, name=name, email=email, relation=relation, agreed=agreed)
    with transaction.atomic():
        referral = Referral.objects.create(referrer=member, posting=posting, name=name.strip(),
                                           email=email.strip().lower(), relation=relation.strip(),
                                           note=note.strip(), agreed=True)
        # The label is the posting, never the referred person's name: the log outlives the referral.
        audit(member, "jobs.refer", referral, target_label=str(posting or ""), request=request)
    return referral


def do_move_referral(actor, referral, status, *, request=None):
    if status not in Referral.Status.values:
        raise ValidationError(_("Choose a status."))
    with transaction.atomic():
        referral.status = status
        referral.save(update_fields=["status", "updated_at"])
        audit(actor, "jobs.referral_move", referral, target_label=str(referral.posting or ""),
              detail={"status": status}, request=request)
    return referral


def do_erase_referral(actor, referral, *, request=None):
    """The referred person asked to be forgotten (or HR is done): their data goes, the row stays."""
    with transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(name="", email="", relation="", note="",
                                                       updated_at=timezone.now())
        audit(actor, "jobs.referral_erase", referral, target_label=str(referral.posting or ""), request=request)


REFERRAL_RETENTION = datetime.timedelta(days=180)


def do_expire_referrals(now=None):
    """The referred person's name, address and what was said about them are kept while HR needs them: a
    referral closed (or hired) for REFERRAL_RETENTION loses them (housekeeping); the row stays as a count."""
    cutoff = (now or timezone.now()) - REFERRAL_RETENTION
    return (Referral.objects.filter(status__in=[Referral.Status.CLOSED, Referral.Status.HIRED], updated_at__lt=cutoff)
            .exclude(email="").update(name="", email="", relation="", note=""))


# --- Return intention ------------------------------------------------------------------------------

def do_state_intention(member, *, want, can, request=None):
    from .models import Can, Want

    if want not in Want.values or can not in Can.values:
        raise ValidationError(_("Answer both questions."))
    with transaction.atomic():
        intention, _created = ReturnIntention.objects.update_or_create(
            user=member, defaults={"want": want, "can": can, "stated_at": timezone.now()})
        audit(member, "jobs.intention", member, request=request)  # what was said stays out of the log
    return intention


def do_set_job_settings(actor, *, ask_again_months, request=None):
    if not 1 <= ask_again_months <= 60:
        raise ValidationError({"ask_again_months": _("Enter a number of months from 1 to 60.")})
    with transaction.atomic():
        job_settings = JobSettings.load()
        job_settings.ask_again_months = ask_again_months
        job_settings.save()
        audit(actor, "jobs.settings", job_settings, detail={"ask_again_months": ask_again_months}, request=request)
    return job_settings


# --- Withdrawal ------------------------------------------------------------------------------------

def forget_member(sender, member, **kwargs):
    """member_withdrawing: the member's applications (and CV files), talks (requested and hosted),
    hosting offer, referrals made and return intention are deleted. Rehires stay as anonymous counts;
    postings they were the contact for lose the contact."""
    applications = JobApplication.objects.filter(applicant=member)
    for application in applications.exclude(cv=""):
        application.cv.delete(save=False)
    Rehire.objects.filter(member=member).update(member=None)
    applications.delete()
    CasualTalk.objects.filter(Q(member=member) | Q(host=member)).delete()
    TalkHost.objects.filter(user=member).delete()
    Referral.objects.filter(referrer=member).delete()
    ReturnIntention.objects.filter(user=member).delete()
    Posting.objects.filter(contact=member).update(contact=None)
