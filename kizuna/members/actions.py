"""The only place that writes accounts: check_*() validates, do_*() writes, audits and sends."""

import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.actions import audit, ensure_company, ensure_department
from kizuna.core.email import send_email
from kizuna.core.models import NetworkSettings
from kizuna.core.text import normalize

from . import eligibility
from .models import ImportJob, Invitation, LeaverRecord, Role, State, User

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
    if actor is not None:
        audit(actor, "member.create", user, request=request, detail={"role": role, "state": state})
    return user


def do_start_employee_signup(user, *, name, name_kana):
    """An employee signed up with a company address: pending until the address is verified."""
    _set_name(user, name, name_kana)
    user.role, user.state = Role.EMPLOYEE, State.PENDING
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
    return user


def do_refresh_eligibility(records=None):
    """Re-evaluate stored eligibility (after an import or a change of rules). Returns rows changed."""
    rules = NetworkSettings.load()
    records = LeaverRecord.objects.all() if records is None else records
    changed = []
    for record in records.iterator(chunk_size=2000):
        value = eligibility.evaluate(record, rules).eligible
        if value != record.eligible:
            record.eligible = value
            changed.append(record)
    LeaverRecord.objects.bulk_update(changed, ["eligible"], batch_size=2000)
    return len(changed)


# --- Invitations -------------------------------------------------------------------------------

def invitation_url(invitation):
    token = signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=INVITATION_SALT)
    return settings.SITE_URL + reverse("invitation_accept", args=[token])


def check_invite(record):
    """Raise ValidationError with the reason a record cannot be invited now."""
    result = eligibility.evaluate(record, NetworkSettings.load())
    if not result.eligible:
        raise ValidationError(str(result))
    if not record.email:
        raise ValidationError(_("The HR record has no email address."))
    member = record.member
    if member is not None and member.state != State.INVITED:
        raise ValidationError(_("This person is already registered."))
    if User.objects.filter(email__iexact=record.email).exclude(pk=getattr(member, "pk", None)).exists():
        raise ValidationError(_("Another account already uses this email address."))


def _send_invitation(invitation):
    user = invitation.user
    send_email(user.email, "members/email/invitation", {
        "name": user.name, "url": invitation_url(invitation), "expires_at": invitation.expires_at,
    }, language=user.language)


def do_invite(actor, record, *, request=None):
    """Invite the person of an HR record: an invited account prefilled from HR, and a single-use link."""
    check_invite(record)
    now = timezone.now()
    with transaction.atomic():
        user = record.member
        if user is None:
            user = User(email=record.email.lower(), role=Role.ALUMNI, state=State.INVITED,
                        joined_on=record.joined_on, left_on=record.left_on,
                        company=ensure_company(record.company), department=ensure_department(record.department))
            _set_name(user, record.name, record.name_kana)
            user.set_unusable_password()
            user.save()
            record.member = user
            record.save(update_fields=["member"])
        user.invitations.filter(status=Invitation.Status.SENT).update(status=Invitation.Status.REVOKED)
        invitation = Invitation.objects.create(
            user=user, record=record, nonce=secrets.token_urlsafe(16), sent_at=now, created_by=actor,
            expires_at=now + datetime.timedelta(days=NetworkSettings.load().invitation_valid_days),
        )
        audit(actor, "invitation.send", user, request=request, detail={"record": record.employee_number})
        _send_invitation(invitation)
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


def do_resend_invitation(actor, invitation, *, request=None):
    """Send a fresh link (older links stop working) and extend the expiry."""
    if invitation.status != Invitation.Status.SENT:
        raise ValidationError(_("Only an open invitation can be sent again."))
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
        counts = plan.counts
        audit(actor, "leavers.import", job, request=request, target_label=filename,
              detail={**counts, "source": source, "filename": filename})
        if job is not None:
            job.status, job.finished_at = ImportJob.Status.DONE, timezone.now()
            job.report = {**plan.summary(), "result": counts}
            _discard_upload(job)
            job.save(update_fields=["status", "finished_at", "report", "file"])
    if invite:
        sent, skipped = do_invite_many(actor, [r for r in newly_eligible if r.member_id is None], request=request)
        counts.update(invited=len(sent), not_invited=len(skipped))
        if job is not None:
            job.report["result"] = counts
            job.save(update_fields=["report"])
    return counts


def _job_progress(job):
    def report(done, total):
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)

    return report


def _validate_job_file(job):
    from . import importer

    with job.file.open("rb") as file:
        return importer.read_and_validate(file, job.filename, progress=_job_progress(job))


def do_create_import_job(actor, upload, *, invite_on_apply=False, request=None):
    """Store an uploaded HR file privately and queue its check (validation and diff) as a task."""
    from .tasks import check_import

    suffix = Path(upload.name).suffix.lower()
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
    job.save(update_fields=["status"])
    plan = importer.diff(_validate_job_file(job))
    job.refresh_from_db(fields=["processed_rows", "total_rows"])
    job.report = plan.summary()
    if plan.validation.valid:
        job.status = ImportJob.Status.READY
    else:
        job.status, job.finished_at = ImportJob.Status.INVALID, timezone.now()
        _discard_upload(job)
    job.save(update_fields=["status", "report", "finished_at", "file"])
    return job


def do_request_apply(actor, job, *, request=None):
    """Mark a checked job for applying (at most once) and queue the apply task."""
    from .tasks import apply_import

    with transaction.atomic():
        if not ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
                status=ImportJob.Status.APPLYING, processed_rows=0):
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
    """End a job that will not be applied (invalid, or failed with an unexpected error)."""
    job.status, job.finished_at = status, timezone.now()
    if report is not None:
        job.report = {**job.report, **report}
    _discard_upload(job)
    job.save(update_fields=["status", "finished_at", "report", "file"])
    return job


def _discard_upload(job):
    """The uploaded HR file holds personal data: once a job is over, only its report is kept."""
    if job.file:
        storage, name = job.file.storage, job.file.name
        job.file = ""
        transaction.on_commit(lambda: storage.delete(name))
