"""Reading and validating HR files: encodings, XLSX, headers, and every kind of bad row."""

import datetime
import io

import pytest
from django.utils import translation

from kizuna.members import importer

from .import_files import EN_HEADERS, JA_HEADERS, ROWS, csv_bytes, xlsx_bytes


def check(data, name="leavers.csv"):
    validation = importer.read_and_validate(io.BytesIO(data), name)
    return validation


def problems(validation):
    with translation.override("en"):
        return [(p.line, p.column, p.message) for p in validation.errors]


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig", "utf-8"])
def test_csv_in_every_hr_encoding_reads_the_same(encoding):
    validation = check(csv_bytes(encoding=encoding))
    assert validation.valid, problems(validation)
    assert [values["name"] for _line, values in validation.rows] == ["山田 太郎", "髙橋 花子", "渡邊 健"]


def test_cp932_only_characters_are_read():
    # ① and ㈱ exist in CP932 but not in plain Shift_JIS; NFKC makes them ordinary text.
    rows = [["E001", "山田 太郎", "", "", "", "2020/3/31", "", "", "", "㈱絆①"]]
    validation = check(csv_bytes(rows, encoding="cp932"))
    assert validation.rows[0][1]["company"] == "(株)絆1"


def test_values_are_cleaned():
    validation = check(csv_bytes())
    first = dict(validation.rows)[2]
    assert first == {
        "employee_number": "E001", "name": "山田 太郎", "name_kana": "ヤマダ タロウ", "email": "taro@example.jp",
        "joined_on": datetime.date(2010, 4, 1), "left_on": datetime.date(2020, 3, 31), "leave_type": "voluntary",
        "department": "営業本部/東京営業部", "title": "課長", "company": "本社",
    }
    second = dict(validation.rows)[3]
    assert second["joined_on"] == datetime.date(2008, 4, 1)  # 平成20年4月1日
    assert second["left_on"] == datetime.date(2020, 9, 30)  # R2.9.30
    assert second["department"] == "管理本部/人事部"  # full-width slash
    assert second["leave_type"] == "retirement"


def test_half_width_kana_and_full_width_ascii_are_folded():
    rows = [["Ｅ００１", "山田　太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "ＴＡＲＯ@Example.JP", "", "2020/3/31", "会社都合退職", "", "", ""]]
    values = check(csv_bytes(rows)).rows[0][1]
    assert values["employee_number"] == "E001"
    assert values["name"] == "山田 太郎"
    assert values["name_kana"] == "ヤマダ タロウ"
    assert values["email"] == "taro@example.jp"
    assert values["leave_type"] == "company"


def test_xlsx_with_date_cells_and_numbers():
    rows = [[1001, "山田 太郎", "ヤマダ タロウ", "taro@example.jp", datetime.datetime(2010, 4, 1),
             datetime.date(2020, 3, 31), "自己都合", "営業本部", None, None]]
    validation = check(xlsx_bytes(rows), "leavers.xlsx")
    assert validation.valid, problems(validation)
    assert validation.rows == [(2, {
        "employee_number": "1001", "name": "山田 太郎", "name_kana": "ヤマダ タロウ", "email": "taro@example.jp",
        "joined_on": datetime.date(2010, 4, 1), "left_on": datetime.date(2020, 3, 31), "leave_type": "voluntary",
        "department": "営業本部", "title": "", "company": "",
    })]


def test_xlsx_problems_use_sheet_row_numbers():
    rows = [ROWS[0], [None] * 10, ["E009", "佐藤", "", "", "", "2019/13/1", "", "", "", ""]]
    validation = check(xlsx_bytes(rows), "leavers.xlsx")
    assert problems(validation) == [(4, "退職日", "Not readable as a date: 2019/13/1")]


def test_english_headers_and_tolerant_header_matching():
    assert check(csv_bytes(headers=EN_HEADERS)).valid
    loose = [" Employee Number ", "ＮＡＭＥ", "ふりがな", "E-Mail", "入社日", "退職日 ", "Leave_Type", "部署", "役職",
             "会社名"]
    validation = check(csv_bytes(headers=loose))
    assert validation.valid, problems(validation)
    assert validation.headers["left_on"] == "退職日"
    assert validation.rows[0][1]["department"] == "営業本部/東京営業部"


def test_unknown_columns_are_ignored_and_absent_ones_not_set():
    rows = [["E001", "山田 太郎", "2020/3/31", "備考です"]]
    validation = check(csv_bytes(rows, headers=["社員番号", "氏名", "退職日", "備考"]))
    assert validation.valid
    assert validation.rows[0][1] == {"employee_number": "E001", "name": "山田 太郎",
                                     "left_on": datetime.date(2020, 3, 31)}


def test_missing_required_columns_are_reported_once():
    rows = [["E001", "山田 太郎"], ["E002", "佐藤 花子"]]
    validation = check(csv_bytes(rows, headers=["社員番号", "氏名"]))
    assert problems(validation) == [(1, "", "A required column is missing: 退職日 (left_on)")]
    with translation.override("ja"):
        assert validation.errors[0].as_line() == "line 1: 必須の列がありません: 退職日 (left_on)"


def test_duplicate_column():
    validation = check(csv_bytes([["E001", "山田", "2020/3/31", "x"]], headers=["社員番号", "氏名", "退職日", "名前"]))
    assert problems(validation) == [(1, "名前", "This column appears more than once (also column 2).")]


def test_every_bad_row_is_reported_with_line_and_column():
    rows = [
        ROWS[0],
        ["E002", "", "", "not-an-email", "2019/2/30", "H31.5.1", "謎の区分", "", "x" * 201, ""],
        ["E003", "佐藤 花子", "", "", "2020/4/1", "2019/4/1", "", "", "", ""],
        ["", "名無し", "", "", "", "", "", "", "", ""],
    ]
    validation = check(csv_bytes(rows))
    assert problems(validation) == [
        (3, "メールアドレス", "Not a valid email address: not-an-email"),
        (3, "入社日", "There is no such date: 2019/2/30"),
        (3, "退職日", "H31.5.1 is after the 平成 era ended (2019-04-30)"),
        (3, "退職区分", "Unknown leave type: 謎の区分 (known types: Voluntary resignation / Company reasons / "
                     "Retirement / End of contract / Transfer to another company / Disciplinary dismissal / Other)"),
        (3, "役職", "Too long: 201 characters (at most 200)."),
        (3, "氏名", "This value is required."),
        (4, "退職日", "The leaving date 2019-04-01 is before the joining date 2020-04-01."),
        (5, "社員番号", "This value is required."),
        (5, "退職日", "This value is required."),
    ]
    assert [line for line, _values in validation.rows] == [2]


def test_problem_messages_in_japanese():
    rows = [["E001", "山田 太郎", "", "", "", "2019/13/1", "", "", "", ""]]
    validation = check(csv_bytes(rows))
    with translation.override("ja"):
        assert validation.errors[0].as_line() == "line 2: 退職日: 日付として読めません: 2019/13/1"


def test_duplicate_employee_numbers_report_the_later_line_and_the_earlier_one():
    rows = [ROWS[0], ROWS[1], ["E001", "山田 太郎", "", "", "", "2021/1/1", "", "", "", ""]]
    validation = check(csv_bytes(rows))
    assert problems(validation) == [(4, "社員番号", "Employee number E001 already appears on line 2.")]


def test_a_duplicate_number_is_reported_even_on_a_row_with_other_problems():
    rows = [ROWS[0], ["E001", "山田 太郎", "", "not-an-email", "", "2021/1/1", "", "", "", ""]]
    validation = check(csv_bytes(rows))
    assert problems(validation) == [
        (3, "メールアドレス", "Not a valid email address: not-an-email"),
        (3, "社員番号", "Employee number E001 already appears on line 2."),
    ]


def test_empty_lines_are_skipped_but_counted():
    data = csv_bytes([ROWS[0]]) + b"\r\n,,,,,,,,,\r\n\r\n" + csv_bytes(
        [["E009", "佐藤", "", "", "", "bad", "", "", "", ""]], headers=None)
    validation = check(data)
    assert problems(validation) == [(6, "退職日", "Not readable as a date: bad")]
    assert [line for line, _values in validation.rows] == [2]


def test_multi_line_cells_keep_the_line_numbers_right():
    rows = [["E001", "山田 太郎", "", "", "", "2020/3/31", "", "", "部長\n(兼務)", ""],
            ["E002", "佐藤 花子", "", "", "", "bad", "", "", "", ""]]
    assert problems(check(csv_bytes(rows))) == [(4, "退職日", "Not readable as a date: bad")]


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil.example","click")', "+81-3-0000", "-1+1", "@SUM(A1)",
                                   "＝1+1"])
