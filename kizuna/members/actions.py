"""The only place that writes accounts: check_*() validates, do_*() writes, audits and sends."""

import datetime
import itertools
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kizuna.core.actions import audit, do_purge_mail, do_update_network_settings, ensure_company, ensure_department
from kizuna.core.email import send_email, send_email_leaving_no_trace
from kizuna.core.models import AuditLog, LeaveType, NetworkSettings, RegistrationMode
from kizuna.core.text import normalize

from . import eligibility
from .access import APPLICATIONS_WAITING_CACHE_KEY, invitable_records
from .models import ApiToken, Application, ImportJob, Invitation, InvitationBatch, LeaverRecord, Role, State, User

INVITATION_SALT = "kizuna.invitation"


def _set_name(user, name, name_kana):
    user.name, user.name_kana = (name or "").strip(), (name_kana or "").strip()
    user.name_key, user.kana_key = normalize(user.name), normalize(user.name_kana)


def do_create_member(*, email, password=None, name="", name_kana="", role=Role.ALUMNI, state=State.ACTIVE,
                     actor=None, request=None, **fields):
    """Create an account directly (admin set-up, demo data, migrations from another network)."""
    user = User(email=User.objects.normalize_email(email).lower(), role=role, state=state, **fields)
    _set_name(user, name, name_kana)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    if state == State.ACTIVE:
        user.activated_at = timezone.now()
    user.save()
    # Accounts created by HR or the operator carry an address they vouch for.
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    if actor is not None:
        audit(actor, "member.create", user, request=request, detail={"role": role, "state": state})
    return user


def do_start_employee_signup(user, *, name, name_kana, language=None):
    """An employee signed up with a company address: pending until the address is verified. The sign-up
    form required accepting the guidelines and the privacy notice; that consent is recorded here."""
    _set_name(user, name, name_kana)
    user.role, user.state = Role.EMPLOYEE, State.PENDING
    user.guidelines_version, user.privacy_accepted_at = NetworkSettings.load().guidelines_version, timezone.now()
    if language in dict(settings.LANGUAGES):
        user.language = language
    user.save()
    return user


def do_confirm_employee(user, email):
    from .adapter import email_domain

    if user.role != Role.EMPLOYEE or user.state != State.PENDING:
        return user
    if email_domain(email) not in NetworkSettings.load().employee_domains:
        return user
    user.state, user.activated_at = State.ACTIVE, timezone.now()
    user.save(update_fields=["state", "activated_at"])
    audit(None, "member.employee_verified", user)
    _send_welcome(user)
    return user


def _send_welcome(user):
    send_email(user.email, "members/email/welcome", {
        "name": user.name, "url": settings.SITE_URL + reverse("home"),
        "account_url": settings.SITE_URL + reverse("account"),
    }, language=user.language)


def do_refresh_eligibility(records=None, *, actor=None, request=None):
    """Re-evaluate stored eligibility (after an import or a change of rules) and revoke the open
    invitations of people who are no longer eligible. Returns rows changed."""
    rules = NetworkSettings.load()
    records = LeaverRecord.objects.all() if records is None else records
    changed = []
    with transaction.atomic():
        for record in records.iterator(chunk_size=2000):
            value = eligibility.evaluate(record, rules).eligible
            if value != record.eligible:
                record.eligible = value
                changed.append(record)
        LeaverRecord.objects.bulk_update(changed, ["eligible"], batch_size=2000)
        _revoke_invitations_of_ineligible(actor, request=request)
    return len(changed)


def _revoke_invitations_of_ineligible(actor, *, request=None):
    """An invitation only stands while its HR record is eligible: HR excluded the person, the rules or the
    HR data changed. Their open invitations are revoked (the link stops working) and each is audited.
    Every path that can make a record ineligible calls this, so the query finds just those records."""
    invitations = list(Invitation.objects.filter(status=Invitation.Status.SENT, record__eligible=False)
                       .select_related("user", "record"))
    if not invitations:
        return 0
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(status=Invitation.Status.REVOKED)
    for invitation in invitations:
        audit(actor, "invitation.revoke_ineligible", invitation.user, request=request,
              detail={"record": invitation.record.employee_number})
    return len(invitations)


# --- Invitations -------------------------------------------------------------------------------

def invitation_url(invitation):
    token = signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)
    return settings.SITE_URL + reverse("invitation_accept", args=[token])


def _check_eligible(record):
    result = eligibility.evaluate(record, NetworkSettings.load())
    if not result.eligible:
        raise ValidationError(str(result))


