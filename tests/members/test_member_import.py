"""`kizuna import-members FILE [--dry-run]`: moving another network's members in, with their profiles."""

import datetime
import io
import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from kizuna.cli import main
from kizuna.core.models import AuditLog, OutboxEmail
from kizuna.directory.access import DirectoryQuery, search
from kizuna.members import actions, member_importer
from kizuna.members.management.commands import import_members
from kizuna.members.models import LeaverRecord, Role, State, User

from ..factories import LeaverRecordFactory, MemberFactory
from .import_files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["社員番号", "氏名", "フリガナ", "ローマ字", "メールアドレス", "入社日", "退職日", "所属", "役職", "会社",
           "現在の会社", "現在の役職", "地域", "スキル", "自己紹介"]
EN_HEADERS = ["employee_number", "name", "name_kana", "romaji", "email", "joined_on", "left_on", "department", "title",
              "company", "current_company", "current_title", "location", "skills", "bio"]
ROWS = [
    ["", "山田 太郎", "ヤマダ タロウ", "Taro Yamada", "taro@example.jp", "2010/4/1", "2020/3/31", "営業本部/東京営業部",
     "課長", "本社", "株式会社ミライ", "営業部長", "東京", "法人営業、Python,交渉", "営業一筋です。釣りが趣味。"],
    ["", "髙橋 花子", "タカハシ ハナコ", "", "hanako@example.jp", "平成20年4月", "", "開発本部", "", "",
     "", "", "Singapore", "", ""],
    ["", "渡邊 健", "", "Ken Watanabe", "ken@example.jp", "", "R2.9.30", "", "", "絆ロジスティクス株式会社", "", "",
     "大阪府", "", ""],
]


