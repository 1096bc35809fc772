"""Everything in the data folder (database, HR files, mail) is readable by Kizuna's own user only."""

import runpy
import stat
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from kizuna import settings as settings_module
from kizuna.members import actions


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_and_the_sqlite_database_are_private(monkeypatch, tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "private").mkdir(mode=0o755)
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(data))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    loaded = runpy.run_path(settings_module.__file__)
    assert mode(data) == mode(data / "private") == 0o700  # tightened when they existed already
    assert mode(data / "kizuna.sqlite3") == mode(data / "secret_key") == 0o600
    assert (loaded["FILE_UPLOAD_PERMISSIONS"], loaded["FILE_UPLOAD_DIRECTORY_PERMISSIONS"]) == (0o600, 0o700)


@pytest.mark.django_db
def test_an_uploaded_hr_file_is_private(admin_user):
    upload = SimpleUploadedFile("leavers.csv", "社員番号,氏名\n".encode())
    assert mode(Path(actions.do_create_import_job(admin_user, upload).file.path)) == 0o600


def test_folders_made_for_uploads_are_private(settings):
    name = storages["private"].save("imports/new/leavers.csv", ContentFile(b"x"))
    path = settings.DATA_DIR / "private" / name
    assert mode(path) == 0o600 and mode(path.parent) == mode(path.parent.parent) == 0o700