def check_invite(record):
    """Raise ValidationError with the reason a record cannot be invited now."""
    _check_eligible(record)
    if not record.email:
        raise ValidationError(_("The HR record has no email address."))
    member = record.member
    if member is not None and member.state != State.INVITED:
        raise ValidationError(_("This person is already registered."))
    # Account addresses are stored lower-cased (by these actions and by allauth): the unique index answers.
    # A member's confirmed extra address counts too: it logs them in.
    email, member_pk = record.email.strip().lower(), getattr(member, "pk", None)
    if (User.objects.filter(email=email).exclude(pk=member_pk).exists()
            or EmailAddress.objects.filter(email=email, verified=True).exclude(user_id=member_pk).exists()):
        raise ValidationError(_("Another account already uses this email address."))


def _send_invitation(invitation):
    user = invitation.user
    send_email(user.email, "members/email/invitation", {
        "name": user.name, "url": invitation_url(invitation), "expires_at": invitation.expires_at,
    }, language=user.language)


def do_invite(actor, record, *, request=None):
    """Invite the person of an HR record: an invited account prefilled from HR, and a single-use link."""
    now = timezone.now()
    try:
        with transaction.atomic():
            # Checked on the locked row: a parallel run, import or approval cannot change it in between.
            locked = (LeaverRecord.objects.select_for_update(of=("self",)).select_related("member")
                      .get(pk=record.pk))
            check_invite(locked)
            user = locked.member
            if user is None:
                user = User(email=locked.email.strip().lower(), role=Role.ALUMNI, state=State.INVITED,
                            joined_on=locked.joined_on, left_on=locked.left_on,
                            company=ensure_company(locked.company),
                            department=ensure_department(locked.department))
                _set_name(user, locked.name, locked.name_kana)
                user.set_unusable_password()
                user.save()
                locked.member = user
                locked.save(update_fields=["member"])
            user.invitations.filter(status=Invitation.Status.SENT).update(status=Invitation.Status.REVOKED)
            invitation = Invitation.objects.create(
                user=user, record=locked, nonce=secrets.token_urlsafe(16), sent_at=now, created_by=actor,
                expires_at=now + datetime.timedelta(days=NetworkSettings.load().invitation_valid_days),
            )
            audit(actor, "invitation.send", user, request=request, detail={"record": locked.employee_number})
            _send_invitation(invitation)
    except IntegrityError:
        # The address was taken by an account created at the same moment (an application, a sign-up).
        raise ValidationError(_("Another account already uses this email address.")) from None
    record.member = locked.member
    return invitation


def do_invite_many(actor, records, *, request=None):
    """Invite several records; returns (invitations sent, [(record, reason)] skipped)."""
    sent, skipped = [], []
    for record in records:
        try:
            sent.append(do_invite(actor, record, request=request))
        except ValidationError as error:
            skipped.append((record, " ".join(error.messages)))
    return sent, skipped


def check_resend_invitation(invitation):
    if invitation.status != Invitation.Status.SENT:
        raise ValidationError(_("Only an open invitation can be sent again."))
    if invitation.record is not None:
        try:
            _check_eligible(invitation.record)
        except ValidationError as error:
            raise ValidationError(_("This person is no longer eligible, so the invitation cannot be sent again: "
                                    "%(reasons)s") % {"reasons": " ".join(error.messages)}) from None


def do_resend_invitation(actor, invitation, *, request=None):
    """Send a fresh link (older links stop working) and extend the expiry."""
    check_resend_invitation(invitation)
    now = timezone.now()
    invitation.nonce = secrets.token_urlsafe(16)
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=NetworkSettings.load().invitation_valid_days)
    invitation.send_count += 1
    with transaction.atomic():
        invitation.save()
        audit(actor, "invitation.resend", invitation.user, request=request)
        _send_invitation(invitation)
    return invitation


def do_revoke_invitation(actor, invitation, *, request=None):
    if invitation.status != Invitation.Status.SENT:
        raise ValidationError(_("Only an open invitation can be revoked."))
    invitation.status = Invitation.Status.REVOKED
    with transaction.atomic():
        invitation.save(update_fields=["status"])
        audit(actor, "invitation.revoke", invitation.user, request=request)
    return invitation


# Records per transaction-and-progress step of a background run; a run silent this long has died.
BATCH_CHUNK = 200
BATCH_STALE_AFTER = datetime.timedelta(minutes=15)


