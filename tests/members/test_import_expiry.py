"""Import jobs nobody will finish end, and the uploaded HR file goes with them: a job whose worker died
(15 minutes without progress) fails; a job left waiting for a week expires."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kizuna.members import actions, importer
from kizuna.members.actions import leaver_imports
from kizuna.members.models import ImportJob, LeaverRecord

from .import_files import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked_job(admin_client, django_capture_on_commit_callbacks):
    """A file uploaded and checked (READY), as HR leaves it before applying."""
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("import_new"), {"file": SimpleUploadedFile("leavers.csv", csv_bytes())})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.READY and job.file
    return job


def age(job, status, **delta):
    ImportJob.objects.filter(pk=job.pk).update(status=status, updated_at=timezone.now() - datetime.timedelta(**delta))
    job.refresh_from_db()
    return job


def file_exists(name):
    from django.core.files.storage import storages

    return storages["private"].exists(name)


@pytest.mark.parametrize("status", [ImportJob.Status.VALIDATING, ImportJob.Status.APPLYING])
def test_a_job_without_progress_for_15_minutes_fails_when_the_list_is_viewed(
        admin_client, checked_job, status, django_capture_on_commit_callbacks):
    name = age(checked_job, status, minutes=16).file.name
    with django_capture_on_commit_callbacks(execute=True):
        page = admin_client.get(reverse("import_list")).content.decode()
    checked_job.refresh_from_db()
    assert checked_job.status == ImportJob.Status.FAILED and checked_job.finished_at is not None
    assert not checked_job.file and not file_exists(name)
    assert "失敗" in page


def test_a_job_that_still_reports_progress_keeps_running(admin_client, checked_job):
    age(checked_job, ImportJob.Status.VALIDATING, minutes=14)
    page = admin_client.get(reverse("import_detail", args=[checked_job.pk])).content.decode()
    checked_job.refresh_from_db()
    assert checked_job.status == ImportJob.Status.VALIDATING and checked_job.file
    assert 'hx-trigger="every 1s"' in page


def test_progress_reports_keep_the_job_alive(checked_job):
    age(checked_job, ImportJob.Status.VALIDATING, minutes=30)
    leaver_imports._job_progress(checked_job)(500, 1000)
    assert actions.do_expire_import_jobs() == 0


def test_a_checked_file_not_applied_within_a_week_expires(admin_client, checked_job,
                                                           django_capture_on_commit_callbacks):
    name = age(checked_job, ImportJob.Status.READY, days=7, minutes=1).file.name
    with django_capture_on_commit_callbacks(execute=True):
        page = admin_client.get(reverse("import_detail", args=[checked_job.pk])).content.decode()
    checked_job.refresh_from_db()
    assert checked_job.status == ImportJob.Status.EXPIRED
    assert not file_exists(name)
    assert checked_job.report["created_sample"] == [] and checked_job.report["created"] == 3
    assert "期限切れ" in page and "7 日以内に反映されなかったため" in page and "山田 太郎" not in page
    assert reverse("import_apply", args=[checked_job.pk]) not in page
    admin_client.post(reverse("set_language"), {"language": "en"})
    page = admin_client.get(reverse("import_detail", args=[checked_job.pk])).content.decode()
    assert "Expired" in page and "not applied within 7 days" in page


def test_a_checked_file_shows_until_when_it_can_be_applied(admin_client, checked_job):
    age(checked_job, ImportJob.Status.READY, days=6)
    page = admin_client.get(reverse("import_detail", args=[checked_job.pk])).content.decode()
    checked_job.refresh_from_db()
    assert checked_job.status == ImportJob.Status.READY
    apply_by = timezone.localtime(checked_job.updated_at + datetime.timedelta(days=7))
    assert f"{apply_by:%Y-%m-%d %H:%M} までに反映してください" in page


def test_a_new_upload_ends_the_abandoned_jobs(admin_client, checked_job, django_capture_on_commit_callbacks):
    age(checked_job, ImportJob.Status.READY, days=8)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("import_new"), {"file": SimpleUploadedFile("again.csv", csv_bytes())})
    checked_job.refresh_from_db()
    assert checked_job.status == ImportJob.Status.EXPIRED


def test_the_workers_housekeeping_ends_them_without_anyone_looking(checked_job, django_capture_on_commit_callbacks):
    from kizuna.core.tasks import housekeeping

    name = age(checked_job, ImportJob.Status.APPLYING, hours=1).file.name
    with django_capture_on_commit_callbacks(execute=True):
        housekeeping.enqueue()
    checked_job.refresh_from_db()
    assert checked_job.status == ImportJob.Status.FAILED and not checked_job.file and not file_exists(name)


def test_a_worker_waking_up_after_its_job_was_given_up_changes_nothing(admin_user, checked_job):
    validation = importer.read_and_validate(checked_job.file.open("rb"), checked_job.filename)
    age(checked_job, ImportJob.Status.APPLYING, hours=1)
    actions.do_expire_import_jobs()
    checked_job.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.do_apply_leaver_import(admin_user, validation, source="upload", job=checked_job)
    checked_job.refresh_from_db()
    assert checked_job.status == ImportJob.Status.FAILED and not LeaverRecord.objects.exists()


def test_a_check_finishing_after_its_job_was_given_up_does_not_revive_it(checked_job, monkeypatch):
    age(checked_job, ImportJob.Status.VALIDATING, minutes=1)
    validate = leaver_imports._validate_job_file

    def slow_check(job):
        result = validate(job)
        age(job, ImportJob.Status.VALIDATING, hours=1)
        actions.do_expire_import_jobs()  # the page was viewed while the worker was silent
        return result

    monkeypatch.setattr(leaver_imports, "_validate_job_file", slow_check)
    actions.do_check_import(checked_job)
    checked_job.refresh_from_db()
    assert checked_job.status == ImportJob.Status.FAILED
