"""`kizuna import-leavers FILE [--dry-run] [--invite] [--language en]`: exit codes and output."""

import io

import pytest
from django.core.management import CommandError, call_command

from kizuna.cli import main
from kizuna.members.management.commands import import_leavers
from kizuna.members.models import LeaverRecord

from .import_files import ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
BAD_ROWS = ROWS + [["E004", "佐藤 花子", "", "", "", "2019/13/1", "", "", "", ""],
                   ["E001", "重複 太郎", "", "", "", "2020/1/1", "", "", "", ""]]


@pytest.fixture
def write(tmp_path):
    def write(data, name="leavers.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write


def run(*args):
    out = io.StringIO()
    call_command("import_leavers", *args, stdout=out)
    return out.getvalue()


def test_dry_run_of_a_valid_file_exits_0_and_writes_nothing(write):
    output = run(write(csv_bytes()), "--dry-run")
    assert output.strip().endswith("新規 3 件、更新 0 件、変更なし 0 件になります。")
    assert not LeaverRecord.objects.exists()


def test_dry_run_of_an_invalid_file_exits_1_with_one_line_per_problem(write):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_leavers", write(csv_bytes(BAD_ROWS)), "--dry-run", stdout=out)
    assert caught.value.returncode == 1
    assert out.getvalue().splitlines() == [
        "line 5: 退職日: 日付として読めません: 2019/13/1",
        "line 6: 社員番号: 社員番号 E001 は 2 行目にもあります。",
    ]
    assert not LeaverRecord.objects.exists()


def test_problems_in_english_on_request(write):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_leavers", write(csv_bytes(BAD_ROWS)), "--dry-run", "--language", "en", stdout=out)
    assert out.getvalue().splitlines()[0] == "line 5: 退職日: Not readable as a date: 2019/13/1"


def test_import_prints_counts_and_reimport_changes_nothing(write):
    path = write(csv_bytes())
    assert run(path, "--language", "en").strip() == "Imported: created 3, updated 0, unchanged 0."
    assert run(path, "--language", "en").strip() == "Imported: created 0, updated 0, unchanged 3."
    assert LeaverRecord.objects.count() == 3


def test_import_of_an_invalid_file_exits_1_and_writes_nothing(write):
    with pytest.raises(CommandError) as caught:
        run(write(csv_bytes(BAD_ROWS)))
    assert caught.value.returncode == 1
    assert not LeaverRecord.objects.exists()


def test_xlsx_and_invite(write, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run(write(xlsx_bytes(), "leavers.xlsx"), "--invite", "--language", "en")
    assert "Invitations sent: 3, not possible: 0." in output
    assert len(mailoutbox) == 3


def test_the_kizuna_command_exits_with_status_1(write, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["kizuna", "import-leavers", write(csv_bytes(BAD_ROWS)), "--dry-run"])
    assert caught.value.code == 1
    out = capsys.readouterr()
    assert out.out.startswith("line 5: 退職日: ")
    assert "2 件の問題" in out.err


def test_the_kizuna_command_exits_0_for_a_valid_file(write, capsys):
    main(["kizuna", "import-leavers", write(csv_bytes()), "--dry-run"])
    assert "新規 3 件" in capsys.readouterr().out


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError) as caught:
        run(str(tmp_path / "nope.csv"))
    assert caught.value.returncode == 1


def test_dry_run_lists_the_changed_fields(write, monkeypatch):
    run(write(csv_bytes()))
    changed = [list(row) for row in ROWS]
    changed[0][7] = "開発本部"
    changed[2][6] = "定年"
    output = run(write(csv_bytes(changed)), "--dry-run")
    assert "line 2: 社員番号 E001: 所属: 営業本部/東京営業部 → 開発本部" in output
    assert "line 4: 社員番号 E003: 退職区分: 自己都合退職 → 定年退職" in output
    assert "更新 2 件" in output
    assert LeaverRecord.objects.get(employee_number="E001").department == "営業本部/東京営業部"

    monkeypatch.setattr(import_leavers, "CHANGES_SHOWN", 1)
    output = run(write(csv_bytes(changed)), "--dry-run")
    assert "社員番号 E001: 所属" in output and "E003" not in output
    assert "… ほか 1 件の変更" in output