def do_start_invitation_batch(actor, *, request=None):
    """Invite every eligible record not invited yet, in the background (thousands at a time)."""
    from .tasks import run_invitation_batch

    now = timezone.now()
    unfinished = InvitationBatch.objects.filter(status__in=[InvitationBatch.Status.QUEUED,
                                                            InvitationBatch.Status.RUNNING])
    # A run that stopped reporting progress (worker killed) must not block HR forever; a new run
    # picks up every record that is still not invited.
    unfinished.filter(updated_at__lt=now - BATCH_STALE_AFTER).update(status=InvitationBatch.Status.FAILED,
                                                                     finished_at=now)
    if unfinished.exists():
        raise ValidationError(_("Invitations are already being sent in the background."))
    total = invitable_records().count()
    if not total:
        raise ValidationError(_("Every eligible person has been invited already."))
    with transaction.atomic():
        batch = InvitationBatch.objects.create(created_by=actor, total=total)
        audit(actor, "invitation.batch_start", batch, request=request, detail={"total": total})
        transaction.on_commit(lambda: run_invitation_batch.enqueue(batch.pk))
    return batch


def do_run_invitation_batch(batch_id):
    """The task body. Safe to retry: records invited by an earlier attempt are no longer invitable,
    so only the skipped counts start again from zero."""
    batch = InvitationBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status not in (InvitationBatch.Status.QUEUED, InvitationBatch.Status.RUNNING):
        return batch  # finished, or given up as stale (a newer run took over)
    actor = batch.created_by
    batch.status, batch.skipped, batch.skipped_reasons = InvitationBatch.Status.RUNNING, 0, {}
    batch.save(update_fields=["status", "skipped", "skipped_reasons", "updated_at"])
    reasons = Counter()
    last_pk = 0
    try:
        # Skip reasons are read by the admin who started the run, so they are written in their language.
        with translation.override(getattr(actor, "language", None) or settings.LANGUAGE_CODE):
            while True:
                if not _batch_still_running(batch):
                    return batch  # given up as stale while it worked: the newer run carries on
                chunk = list(invitable_records().filter(pk__gt=last_pk).order_by("pk")[:BATCH_CHUNK])
                if not chunk:
                    break
                last_pk = chunk[-1].pk
                sent, skipped = do_invite_many(actor, chunk)
                reasons.update(reason for _record, reason in skipped)
                batch.sent += len(sent)
                batch.skipped += len(skipped)
                batch.skipped_reasons = dict(reasons)
                batch.save(update_fields=["sent", "skipped", "skipped_reasons", "updated_at"])
    except Exception:
        batch.status, batch.finished_at = InvitationBatch.Status.FAILED, timezone.now()
        batch.save(update_fields=["status", "finished_at"])
        raise
    batch.status, batch.finished_at = InvitationBatch.Status.DONE, timezone.now()
    if InvitationBatch.objects.filter(pk=batch.pk, status=InvitationBatch.Status.RUNNING).update(
            status=batch.status, finished_at=batch.finished_at):
        audit(actor, "invitation.batch_done", batch, detail={"sent": batch.sent, "skipped": batch.skipped})
    return batch


def _batch_still_running(batch):
    return InvitationBatch.objects.filter(pk=batch.pk, status=InvitationBatch.Status.RUNNING).exists()


# --- Eligibility rules ---------------------------------------------------------------------------

# Up to this many HR records the new rules are applied while the admin waits; larger lists in a task.
ELIGIBILITY_INLINE_LIMIT = 5000


def do_update_eligibility_rules(actor, *, min_tenure_months, allowed_leave_types, request=None):
    """Save the rules and re-evaluate every HR record. Returns True when the stored results are current."""
    from .tasks import refresh_eligibility

    do_update_network_settings(actor, {
        "min_tenure_months": min_tenure_months,
        "allowed_leave_types": [t for t in LeaveType.values if t in allowed_leave_types],
    }, request=request)
    if LeaverRecord.objects.count() <= ELIGIBILITY_INLINE_LIMIT:
        do_refresh_eligibility(actor=actor, request=request)
        return True
    actor_id = getattr(actor, "pk", None)
    transaction.on_commit(lambda: refresh_eligibility.enqueue(actor_id))
    return False


def do_set_record_excluded(actor, record, excluded, *, request=None):
    """HR's per-record flag: an excluded person is never eligible, whatever the rules say, and their open
    invitation is revoked. An account already registered is not affected (suspend it for that)."""
    if record.excluded == excluded:
        return record
    with transaction.atomic():
        record.excluded = excluded
        record.eligible = eligibility.evaluate(record, NetworkSettings.load()).eligible
        record.save(update_fields=["excluded", "eligible", "updated_at"])
        audit(actor, "leaver.exclude" if excluded else "leaver.include", record, request=request)
        _revoke_invitations_of_ineligible(actor, request=request)
    return record


