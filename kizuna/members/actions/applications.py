"""Applications from people who were not invited, HR's decision on them, and the housekeeping of sign-ups
whose address was never confirmed."""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kizuna.core.actions import audit, ensure_company, ensure_department
from kizuna.core.email import send_email, send_email_leaving_no_trace
from kizuna.core.models import NetworkSettings, RegistrationMode

from ..access import APPLICATIONS_WAITING_CACHE_KEY
from ..models import Application, Invitation, Role, State, User
from .accounts import _set_name
from .erasure import _neutralise_audit_labels, _purge_mail_of


def _forget_waiting_count():
    cache.delete(APPLICATIONS_WAITING_CACHE_KEY)


def check_apply():
    if NetworkSettings.load().registration_mode != RegistrationMode.APPLICATION:
        raise ValidationError(_("This network accepts new members by invitation only."), code="closed")


def address_taken(email):
    """`email` is normalised and lower-cased, like every stored address."""
    return User.objects.filter(email=email).exists() or EmailAddress.objects.filter(email=email).exists()


def do_apply(*, email, password, name, name_kana, language, former_email="", employee_number="",
             joined_year=None, left_year=None, department="", message="", request=None):
    """Someone who was not invited asks to join: a pending account (may only follow its application)
    and an Application for HR. The address must be confirmed before HR can approve.

    Returns None, writing nothing, when the address already belongs to someone: the caller answers
    exactly as for a new address (the page must not reveal who is a member or invited) and the owner
    of the address is told by email (see do_send_account_exists_note)."""
    email = User.objects.normalize_email(email).strip().lower()
    check_apply()
    if address_taken(email):
        make_password(password)  # as slow as a new application: the timing does not tell either
        return None
    now = timezone.now()
    try:
        with transaction.atomic():
            user = User(email=email, role=Role.ALUMNI, state=State.PENDING, language=language,
                        guidelines_version=NetworkSettings.load().guidelines_version, privacy_accepted_at=now)
            _set_name(user, name, name_kana)
            user.set_password(password)
            user.save()
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
            Application.objects.create(
                user=user, name=user.name, name_kana=user.name_kana, former_email=(former_email or "").strip(),
                employee_number=(employee_number or "").strip(), joined_year=joined_year, left_year=left_year,
                department=(department or "").strip(), message=(message or "").strip(),
            )
            audit(user, "application.submit", user, request=request)
    except IntegrityError:
        # Two submissions with the same address at once: the database kept one.
        if address_taken(email):
            return None
        raise
    return user


def do_send_account_exists_note(email):
    """Someone signed up or applied with an address that already has an account: tell its owner, in
    their language, how to get in instead (allauth calls this in place of its own "already exists" mail)."""
    email = email.strip().lower()
    owner = (User.objects.filter(email=email).first()
             or User.objects.filter(emailaddress__email=email).first())
    if owner is None:
        return None
    return send_email(email, "members/email/account_exists", {
        "name": owner.name,
        "invited": owner.state == State.INVITED,
        "applied": owner.state == State.PENDING and hasattr(owner, "application"),
        "login_url": settings.SITE_URL + reverse("account_login"),
        "reset_url": settings.SITE_URL + reverse("account_reset_password"),
    }, language=owner.language)


def do_confirm_applicant(user):
    """The applicant confirmed their address: the application now waits for HR, and they are told so."""
    application = Application.objects.filter(user=user, status=Application.Status.PENDING).first()
    if application is None or user.state != State.PENDING:
        return None
    _forget_waiting_count()
    send_email(user.email, "members/email/application_received", {
        "name": user.name, "status_url": settings.SITE_URL + reverse("application_status"),
    }, language=user.language)
    return application


def _lock_pending(application):
    application = Application.objects.select_for_update().select_related("user").get(pk=application.pk)
    if application.status != Application.Status.PENDING:
        raise ValidationError(_("This application has already been decided."))
    return application


def check_approve(application, record=None):
    if application.status != Application.Status.PENDING:
        raise ValidationError(_("This application has already been decided."))
    if not EmailAddress.objects.filter(user=application.user, verified=True).exists():
        raise ValidationError(_("The applicant has not confirmed their email address yet, so the account "
                                "cannot be approved. They received a confirmation link when they applied."))
    owner = record.member if record is not None else None
    if owner is None or owner.pk == application.user_id:
        return
    if owner.state != State.INVITED:
        raise ValidationError(_("This HR record already belongs to another member (%(name)s).")
                              % {"name": owner})
    if owner.invitations.filter(status=Invitation.Status.SENT).exists():
        # The applicant may be someone else who typed this employee number: the invitee keeps their link
        # unless HR, having checked, revokes it.
        raise ValidationError(_("An invitation for this HR record was sent to %(email)s and is still open. If the "
                                "applicant is the same person, revoke that invitation on the invitations page "
                                "first; otherwise choose another record.") % {"email": owner.email})


