"""HR's pages: upload → progress → diff → apply, the problem report in both languages, and access."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kizuna.core.models import AuditLog
from kizuna.members.actions import leaver_imports
from kizuna.members.models import ImportJob, LeaverRecord

from .import_files import ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def upload(client, data, name="leavers.csv", invite=False, capture=None):
    body = {"file": SimpleUploadedFile(name, data)}
    if invite:
        body["invite_on_apply"] = "on"
    with capture(execute=True):
        response = client.post(reverse("import_new"), body)
    return response


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_upload_check_and_apply(admin_client, admin_user, capture):
    response = upload(admin_client, csv_bytes(), capture=capture)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("import_detail", args=[job.pk])
    assert job.status == ImportJob.Status.READY and job.created_by == admin_user
    assert (job.processed_rows, job.total_rows) == (3, 3)
    assert not LeaverRecord.objects.exists()

    page = admin_client.get(response.url).content.decode()
    assert "新規" in page and "山田 太郎" in page
    assert 'hx-trigger="every 1s"' not in page  # finished: no polling
    assert reverse("import_apply", args=[job.pk]) in page

    with capture(execute=True):
        response = admin_client.post(reverse("import_apply", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.report["result"] == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0}
    assert LeaverRecord.objects.count() == 3
    assert AuditLog.objects.filter(action="leavers.import", actor=admin_user).count() == 1
    assert not job.file  # the uploaded HR file is not kept once applied
    page = admin_client.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert "取り込みました" in page


def test_a_job_is_applied_only_once(admin_client, capture):
    upload(admin_client, csv_bytes(), capture=capture)
    job = ImportJob.objects.get()
    with capture(execute=True):
        admin_client.post(reverse("import_apply", args=[job.pk]))
        response = admin_client.post(reverse("import_apply", args=[job.pk]), follow=True)
    assert "この取り込みは今は反映できません" in response.content.decode()
    assert AuditLog.objects.filter(action="leavers.import").count() == 1


def test_progress_partial_polls_while_running_and_stops_when_done(admin_client, admin_user):
    job = ImportJob.objects.create(created_by=admin_user, filename="big.csv", status=ImportJob.Status.VALIDATING,
                                   processed_rows=2000, total_rows=8000)
    url = reverse("import_detail_partial", args=[job.pk])
    partial = admin_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{url}"' in partial and 'hx-trigger="every 1s"' in partial
    assert '<progress class="progress" max="100" value="25"' in partial
    assert "2,000" in partial and "<html" not in partial
    job.status = ImportJob.Status.INVALID
    job.report = {"errors": [[3, "退職日", "date_unreadable", {"value": "x"}]]}
    job.save()
    partial = admin_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and "日付として読めません: x" in partial


def test_problem_report_in_the_viewers_language(admin_client, capture):
    rows = ROWS + [["E004", "佐藤 花子", "", "", "", "2019/13/1", "", "", "", ""]]
    upload(admin_client, csv_bytes(rows), capture=capture)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    page = admin_client.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert "日付として読めません: 2019/13/1" in page and "問題が 1 件あります" in page
    assert reverse("import_apply", args=[job.pk]) not in page
    admin_client.post(reverse("set_language"), {"language": "en"})
    page = admin_client.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert "Not readable as a date: 2019/13/1" in page
    report = admin_client.get(reverse("import_errors_csv", args=[job.pk]))
    assert report["Content-Type"].startswith("text/csv")
    text = report.content.decode("utf-8-sig")
    assert text.splitlines()[1] == "5,退職日,Error,Not readable as a date: 2019/13/1"
    assert AuditLog.objects.filter(action="leavers.export_import_problems").exists()


def test_problem_report_cells_never_run_as_formulas(admin_client, admin_user):
    """A header copied from the file into the report must not become a formula in Excel."""
    job = ImportJob.objects.create(created_by=admin_user, filename="x.csv", status=ImportJob.Status.INVALID,
                                   report={"errors": [[1, '=HYPERLINK("http://evil.example")', "duplicate_column",
                                                       {"position": 3}]]})
    text = admin_client.get(reverse("import_errors_csv", args=[job.pk])).content.decode("utf-8-sig")
    assert text.splitlines()[1].startswith('1,"\'=HYPERLINK(""http://evil.example"")",')


def test_xlsx_upload_shows_the_diff(admin_client, capture):
    LeaverRecord.objects.create(employee_number="E001", name="山田 太郎", left_on=datetime.date(2020, 3, 31),
                                title="係長", name_key="山田太郎")
    upload(admin_client, xlsx_bytes(), "leavers.xlsx", capture=capture)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.READY
    assert (job.report["created"], job.report["updated"]) == (2, 1)
    page = admin_client.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert '<span class="diff-old">係長</span> → <span class="diff-new">課長</span>' in page


@pytest.mark.parametrize("name, data, message", [
    ("leavers.pdf", b"%PDF", "取り込めるのは .csv と .xlsx のファイルだけです。"),
    ("leavers.xlsx", b"this is no zip", "Excel（.xlsx）のブックとして読めません。"),
    ("leavers.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 50, "古い Excel 形式（.xls）は読めません。"),
])
def test_upload_rejects_files_it_cannot_read(admin_client, capture, name, data, message):
    response = upload(admin_client, data, name, capture=capture)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_size_limit(admin_client, capture, settings):
    settings.KIZUNA_IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(admin_client, csv_bytes() + b"\r\n" * (1024 * 1024), capture=capture)
    assert "ファイルが大きすぎます" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_invite_on_apply_from_the_upload_form(admin_client, capture, mailoutbox):
    upload(admin_client, csv_bytes(), invite=True, capture=capture)
    job = ImportJob.objects.get()
    assert job.invite_on_apply
    with capture(execute=True):
        admin_client.post(reverse("import_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.report["result"]["invited"] == 3
    assert len(mailoutbox) == 3


def test_import_list(admin_client, capture):
    upload(admin_client, csv_bytes(), "hr-2024.csv", capture=capture)
    page = admin_client.get(reverse("import_list")).content.decode()
    assert "hr-2024.csv" in page and "反映できます" in page


@pytest.mark.parametrize("name", ["import_list", "import_new"])
def test_import_pages_are_for_admins_only(client, alumni_client, name):
    assert alumni_client.get(reverse(name)).status_code == 403


def test_job_pages_are_for_admins_only(alumni_client, admin_user):
    job = ImportJob.objects.create(created_by=admin_user, filename="x.csv")
    for name in ("import_detail", "import_detail_partial", "import_errors_csv"):
        assert alumni_client.get(reverse(name, args=[job.pk])).status_code == 403
    assert alumni_client.post(reverse("import_apply", args=[job.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("import_new"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_upload_page_explains_the_columns(admin_client):
    page = admin_client.get(reverse("import_new")).content.decode()
    assert "退職日" in page and "left_on" in page and "自己都合退職 / 会社都合退職" in page
    assert 'name="invite_on_apply"' in page


def test_saving_step_is_named_while_applying(admin_client, admin_user):
    job = ImportJob.objects.create(created_by=admin_user, filename="x.csv", status=ImportJob.Status.APPLYING,
                                   processed_rows=500, total_rows=500)
    partial = admin_client.get(reverse("import_detail_partial", args=[job.pk])).content.decode()
    assert "変更を書き込んでいます" in partial and 'hx-trigger="every 1s"' in partial


def test_an_unexpected_error_marks_the_job_failed_and_writes_nothing(admin_client, capture, monkeypatch):
    upload(admin_client, csv_bytes(), capture=capture)
    job = ImportJob.objects.get()

    def broken_audit(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(leaver_imports, "audit", broken_audit)
    with capture(execute=True):
        admin_client.post(reverse("import_apply", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not LeaverRecord.objects.exists()
    page = admin_client.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert "予期しないエラー" in page


def test_an_old_preview_is_not_applied_over_newer_changes(admin_client, capture):
    upload(admin_client, csv_bytes(), "a.csv", capture=capture)
    job_a = ImportJob.objects.get()
    assert (job_a.status, job_a.report["created"]) == (ImportJob.Status.READY, 3)
    moved = [list(row) for row in ROWS]
    moved[0][7] = "開発本部"
    upload(admin_client, csv_bytes(moved), "b.csv", capture=capture)
    job_b = ImportJob.objects.exclude(pk=job_a.pk).get()
    with capture(execute=True):
        admin_client.post(reverse("import_apply", args=[job_b.pk]))
    assert LeaverRecord.objects.get(employee_number="E001").department == "開発本部"

    with capture(execute=True):
        admin_client.post(reverse("import_apply", args=[job_a.pk]))
    job_a.refresh_from_db()
    assert job_a.status == ImportJob.Status.READY
    assert (job_a.report["created"], job_a.report["updated"], job_a.report["unchanged"]) == (0, 1, 2)
    assert LeaverRecord.objects.get(employee_number="E001").department == "開発本部"  # B's change is kept
    assert AuditLog.objects.filter(action="leavers.import").count() == 1
    page = admin_client.get(reverse("import_detail", args=[job_a.pk])).content.decode()
    assert "取り込み確認後にデータが変わりました。新しい差分を確認してから反映してください。" in page
    assert "開発本部" in page and reverse("import_apply", args=[job_a.pk]) in page

    with capture(execute=True):  # HR has now seen the new diff: applying it goes ahead
        admin_client.post(reverse("import_apply", args=[job_a.pk]))
    job_a.refresh_from_db()
    assert job_a.status == ImportJob.Status.DONE
    assert LeaverRecord.objects.get(employee_number="E001").department == "営業本部/東京営業部"


def test_a_file_that_changes_nothing_offers_no_apply(admin_client, capture):
    upload(admin_client, csv_bytes(), capture=capture)
    first = ImportJob.objects.get()
    with capture(execute=True):
        admin_client.post(reverse("import_apply", args=[first.pk]))
    upload(admin_client, csv_bytes(), capture=capture)
    again = ImportJob.objects.exclude(pk=first.pk).get()
    assert again.status == ImportJob.Status.READY
    page = admin_client.get(reverse("import_detail", args=[again.pk])).content.decode()
    assert "変更はありません" in page
    assert reverse("import_apply", args=[again.pk]) not in page and "反映する" not in page
    admin_client.post(reverse("set_language"), {"language": "en"})
    page = admin_client.get(reverse("import_detail", args=[again.pk])).content.decode()
    assert "No changes" in page