# --- Member management by admins -----------------------------------------------------------------

def _check_keeps_an_admin(member):
    """Refuse a change that would leave the network without an active admin.

    Inside a transaction the other admins' rows are locked, so two admins cannot demote each other at once.
    """
    if member.role != Role.ADMIN or member.state != State.ACTIVE:
        return
    others = User.objects.filter(role=Role.ADMIN, state=State.ACTIVE).exclude(pk=member.pk)
    if transaction.get_connection().in_atomic_block:
        others = others.select_for_update()
    if not others.exists():
        raise ValidationError(_("This is the last admin. Appoint another admin first."))


def do_change_role(actor, member, role, *, request=None):
    if role not in Role.values:
        raise ValidationError(_("Please choose a member type."))
    if member.state == State.WITHDRAWN:
        raise ValidationError(_("This member has withdrawn."))
    old = member.role
    if old == role:
        return member
    with transaction.atomic():
        if role != Role.ADMIN:
            _check_keeps_an_admin(member)
        member.role = role
        member.save(update_fields=["role"])
        audit(actor, "member.change_role", member, request=request, detail={"from": old, "to": role})
    return member


def do_end_sessions(member):
    """Sign the member out everywhere: every session's auth hash includes the epoch (see User)."""
    User.objects.filter(pk=member.pk).update(session_epoch=F("session_epoch") + 1)
    member.refresh_from_db(fields=["session_epoch"])


def do_suspend(actor, member, *, reason="", request=None):
    """Block the account (it cannot sign in while suspended) and end its sessions at once."""
    if actor is not None and member.pk == actor.pk:
        raise ValidationError(_("You cannot suspend your own account."))
    if member.state != State.ACTIVE:
        raise ValidationError(_("Only active members can be suspended."))
    with transaction.atomic():
        _check_keeps_an_admin(member)
        member.state = State.SUSPENDED
        member.save(update_fields=["state"])
        do_end_sessions(member)
        audit(actor, "member.suspend", member, request=request, detail={"reason": reason.strip()})
    return member


def do_reactivate(actor, member, *, request=None):
    if member.state != State.SUSPENDED:
        raise ValidationError(_("Only suspended members can be reactivated."))
    with transaction.atomic():
        member.state = State.ACTIVE
        member.save(update_fields=["state"])
        audit(actor, "member.reactivate", member, request=request)
    return member


# --- The member's own data -----------------------------------------------------------------------

def check_accept_guidelines(version):
    """`version`: the one the member was shown. Accepting a version they have not seen proves nothing."""
    if version != NetworkSettings.load().guidelines_version:
        raise ValidationError(_("The guidelines were updated while you were reading them. Please read the new "
                                "version."), code="stale")


def do_accept_guidelines(member, version, *, request=None):
    """The member accepted the current community guidelines (asked again whenever an admin changes them)."""
    check_accept_guidelines(version)
    if member.guidelines_version >= version:
        return member
    with transaction.atomic():
        member.guidelines_version = version
        member.save(update_fields=["guidelines_version"])
        audit(member, "member.accept_guidelines", member, request=request, detail={"version": version})
    return member


