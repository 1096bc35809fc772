"""HR leaver imports. An uploaded file is checked and applied by background jobs; the CLI and the API
apply validated rows directly. All three write through do_apply_leaver_import."""

import datetime
import secrets
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.actions import audit, ensure_company, ensure_department
from kizuna.core.models import NetworkSettings
from kizuna.core.text import normalize

from .. import eligibility, importer
from ..models import ImportJob, LeaverRecord
from .eligibility_rules import _revoke_invitations_of_ineligible
from .invitations import do_invite_many

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
    CSV/XLSX upload, the CLI and the API. Returns counts: rows, created, updated, unchanged (+ invited).
    For a `job`, the changes are recomputed against today's records: when they differ from the ones HR
    reviewed (another import or an edit came in between), nothing is written, the job goes back to READY
    with the new diff for HR to review, and None is returned."""
    if not validation.valid:
        raise ValidationError(_("The data has errors, so nothing was imported."))
    rules, organisation, now = NetworkSettings.load(), _Organisation(), timezone.now()
    with transaction.atomic():
        if job is not None and not _still_in(job, ImportJob.Status.APPLYING):
            raise ValidationError(_("This import was stopped, so nothing was imported."))
        plan = importer.diff(validation)
        if job is not None and not _as_reviewed(job, plan):
            _back_to_review(job, plan)
            return None
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


def _as_reviewed(job, plan):
    reviewed = job.report or {}
    return ({name: reviewed.get(name) for name in plan.counts} == plan.counts
            and reviewed.get("digest") == plan.digest())


def _back_to_review(job, plan):
    job.status, job.report = ImportJob.Status.READY, {**plan.summary(), "changed_since_review": True}
    job.save(update_fields=["status", "report", "updated_at"])


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
    with job.file.open("rb") as file:
        return importer.read_and_validate(file, job.filename, progress=_job_progress(job))


def do_create_import_job(actor, upload, *, invite_on_apply=False, request=None):
    """Store an uploaded HR file privately and queue its check (validation and diff) as a task."""
    from ..tasks import check_import

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
    from ..tasks import apply_import

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
