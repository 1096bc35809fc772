"""HR's export of a directory search (CSV and XLSX): the page's search and order, the fields HR may see,
formula cells neutralised, streamed a chunk at a time, audit-logged, and for admins only."""

import csv
import datetime
import io

import openpyxl
import pytest
from asgiref.sync import async_to_sync

from kizuna.core.models import AuditLog
from kizuna.directory import export
from kizuna.directory.index import reindex_stale
from kizuna.members import actions
from kizuna.members.models import CustomField, Visibility

from .helpers import member_with_profile

pytestmark = pytest.mark.django_db

CSV_URL, XLSX_URL = "/members/export.csv", "/members/export.xlsx"


async def _read(response):
    return b"".join([chunk async for chunk in response.streaming_content])


def download(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return response, async_to_sync(_read)(response)


def csv_table(client, params=None):
    response, body = download(client, CSV_URL, params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel opens UTF-8 with the BOM
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def xlsx_table(client, params=None):
    response, body = download(client, XLSX_URL, params)
    assert response["Content-Type"] == export.XLSX_TYPE
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet


@pytest.fixture
def hayashi(db):
    school = actions.do_save_custom_field(None, CustomField(), label="出身大学", kind=CustomField.Kind.TEXT,
                                          default_visibility=Visibility.MEMBERS)
    reindex_stale()  # what the task queued after commit does: members made before are searchable again
    member = member_with_profile(
        "林 一郎", "はやし いちろう", romaji="Ichiro Hayashi", current_company="ハヤシ商店", current_title="店長",
        skills=["Python", "Go"], purposes=["mentor", "return"], location="JP-13", industry="it",
        joined_on=datetime.date(2005, 4, 1), left_on=datetime.date(2019, 3, 1), bio="人事だけが知る経歴",
        links=["https://example.jp/hayashi"], languages=["ja", "en"], **{school.key: "絆大学"},
        visibility={"bio": Visibility.ADMINS, "current_title": Visibility.ME},
    )
    member_with_profile("佐藤 花子", "さとう はなこ", current_company="絆ソフト")
    return member


def test_csv_has_the_page_search_in_its_order_with_the_fields_hr_may_see(admin_client, admin_user, hayashi):
    table = csv_table(admin_client, {"sort": "reading"})
    header = table[0]
    assert header[:5] == ["ID", "氏名", "よみ", "ローマ字表記", "メンバー種別"]
    assert {"入社", "退職", "現在の会社", "現在の役職", "スキル", "自己紹介", "利用目的", "出身大学"} <= set(header)
    assert "写真" not in header
    assert [row[1] for row in table[1:]] == ["佐藤 花子", "林 一郎", admin_user.name]  # さとう, はやし, やまだ
    row = dict(zip(header, table[2], strict=True))
    assert row["ID"] == str(hayashi.pk) and row["メンバー種別"] == "アルムナイ"
    assert row["ローマ字表記"] == "Ichiro Hayashi" and row["入社"] == "2005-04" and row["退職"] == "2019-03"
    assert row["スキル"] == "Go、Python" or row["スキル"] == "Python、Go"
    assert row["利用目的"] == "メンター、再入社に関心" and row["地域"] == "東京都" and row["出身大学"] == "絆大学"
    assert row["自己紹介"] == "人事だけが知る経歴"  # HR-only values are HR's to export
    assert row["現在の役職"] == ""  # "only me" is not


def test_filters_and_search_narrow_the_export(admin_client, hayashi):
    assert [row[1] for row in csv_table(admin_client, {"q": "はやし"})[1:]] == ["林 一郎"]
    assert [row[1] for row in csv_table(admin_client, {"purposes": "mentor", "skills": "go"})[1:]] == ["林 一郎"]
    assert csv_table(admin_client, {"q": "誰もいない"})[1:] == []


def test_english_headers_and_labels_follow_the_language(admin_client, hayashi):
    admin_client.cookies["django_language"] = "en"
    table = csv_table(admin_client, {"q": "はやし"})
    row = dict(zip(table[0], table[1], strict=True))
    assert row["Member type"] == "Alumni" and row["Location"] == "Tokyo" and row["Purposes"] == (
        "Mentoring, Interested in returning")


FORMULAS = {"current_company": "=HYPERLINK(\"http://evil.example\")", "bio": "+1+1", "出身": "-2-3",
            "skills": ["@SUM(A1)"]}


@pytest.fixture
def formulas(db):
    field = actions.do_save_custom_field(None, CustomField(), label="出身", kind=CustomField.Kind.TEXT,
                                         default_visibility=Visibility.MEMBERS)
    member_with_profile("数式 太郎", "すうしき たろう", current_company=FORMULAS["current_company"],
                        bio=FORMULAS["bio"], skills=FORMULAS["skills"], **{field.key: FORMULAS["出身"]})


def test_csv_neutralises_formula_cells(admin_client, formulas):
    table = csv_table(admin_client, {"q": "数式"})
    row = dict(zip(table[0], table[1], strict=True))
    assert row["現在の会社"] == "'=HYPERLINK(\"http://evil.example\")"
    assert row["自己紹介"] == "'+1+1" and row["出身"] == "'-2-3" and row["スキル"] == "'@SUM(A1)"


def test_xlsx_neutralises_formula_cells_and_holds_no_formula(admin_client, formulas):
    rows, sheet = xlsx_table(admin_client, {"q": "数式"})
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["現在の会社"] == "'=HYPERLINK(\"http://evil.example\")"
    assert row["自己紹介"] == "'+1+1" and row["出身"] == "'-2-3" and row["スキル"] == "'@SUM(A1)"
    assert not [cell for line in sheet.iter_rows() for cell in line if cell.data_type == "f"]
    assert isinstance(row["ID"], int)


def test_xlsx_cells_drop_characters_a_workbook_cannot_hold(admin_client):
    member_with_profile("制御 文字", "せいぎょ もじ", bio="\x01=1+2\x0bです")
    rows, _sheet = xlsx_table(admin_client, {"q": "制御"})
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["自己紹介"] == "'=1+2です"  # stripped first, then neutralised


def test_xlsx_has_the_same_rows_as_the_csv(admin_client, hayashi):
    rows, _sheet = xlsx_table(admin_client)
    table = csv_table(admin_client)
    assert [[("" if value is None else str(value)) for value in row] for row in rows] == table


def test_rows_stream_in_chunks_in_the_search_order(admin_client, admin_user, monkeypatch):
    for n in range(7):
        member_with_profile(f"会員 {n}", f"かいいん {n}")
    chunks = []
    original = export.cards_for
    monkeypatch.setattr(export, "CHUNK_SIZE", 3)
    monkeypatch.setattr(export, "cards_for", lambda viewer, ids: chunks.append(len(ids)) or original(viewer, ids))
    table = csv_table(admin_client, {"q": "会員"})
    assert [row[1] for row in table[1:]] == [f"会員 {n}" for n in range(7)]
    assert chunks == [3, 3, 1]


def test_a_member_who_leaves_during_an_export_is_left_out(admin_client, admin_user, monkeypatch):
    members = [member_with_profile(f"会員 {n}", f"かいいん {n}") for n in range(4)]
    monkeypatch.setattr(export, "CHUNK_SIZE", 2)
    response = admin_client.get(CSV_URL, {"q": "会員"})  # the ids are found; no row is built yet
    actions.do_set_hidden(members[3], True)
    actions.do_withdraw(members[2], admin_user)
    text = async_to_sync(_read)(response).decode("utf-8")
    assert "会員 0" in text and "会員 1" in text and "会員 2" not in text and "会員 3" not in text


def test_exports_are_audited_with_the_filters_but_not_the_words(admin_client, admin_user, hayashi):
    csv_table(admin_client, {"q": "林", "purposes": ["mentor", "return"]})
    xlsx_table(admin_client, {"member_type": "alumni"})
    entries = list(AuditLog.objects.filter(action="directory.export").order_by("pk"))
    assert [e.detail for e in entries] == [
        {"purposes": "mentor,return", "searched": True, "format": "csv", "rows": 1},
        {"member_type": "alumni", "format": "xlsx", "rows": 2},
    ]
    assert all(e.actor == admin_user for e in entries)


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_members_may_not_export(client, alumni_user, url):
    client.force_login(alumni_user)
    assert client.get(url).status_code == 403
    assert not AuditLog.objects.filter(action="directory.export").exists()


def test_an_invalid_search_goes_back_to_the_page_with_its_errors(admin_client):
    response = admin_client.get(CSV_URL, {"joined_from": "2020", "joined_to": "2010", "page": "3"})
    assert response.status_code == 302
    assert response["Location"] == "/members/?joined_from=2020&joined_to=2010"
    assert not AuditLog.objects.filter(action="directory.export").exists()