def do_update_own_details(member, *, name, name_kana, language):
    """Correction by the member themselves (APPI: the right to have one's data corrected)."""
    if not (name or "").strip():
        raise ValidationError(_("Please enter your name."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Please choose a language."))
    _set_name(member, name, name_kana)
    member.language = language
    member.save(update_fields=["name", "name_kana", "name_key", "kana_key", "language"])
    return member


def do_record_data_export(member, *, request=None):
    """The download of all of one's data is an export like any other: it is logged."""
    audit(member, "member.export_data", member, request=request)


# --- Withdrawal ----------------------------------------------------------------------------------

def withdrawn_label(pk):
    """Neutral name stored in place of a withdrawn member's name (in the network's default language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Withdrawn member #%(id)s") % {"id": pk}


def check_withdraw(member):
    if member.state == State.WITHDRAWN:
        raise ValidationError(_("This member has already withdrawn."))
    _check_keeps_an_admin(member)


def do_withdraw(member, actor, reason="", *, request=None):
    """Withdraw a member (by themselves, or by an admin processing a deletion request).

    Personal data is erased at once; the account row stays as an empty shell so that history
    (audit log, counts) keeps its references. The HR leaver record stays with HR but is marked so
    that the person is never invited again.
    """
    with transaction.atomic():
        check_withdraw(member)
        if member.email:
            # Sent after commit straight to the mail server, never stored: afterwards no row, task or
            # file holds the address (in the embedded mode, without SMTP, it is not sent).
            send_email_leaving_no_trace(member.email, "members/email/goodbye", {}, language=member.language)
        do_purge_mail(_addresses_of(member))
        _erase_linked_data(member)
        _erase_account(member)
        label = withdrawn_label(member.pk)
        audit(actor, "member.withdraw", member, request=request, target_label=label, detail={
            "by": "self" if actor is not None and actor.pk == member.pk else "admin",
            "reason": (reason or "").strip()[:500],
        })
        _neutralise_audit_labels(member, label)
        # An application still waiting for HR goes with the person: there is nothing left to decide.
        if Application.objects.filter(user=member, status=Application.Status.PENDING).delete()[0]:
            transaction.on_commit(_forget_waiting_count)
    return member


def _addresses_of(user):
    return {address for address in (user.email, *EmailAddress.objects.filter(user=user)
                                    .values_list("email", flat=True)) if address}


def _erase_linked_data(member):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=member).delete()
    Authenticator.objects.filter(user=member).delete()
    member.api_tokens.all().delete()
    member.invitations.filter(status=Invitation.Status.SENT).update(status=Invitation.Status.REVOKED)
    Application.objects.filter(user=member).update(
        name="", name_kana="", former_email="", employee_number="", joined_year=None, left_year=None,
        department="", message="", decision_message="",
    )
    for record in LeaverRecord.objects.filter(member=member):
        record.member, record.opted_out = None, True
        record.eligible = eligibility.evaluate(record, NetworkSettings.load()).eligible
        record.save(update_fields=["member", "opted_out", "eligible", "updated_at"])


def _erase_account(member):
    _set_name(member, "", "")
    member.email = None
    member.set_unusable_password()
    member.company = member.department = None
    member.joined_on = member.left_on = None
    member.guidelines_version, member.privacy_accepted_at = 0, None
    member.language = settings.LANGUAGE_CODE
    member.state, member.withdrawn_at = State.WITHDRAWN, timezone.now()
    member.session_epoch += 1
    member.save()


def _neutralise_audit_labels(member, label):
    """Audit entries keep what happened, but no longer the member's name or address."""
    own = {
        User._meta.label_lower: [member.pk],
        Application._meta.label_lower: list(Application.objects.filter(user=member).values_list("pk", flat=True)),
        Invitation._meta.label_lower: list(member.invitations.values_list("pk", flat=True)),
    }
    about_them = Q()
    for target_type, ids in own.items():
        if ids:
            about_them |= Q(target_type=target_type, target_id__in=[str(pk) for pk in ids])
    AuditLog.objects.filter(about_them).update(target_label=label)
    # Their own entries keep what they did, but neither their name nor where they connected from.
    AuditLog.objects.filter(actor=member).update(actor_label=label, ip=None)


# --- Bulk creation (demo and seed data) ---------------------------------------------------------

@dataclass
class NewMember:
    """An account prepared in memory for do_bulk_create_members, with its HR record or application."""

    user: User
    record: LeaverRecord | None = None
    application: Application | None = None


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _prepare_record(record, rules):
    record.name_key, record.kana_key = normalize(record.name), normalize(record.name_kana)
    record.eligible = eligibility.evaluate(record, rules).eligible
    return record


def do_bulk_create_members(entries, *, email_verified=False, actor=None, batch_size=5000):
    """Insert many prepared accounts at once (seed and demo data); returns (members, records) created.

    Each entry's user needs email, role, state and a password hash already set (callers share one
    precomputed hash: hashing every password would take hours for a large network). Name keys,
    activation time, record eligibility and the links between rows are filled in here. All or nothing.
    """
    rules = NetworkSettings.load()
    now = timezone.now()
    members = records = 0
    with transaction.atomic():
        for batch in _batches(entries, batch_size):
            for entry in batch:
                user = entry.user
                _set_name(user, user.name, user.name_kana)
                if user.state == State.ACTIVE and user.activated_at is None:
                    user.activated_at = now
                if not user.guidelines_version:
                    # They stand for people who joined the usual way, accepting the guidelines and the notice.
                    user.guidelines_version, user.privacy_accepted_at = rules.guidelines_version, now
            User.objects.bulk_create([entry.user for entry in batch], batch_size=batch_size)
            linked, applications = [], []
            for entry in batch:
                if entry.record is not None:
                    entry.record.member = entry.user
                    linked.append(_prepare_record(entry.record, rules))
                if entry.application is not None:
                    entry.application.user = entry.user
                    applications.append(entry.application)
            LeaverRecord.objects.bulk_create(linked, batch_size=batch_size)
            Application.objects.bulk_create(applications, batch_size=batch_size)
            if email_verified:
                from allauth.account.models import EmailAddress

                EmailAddress.objects.bulk_create(
                    [EmailAddress(user=entry.user, email=entry.user.email, verified=True, primary=True)
                     for entry in batch], batch_size=batch_size,
                )
            members += len(batch)
            records += len(linked)
        audit(actor, "member.bulk_create", detail={"members": members, "records": records})
    return members, records


def do_bulk_create_records(records, *, actor=None, batch_size=5000):
    """Insert prepared HR leaver records that have no account yet (demo data); returns the count."""
    rules = NetworkSettings.load()
    with transaction.atomic():
        created = LeaverRecord.objects.bulk_create([_prepare_record(r, rules) for r in records], batch_size=batch_size)
        audit(actor, "leaver_record.bulk_create", detail={"records": len(created)})
    return len(created)


# --- Personal API tokens -----------------------------------------------------------------------

API_TOKEN_PREFIX = "kzn_"  # noqa: S105 - makes leaked tokens recognisable to secret scanners
MAX_ACTIVE_API_TOKENS = 20


def check_create_token(user, name):
    if user.state != State.ACTIVE:
        raise ValidationError(_("Only active members can create API tokens."))
    if not (name or "").strip():
        raise ValidationError(_("Give the token a name, for example the system that will use it."))
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_API_TOKENS:
        raise ValidationError(
            _("You already have %(count)s active tokens. Revoke one you no longer use first.")
            % {"count": MAX_ACTIVE_API_TOKENS}
        )


def do_create_token(user, name, *, request=None):
    """Create a personal API token; returns (token, raw secret). Only the secret's SHA-256 is stored."""
    from kizuna.api.auth import hash_token

    check_create_token(user, name)
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip()[:100], prefix=raw[: ApiToken._meta.get_field("prefix").max_length],
            key_hash=hash_token(raw),
        )
        audit(user, "token.create", token, request=request)
    return token, raw


def do_touch_token(token):
    """Remember when a token was last used (shown on the token page). One UPDATE, no audit: it happens on
    every API request and is not a change anyone made."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


def do_revoke_token(actor, token, *, request=None):
    """Revoke a token at once; requests using it get 401 from now on. `actor` is None for the CLI."""
    if token.revoked_at is not None:
        raise ValidationError(_("This token has already been revoked."))
    token.revoked_at = timezone.now()
    with transaction.atomic():
        token.save(update_fields=["revoked_at"])
        audit(actor, "token.revoke", token, request=request, detail={"owner": token.user_id})
    return token
# --- HR leaver import --------------------------------------------------------------------------

IMPORT_BATCH = 2000


class _Organisation:
    """Companies and departments met during one import, ensured once each (not once per row)."""

    def __init__(self):
        self.companies, self.departments = {}, {}

    def ensure(self, record):
        if record.company not in self.companies:
            self.companies[record.company] = ensure_company(record.company)
        if record.department not in self.departments:
            self.departments[record.department] = ensure_department(record.department)


def _derive_record_fields(record, rules, organisation, changed):
    if "name" in changed:
        record.name_key = normalize(record.name)
    if "name_kana" in changed:
        record.kana_key = normalize(record.name_kana)
    if "company" in changed or "department" in changed:
        organisation.ensure(record)
    record.eligible = eligibility.evaluate(record, rules).eligible


def do_apply_leaver_import(actor, validation, *, source, filename="", job=None, invite=False, request=None):
    """Apply validated leaver rows all-or-nothing (upsert by employee number); the one write path of the
    CSV/XLSX upload, the CLI and the API. Returns counts: rows, created, updated, unchanged (+ invited)."""
    from . import importer

    if not validation.valid:
        raise ValidationError(_("The data has errors, so nothing was imported."))
    rules, organisation, now = NetworkSettings.load(), _Organisation(), timezone.now()
    with transaction.atomic():
        if job is not None and not _still_in(job, ImportJob.Status.APPLYING):
            raise ValidationError(_("This import was stopped, so nothing was imported."))
        plan = importer.diff(validation)
        created = []
        for values in plan.created:
            record = LeaverRecord(**values)
            _derive_record_fields(record, rules, organisation, ("name", "name_kana", "company", "department"))
            created.append(record)
        LeaverRecord.objects.bulk_create(created, batch_size=IMPORT_BATCH)
        newly_eligible = [record for record in created if record.eligible]
        updated, fields = [], {"name_key", "kana_key", "eligible", "updated_at"}
        for record, changes in plan.updated:
            was_eligible = record.eligible
            for name, (_old, new) in changes.items():
                setattr(record, name, new)
            _derive_record_fields(record, rules, organisation, changes)
            record.updated_at = now
            fields.update(changes)
            updated.append(record)
            if record.eligible and not was_eligible:
                newly_eligible.append(record)
        LeaverRecord.objects.bulk_update(updated, sorted(fields), batch_size=IMPORT_BATCH // 4)
        _revoke_invitations_of_ineligible(actor, request=request)  # e.g. rows marked 除外 (excluded)
        counts = plan.counts
        audit(actor, "leavers.import", job, request=request, target_label=filename,
              detail={**counts, "source": source, "filename": filename})
        if job is not None:
            job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
            job.report = {**plan.summary(), "result": counts}
            _discard_upload(job)
            job.save(update_fields=["status", "finished_at", "report", "file", "updated_at"])
    if invite:
        sent, skipped = do_invite_many(actor, [r for r in newly_eligible if r.member_id is None], request=request)
        counts.update(invited=len(sent), not_invited=len(skipped))
        if job is not None:
            job.report["result"] = counts
            job.save(update_fields=["report"])
    return counts


def _job_progress(job):
    def report(done, total):
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total, updated_at=timezone.now())

    return report


def _still_in(job, status):
    """Lock the job's row and tell whether it still has `status` (it may have been given up as stale)."""
    return ImportJob.objects.select_for_update().filter(pk=job.pk, status=status).exists()


# A job checking or applying without progress this long has lost its worker; a checked file waits this long.
IMPORT_STALE_AFTER = datetime.timedelta(minutes=15)
IMPORT_KEPT_FOR = datetime.timedelta(days=7)


def do_expire_import_jobs():
    """End the jobs nobody will finish, deleting their HR file: FAILED when checking or applying stopped
    reporting progress (the worker died), EXPIRED when a job waited a week (not applied, or never picked up).
    Run by housekeeping (core.tasks) and whenever HR opens the import pages or uploads a file. Returns the count."""
    now = timezone.now()
    stale = Q(status__in=[ImportJob.Status.VALIDATING, ImportJob.Status.APPLYING],
              updated_at__lt=now - IMPORT_STALE_AFTER)
    waited = Q(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.READY], updated_at__lt=now - IMPORT_KEPT_FOR)
    with transaction.atomic():
        jobs = list(ImportJob.objects.select_for_update().filter(stale | waited))
        for job in jobs:
            if job.status in (ImportJob.Status.VALIDATING, ImportJob.Status.APPLYING):
                do_finish_import(job, ImportJob.Status.FAILED)
            else:
                # Nothing was applied: the sample of the changes (names from the file) goes with the file.
                do_finish_import(job, ImportJob.Status.EXPIRED, report={"created_sample": [], "updated_sample": []})
    return len(jobs)