def _link_record(actor, user, record, *, request):
    """Copy HR's data onto the approved account and link the record to it. A revoked or used-up invitation
    for the same record is superseded (check_approve refuses open ones): the invited account never
    registered, so it only held HR's copy."""
    placeholder = record.member
    if placeholder is not None and placeholder.pk != user.pk:
        audit(actor, "invitation.superseded", placeholder, request=request, detail={"by": user.pk})
        record.member = None
        record.save(update_fields=["member"])
        placeholder.delete()
    user.joined_on, user.left_on = record.joined_on, record.left_on
    user.company = ensure_company(record.company)
    user.department = ensure_department(record.department)
    record.member = user
    record.save(update_fields=["member"])


def do_approve_application(actor, application, *, record=None, message="", request=None):
    """Approve: the account becomes active (optionally linked to the chosen HR record); the applicant
    is told by email in their language."""
    check_approve(application, record)
    now = timezone.now()
    with transaction.atomic():
        application = _lock_pending(application)
        user = application.user
        if record is not None:
            _link_record(actor, user, record, request=request)
            application.record = record
        user.state, user.activated_at = State.ACTIVE, now
        user.save()
        application.status, application.decided_at, application.decided_by = Application.Status.APPROVED, now, actor
        application.decision_message = (message or "").strip()
        application.save()
        audit(actor, "application.approve", user, request=request,
              detail={"record": record.employee_number if record else None})
        send_email(user.email, "members/email/application_approved", {
            "name": user.name, "message": application.decision_message,
            "login_url": settings.SITE_URL + reverse("account_login"),
        }, language=user.language)
    _forget_waiting_count()
    return application


def do_reject_application(actor, application, *, message, request=None):
    """Reject: the applicant is told by email (with HR's message), then the pending account and the
    application are deleted.

    A rejected applicant is not a member: keeping a login that leads nowhere, or their personal
    data, would serve no purpose they agreed to (APPI: use only for the stated purpose, erase what is
    no longer needed). They may apply again, e.g. with corrected details. The audit log keeps the
    decision, under a neutral label instead of the applicant's name (HR's message goes with the applicant)."""
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Please write a message to the applicant."))
    with transaction.atomic():
        application = _lock_pending(application)
        user = application.user
        # Sent after commit straight to the mail server and stored nowhere, like the goodbye after a
        # withdrawal: nothing of the applicant may stay (in the embedded mode, without SMTP, it is not sent).
        send_email_leaving_no_trace(user.email, "members/email/application_rejected", {
            "name": user.name, "message": message,
        }, language=user.language)
        audit(actor, "application.reject", user, request=request, detail={"message": message})
        _delete_applicant(user)
    _forget_waiting_count()


def deleted_applicant_label(pk):
    with translation.override(settings.LANGUAGE_CODE):
        return _("Deleted applicant #%(id)s") % {"id": pk}


def _delete_applicant(user):
    """Delete a pending account with its application, and every trace of it: mail to its addresses,
    its name in the audit log."""
    _purge_mail_of(user)
    _neutralise_audit_labels(user, deleted_applicant_label(user.pk))
    user.delete()


# A sign-up whose address was never confirmed: deleted after this long, so that an address someone
# typed by mistake (or on purpose) does not stay blocked for its real owner.
UNCONFIRMED_SIGNUP_KEPT_FOR = datetime.timedelta(days=7)


def do_expire_unconfirmed_signups():
    """Housekeeping (core.tasks.housekeeping): delete pending accounts, applicants' and employees',
    whose address was not confirmed within a week. Returns how many went."""
    stale = (User.objects.filter(state=State.PENDING, date_joined__lt=timezone.now() - UNCONFIRMED_SIGNUP_KEPT_FOR)
             .exclude(emailaddress__verified=True))
    count = 0
    for user in stale:
        with transaction.atomic():
            audit(None, "signup.expire", user, detail={"application": hasattr(user, "application")})
            _delete_applicant(user)
        count += 1
    if count:
        _forget_waiting_count()
    return count