@pytest.fixture
def write(tmp_path):
    def write(data, name="members.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write


def run(*args):
    out = io.StringIO()
    call_command("import_members", *args, stdout=out)
    return out.getvalue()


def failing(*args):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_members", *args, stdout=out)
    assert caught.value.returncode == 1
    return out.getvalue().splitlines(), str(caught.value)


def members_file(rows=ROWS, headers=HEADERS, encoding="cp932"):
    return csv_bytes(rows, headers, encoding)


def test_dry_run_lists_who_would_be_added_and_writes_nothing(write):
    output = run(write(members_file()), "--dry-run")
    assert output.splitlines() == [
        "line 2: 山田 太郎 <taro@example.jp>: アルムナイ",
        "line 3: 髙橋 花子 <hanako@example.jp>: 社員",
        "line 4: 渡邊 健 <ken@example.jp>: アルムナイ",
        "問題は見つかりませんでした。取り込むと 3 人のメンバー（アルムナイ 2 人、社員 1 人）が追加され、"
        "それぞれにパスワード設定用のリンクがメールで届きます。",
    ]
    assert not User.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_import_creates_active_members_with_their_profiles(write, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        output = run(write(members_file()), "--language", "en")
    assert output.strip() == ("Imported 3 members (alumni 2, employees 1); each was emailed a link to set a "
                              "password.")
    taro = User.objects.get(email="taro@example.jp")
    assert (taro.state, taro.role) == (State.ACTIVE, Role.ALUMNI)
    assert (taro.name, taro.name_kana) == ("山田 太郎", "ヤマダ タロウ")
    assert (taro.joined_on, taro.left_on) == (datetime.date(2010, 4, 1), datetime.date(2020, 3, 31))
    assert (taro.company.name, taro.department.path) == ("本社", "営業本部/東京営業部")
    assert not taro.has_usable_password()
    assert EmailAddress.objects.get(user=taro).verified
    profile = taro.profile
    assert (profile.romaji, profile.current_company, profile.current_title, profile.location) == (
        "Taro Yamada", "株式会社ミライ", "営業部長", "JP-13")
    assert profile.bio == "営業一筋です。釣りが趣味。"
    assert sorted(skill.name for skill in profile.skills.all()) == ["Python", "交渉", "法人営業"]
    career = taro.career.get()
    assert (career.company.name, career.department.path, career.title) == ("本社", "営業本部/東京営業部", "課長")
    assert (career.started_on, career.ended_on) == (taro.joined_on, taro.left_on)

    hanako = User.objects.get(email="hanako@example.jp")
    assert (hanako.role, hanako.joined_on, hanako.profile.location) == (Role.EMPLOYEE, datetime.date(2008, 4, 1), "SG")
    ken = User.objects.get(email="ken@example.jp")
    assert (ken.left_on, ken.profile.location, ken.career.get().company.name) == (
        datetime.date(2020, 9, 30), "JP-27", "絆ロジスティクス株式会社")
    assert AuditLog.objects.get(action="members.import").detail == {
        "members": 3, "source": "cli", "filename": "members.csv"}
    assert sorted(mail.to[0] for mail in mailoutbox) == ["hanako@example.jp", "ken@example.jp", "taro@example.jp"]


def test_imported_members_are_in_the_directory_at_once(write):
    run(write(members_file()))
    viewer = MemberFactory(role=Role.ALUMNI, name="閲覧 者", name_kana="えつらん しゃ")
    for q in ("山田", "やまだ", "taro", "ミライ", "交渉", "釣り", "東京都"):
        assert list(search(viewer, DirectoryQuery(q=q)).entries.values_list("member__email", flat=True)) == [
            "taro@example.jp"], q


def test_each_member_gets_a_link_that_sets_their_password(write, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        run(write(members_file(ROWS[:1])))
    mail = mailoutbox[0]
    assert mail.subject == "Kizunaのアカウント：パスワードを設定してください"
    assert "山田 太郎 様" in mail.body
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", mail.body).group(0)
    client = Client()
    form = client.get(urlsplit(link).path, follow=True)
    assert form.status_code == 200
    response = client.post(form.redirect_chain[-1][0], {"password1": "a-new-Passw0rd!", "password2": "a-new-Passw0rd!"})
    assert response.status_code == 302
    assert User.objects.get(email="taro@example.jp").check_password("a-new-Passw0rd!")
    member = Client()
    login = member.post(reverse("account_login"), {"login": "taro@example.jp", "password": "a-new-Passw0rd!"})
    assert login.status_code == 302 and "/accounts/login/" not in login["Location"]
    # HR could not accept the community guidelines for them: the first page asks them to.
    first = member.get(reverse("home"), follow=True).content.decode()
    assert "Kizunaへようこそ" in first and "コミュニティガイドラインをお読みいただき" in first
    assert '<a href="/privacy/">個人情報の取り扱い</a>でご説明しています' in first


@pytest.mark.parametrize("encoding, headers", [("utf-8-sig", HEADERS), ("utf-8", EN_HEADERS), ("cp932", EN_HEADERS)])
def test_every_encoding_and_english_headers(write, encoding, headers):
    run(write(members_file(headers=headers, encoding=encoding)))
    assert set(User.objects.values_list("email", flat=True)) == {"taro@example.jp", "hanako@example.jp",
                                                                 "ken@example.jp"}


def test_xlsx(write):
    rows = [list(row) for row in ROWS]
    rows[0][5] = datetime.datetime(2010, 4, 1)  # a real date cell
    run(write(xlsx_bytes(rows, HEADERS), "members.xlsx"))
    assert User.objects.get(email="taro@example.jp").joined_on == datetime.date(2010, 4, 1)
    assert User.objects.count() == 3


BAD_ROWS = [
    ["", "佐藤 一", "", "", "sato@example.jp", "2019/13/1", "", "", "", "", "", "", "", "", ""],
    ["", "", "", "", "nobody@example.jp", "", "", "", "", "", "", "", "", "", ""],
    ["", "鈴木 二郎", "", "鈴木", "suzuki@example.jp", "", "", "", "", "", "", "", "", "", ""],
    ["", "山田 二郎", "", "", "TARO@example.jp", "", "", "", "", "", "", "", "日本", "", ""],
    ["", "田中 三郎", "", "", "member@example.jp", "", "2099/1/1", "", "", "", "", "", "", "", ""],
    ["", "伊藤 四郎", "", "", "ito@example.jp", "", "", "", "", "", "=cmd", "", "", "", ""],
    ["", "中村 五郎", "", "", "nakamura@example.jp", "", "", "", "", "", "", "", "火星", "", ""],
]


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(write, django_capture_on_commit_callbacks):
    MemberFactory(email="member@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        lines, error = failing(write(members_file(ROWS + BAD_ROWS)), "--language", "en")
    assert lines == [
        "line 5: 入社日: Not readable as a date: 2019/13/1",
        "line 6: 氏名: This value is required.",
        "line 7: ローマ字: Please write your name in roman letters (A–Z), e.g. Taro Yamada.",
        "line 8: 地域: Please give the prefecture (e.g. 東京都) for a place in Japan.",
        "line 9: 退職日: The leaving date 2099-01-01 is in the future: import this person after they have left, or "
        "without a leaving date as an employee.",
        "line 10: 現在の会社: Looks like a spreadsheet formula (starts with “=”); formulas are not imported: =cmd",
        "line 11: 地域: Not a prefecture or a country: 火星 (write e.g. 東京都, 東京, Tokyo, or a country such as "
        "シンガポール, Singapore or SG)",
    ]
    assert error == "7 problem(s) found; nothing was imported."
    assert User.objects.count() == 1
    assert not OutboxEmail.objects.exists()


def test_duplicate_and_taken_addresses_are_errors(write):
    MemberFactory(email="taro@example.jp")
    other = MemberFactory(email="someone@example.jp")
    EmailAddress.objects.create(user=other, email="ken@example.jp", verified=True)
    rows = [list(row) for row in ROWS] + [["", "山田 太郎", "", "", "Hanako@Example.jp", "", "", "", "", "", "", "",
                                          "", "", ""]]
    lines, _error = failing(write(members_file(rows)), "--dry-run", "--language", "en")
    assert lines == [
        "line 2: メールアドレス: An account with this email address already exists.",
        "line 4: メールアドレス: An account with this email address already exists.",
        "line 5: メールアドレス: The same email address is also given on line 3.",
    ]


def test_an_employee_number_links_the_hr_record(write):
    record = LeaverRecordFactory(employee_number="E100", email="old@example.jp")
    rows = [["E100", *ROWS[0][1:]], ["E999", *ROWS[1][1:]]]
    output = run(write(members_file(rows)), "--language", "en")
    assert output.splitlines()[0] == ("line 3: 社員番号: warning: No HR record has employee number E999; the member "
                                      "is created without a link to HR's data.")
    record.refresh_from_db()
    assert record.member.email == "taro@example.jp"


@pytest.mark.parametrize("state, message", [
    ({"excluded": True}, "HR has excluded the person with employee number E100 from the network."),
    ({"opted_out": True}, "The person with employee number E100 withdrew from the network; they are not added again."),
    ({"member": "linked"}, "The HR record with employee number E100 already belongs to an account (an invitation "
                           "or a member)."),
])
def test_hr_records_that_must_not_get_a_new_account(write, state, message):
    if state.get("member"):
        state = {"member": MemberFactory()}
    LeaverRecordFactory(employee_number="E100", **state)
    lines, _error = failing(write(members_file([["E100", *ROWS[0][1:]]])), "--language", "en")
    assert lines == [f"line 2: 社員番号: {message}"]
    assert not User.objects.filter(email="taro@example.jp").exists()


def test_import_is_all_or_nothing_when_an_address_is_taken_meanwhile(write):
    validation = member_importer.read_and_validate(io.BytesIO(members_file()), "members.csv")
    MemberFactory(email="ken@example.jp")
    with pytest.raises(ValidationError, match="何も取り込んでいません"):
        actions.do_import_members(None, validation, source="cli")
    assert User.objects.count() == 1
    assert not LeaverRecord.objects.exists()


def test_the_kizuna_command_exits_with_status_1(write, capsys):
    bad = write(members_file(ROWS + BAD_ROWS[:1]))
    with pytest.raises(SystemExit) as caught:
        main(["kizuna", "import-members", bad, "--dry-run"])
    assert caught.value.code == 1
    out = capsys.readouterr()
    assert out.out.startswith("line 5: 入社日: ")
    assert "1 件の問題" in out.err


def test_the_kizuna_command_exits_0_for_a_valid_file(write, capsys):
    main(["kizuna", "import-members", write(members_file()), "--dry-run"])
    assert "3 人のメンバー" in capsys.readouterr().out


def test_missing_file_and_wrong_type_are_clear_errors(tmp_path, write):
    with pytest.raises(CommandError) as caught:
        run(str(tmp_path / "nope.csv"))
    assert caught.value.returncode == 1
    lines, _error = failing(write(b"name,email\n", "members.txt"), "--language", "en")
    assert lines == ["line 1: Only .csv and .xlsx files can be imported."]


def test_missing_columns_are_reported(write):
    lines, _error = failing(write(csv_bytes([["山田 太郎"]], ["氏名"])), "--language", "en")
    assert lines == ["line 1: A required column is missing: メールアドレス (email)"]


def test_a_long_dry_run_shows_the_first_members_and_a_count(write, monkeypatch):
    monkeypatch.setattr(import_members, "ROWS_SHOWN", 1)
    output = run(write(members_file()), "--dry-run")
    assert "line 2: 山田 太郎" in output and "line 3:" not in output
    assert "… ほか 2 人" in output


def test_a_bio_keeps_its_lines_and_later_rows_keep_their_file_line(write):
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[0][-1] = "営業一筋です。\r\n  釣りが趣味。  "
    rows[1][4] = "not-an-address"
    lines, _error = failing(write(members_file(rows)), "--language", "en")
    assert lines == ["line 4: メールアドレス: Not a valid email address: not-an-address"]  # row 2 starts on line 4
    rows[1][4] = "hanako@example.jp"
    run(write(members_file(rows)))
    assert User.objects.get(email="taro@example.jp").profile.bio == "営業一筋です。\n釣りが趣味。"


def test_year_and_month_dates_and_list_skills():
    table = member_importer.rows_from_api([
        {"name": "林 一", "email": "hayashi@example.jp", "joined_on": "2015年4月", "left_on": "H31.4",
         "skills": ["Go", "ｇｏ", "SQL"], "location": "JP-13"},
    ])
    validation = member_importer.validate(table)
    assert validation.valid, validation.errors
    values = validation.rows[0][1]
    assert (values["joined_on"], values["left_on"]) == (datetime.date(2015, 4, 1), datetime.date(2019, 4, 1))
    assert values["skills"] == ["Go", "go", "SQL"]
    members = actions.do_import_members(None, validation, source="api")
    assert sorted(s.name for s in members[0].profile.skills.all()) == ["Go", "SQL"]  # ｇｏ is Go