def _validate_job_file(job):
    from . import importer

    with job.file.open("rb") as file:
        return importer.read_and_validate(file, job.filename, progress=_job_progress(job))


def do_create_import_job(actor, upload, *, invite_on_apply=False, request=None):
    """Store an uploaded HR file privately and queue its check (validation and diff) as a task."""
    from .tasks import check_import

    suffix = Path(upload.name).suffix.lower()
    do_expire_import_jobs()
    with transaction.atomic():
        job = ImportJob(created_by=actor, filename=upload.name[-255:], invite_on_apply=invite_on_apply)
        job.file.save(f"{secrets.token_hex(16)}{suffix}", upload, save=False)
        job.save()
        audit(actor, "leavers.upload", job, request=request, detail={"filename": job.filename})
        transaction.on_commit(lambda: check_import.enqueue(job.pk))
    return job


def do_check_import(job):
    """Validate a job's file and compute the diff; the job ends READY (can be applied) or INVALID."""
    from . import importer

    if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.VALIDATING):
        return job
    job.status = ImportJob.Status.VALIDATING
    job.save(update_fields=["status", "updated_at"])
    plan = importer.diff(_validate_job_file(job))
    with transaction.atomic():
        if not _still_in(job, ImportJob.Status.VALIDATING):
            job.refresh_from_db()
            return job  # given up as stale while it was checked
        job.refresh_from_db(fields=["processed_rows", "total_rows"])
        job.report = plan.summary()
        if plan.validation.valid:
            job.status = ImportJob.Status.READY
        else:
            job.status, job.finished_at = ImportJob.Status.INVALID, timezone.now()
            _discard_upload(job)
        job.save(update_fields=["status", "report", "finished_at", "file", "updated_at"])
    return job