def test_formula_like_cells_are_rejected(value):
    rows = [["E001", value, "", "", "", "2020/3/31", "", "", "", ""]]
    validation = check(csv_bytes(rows, encoding="utf-8"))
    assert [(p.line, p.column, p.code) for p in validation.errors] == [(2, "氏名", "formula")]
    assert validation.rows == []


def test_formula_cells_in_xlsx_are_rejected():
    rows = [["E001", "=CONCAT(\"山\",\"田\")", "", "", None, "2020/3/31", "", "", "", ""]]
    validation = check(xlsx_bytes(rows), "leavers.xlsx")
    assert [(p.line, p.column, p.code) for p in validation.errors] == [(2, "氏名", "formula")]


def test_excluded_column():
    rows = [["E001", "山田", "2020/3/31", "1"], ["E002", "佐藤", "2020/3/31", "○"], ["E003", "鈴木", "2020/3/31", ""],
            ["E004", "田中", "2020/3/31", "たぶん"]]
    validation = check(csv_bytes(rows, headers=["社員番号", "氏名", "退職日", "除外"]))
    assert [values["excluded"] for _line, values in validation.rows] == [True, True, False]
    assert problems(validation) == [(5, "除外", "Not a yes/no value: たぶん (use 1 or 0)")]


@pytest.mark.parametrize("name, data, code", [
    ("leavers.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "file_xls"),
    ("leavers.xlsx", b"not a zip at all", "file_xlsx"),
    ("leavers.pdf", b"%PDF-1.4", "file_type"),
    ("leavers.csv", b"\x00\x01\x02binary", "file_binary"),
    ("leavers.csv", "社員番号,氏名,退職日\r\nE001,山田,2020/3/31\r\n".encode("utf-16"), "file_binary"),
    ("leavers.csv", b"\x85\x40\x85\x40", "file_encoding"),
    ("leavers.csv", b"\r\n\r\n", "file_empty"),
])
def test_unreadable_files_give_one_clear_problem(name, data, code):
    validation = check(data, name)
    assert [(p.line, p.code) for p in validation.errors] == [(1, code)]
    assert validation.errors[0].message


def test_a_zip_that_is_not_a_workbook_is_rejected():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert [p.code for p in check(buffer.getvalue(), "leavers.xlsx").errors] == ["file_xlsx"]


def test_file_headers_in_japanese_match_the_documented_names():
    assert [importer.HEADER_MAP[importer.header_key(h)].name for h in JA_HEADERS] == EN_HEADERS