def do_request_apply(actor, job, *, request=None):
    """Mark a checked job for applying (at most once) and queue the apply task."""
    from .tasks import apply_import

    with transaction.atomic():
        if not ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
                status=ImportJob.Status.APPLYING, processed_rows=0, updated_at=timezone.now()):
            raise ValidationError(_("This import cannot be applied now."))
        transaction.on_commit(lambda: apply_import.enqueue(job.pk, getattr(actor, "pk", None)))
    job.refresh_from_db()
    return job


def do_apply_import(actor, job):
    """Apply an import job (run by the apply task): the file is read again and applied all-or-nothing."""
    if job.status != ImportJob.Status.APPLYING:
        return job
    validation = _validate_job_file(job)
    if not validation.valid:  # the stored file changed under us: report, write nothing
        errors = [problem.as_json() for problem in validation.errors]
        return do_finish_import(job, ImportJob.Status.INVALID, report={"errors": errors})
    do_apply_leaver_import(actor, validation, source="upload", filename=job.filename, job=job,
                           invite=job.invite_on_apply)
    return job


def do_finish_import(job, status, *, report=None):
    """End a job that will not be applied (invalid, failed with an unexpected error, stale or expired)."""
    job.status, job.finished_at = status, timezone.now()
    if report is not None:
        job.report = {**job.report, **report}
    _discard_upload(job)
    job.save(update_fields=["status", "finished_at", "report", "file", "updated_at"])
    return job


def _discard_upload(job):
    """The uploaded HR file holds personal data: once a job is over, only its report is kept."""
    if job.file:
        storage, name = job.file.storage, job.file.name
        job.file = ""
        transaction.on_commit(lambda: storage.delete(name))


# --- Accepting an invitation -------------------------------------------------------------------

# The link is signed a moment after `sent_at` is stored; allow for that (and for clock skew).
LINK_SIGNING_SLACK = datetime.timedelta(minutes=5)


def check_invitation_link(token):
    """Return the open invitation a link points to, or raise ValidationError with code
    "invalid" (tampered, revoked, replaced by a newer link), "used" or "expired"."""
    invalid = ValidationError(_("This invitation link is not valid."), code="invalid")
    try:
        payload = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        raise invalid from None
    invitation = (Invitation.objects.select_related("user__company", "user__department", "record")
                  .filter(pk=payload.get("i")).first())
    if invitation is None or not secrets.compare_digest(str(payload.get("n", "")), invitation.nonce):
        raise invalid
    if invitation.status == Invitation.Status.ACCEPTED:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.status != Invitation.Status.SENT or invitation.user.state != State.INVITED:
        raise invalid
    max_age = invitation.expires_at - invitation.sent_at + LINK_SIGNING_SLACK
    try:
        signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError(_("This invitation link has expired."), code="expired") from None
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation link has expired."), code="expired")
    if invitation.record is not None and not eligibility.evaluate(invitation.record, NetworkSettings.load()).eligible:
        # HR's reasons are not the invitee's to read: only that the invitation no longer stands.
        raise ValidationError(_("This invitation has been withdrawn."), code="withdrawn")
    return invitation


def do_accept_invitation(invitation, *, name, name_kana, language, password, request=None):
    """The invitee checked HR's data, set a password and accepted the guidelines and the privacy
    notice: the account becomes active and its address counts as verified (the link proved it)."""
    now = timezone.now()
    rules = NetworkSettings.load()
    with transaction.atomic():
        # The conditional update makes the link single-use even when two requests race.
        claimed = Invitation.objects.filter(
            pk=invitation.pk, status=Invitation.Status.SENT, expires_at__gt=now, user__state=State.INVITED,
        ).update(status=Invitation.Status.ACCEPTED, accepted_at=now)
        if not claimed:
            raise ValidationError(_("This invitation can no longer be used."), code="used")
        user = invitation.user
        _set_name(user, name, name_kana)
        user.language = language
        user.set_password(password)
        user.state, user.activated_at = State.ACTIVE, now
        user.guidelines_version, user.privacy_accepted_at = rules.guidelines_version, now
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=user.email,
                                              defaults={"primary": True, "verified": True})
        audit(user, "invitation.accept", user, request=request)
        _send_welcome(user)
    return user


# --- Applications ------------------------------------------------------------------------------

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
    decision and HR's message, under a neutral label instead of the applicant's name."""
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
    do_purge_mail(_addresses_of(user))
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
