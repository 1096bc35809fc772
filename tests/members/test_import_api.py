"""POST /api/v1/leavers: the file import's validation and all-or-nothing apply, for HR systems."""

import secrets

import pytest

from kizuna.api.auth import hash_token
from kizuna.core.models import AuditLog
from kizuna.members.models import ApiToken, LeaverRecord

pytestmark = pytest.mark.django_db
URL = "/api/v1/leavers"
ROWS = [
    {"employee_number": "E001", "name": "山田 太郎", "name_kana": "ヤマダ タロウ", "email": "taro@example.jp",
     "joined_on": "2010/4/1", "left_on": "令和2年3月31日", "leave_type": "自己都合", "department": "営業本部"},
    {"employee_number": "E002", "name": "佐藤 花子", "left_on": "2021-06-30", "leave_type": "retirement"},
]


def post(client, body, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


def bearer(user):
    raw = secrets.token_urlsafe(24)
    ApiToken.objects.create(user=user, name="HR system", prefix=raw[:8], key_hash=hash_token(raw))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_admin_imports_rows_with_a_token(client, admin_user):
    response = post(client, {"rows": ROWS}, **bearer(admin_user))
    assert response.status_code == 200
    assert response.json() == {"valid": True, "applied": True, "rows": 2, "created": 2, "updated": 0,
                               "unchanged": 0, "invited": None, "errors": [], "warnings": []}
    assert LeaverRecord.objects.get(employee_number="E001").department == "営業本部"
    entry = AuditLog.objects.get(action="leavers.import")
    assert entry.actor == admin_user and entry.detail["source"] == "api"


def test_reimport_changes_nothing_and_dry_run_writes_nothing(admin_client):
    assert post(admin_client, {"rows": ROWS, "dry_run": True}).json()["created"] == 2
    assert not LeaverRecord.objects.exists()
    post(admin_client, {"rows": ROWS})
    body = post(admin_client, {"rows": ROWS}).json()
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 0, 2)


def test_invalid_rows_give_422_with_every_problem_and_write_nothing(admin_client):
    rows = ROWS + [{"employee_number": "E003", "name": "", "left_on": "2019/13/1", "email": "nope"},
                   {"employee_number": "E001", "name": "重複", "left_on": "2020-01-01", "titel": "typo"}]
    response = post(admin_client, {"rows": rows}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    body = response.json()
    assert body["valid"] is False and body["applied"] is False
    assert [(e["line"], e["column"], e["code"]) for e in body["errors"]] == [
        (3, "email", "email_invalid"), (3, "left_on", "date_unreadable"), (3, "name", "required"),
        (4, "titel", "unknown_field"), (4, "employee_number", "duplicate_number"),
    ]
    assert body["errors"][1]["message"] == "Not readable as a date: 2019/13/1"
    assert not LeaverRecord.objects.exists()


def test_messages_follow_accept_language(admin_client):
    body = post(admin_client, {"rows": [{"employee_number": "E1", "name": "x", "left_on": "2019/13/1"}]},
                HTTP_ACCEPT_LANGUAGE="ja").json()
    assert body["errors"][0]["message"] == "日付として読めません: 2019/13/1"


def test_a_required_field_left_out_is_reported_per_row(admin_client):
    body = post(admin_client, {"rows": [{"employee_number": "E1", "name": "x"}]}).json()
    assert [(e["line"], e["column"], e["code"]) for e in body["errors"]] == [(1, "left_on", "required")]


def test_invite_flag(admin_client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        body = post(admin_client, {"rows": ROWS, "invite": True}).json()
    assert body["invited"] == 1  # E002 has no email address
    assert [m.to for m in mailoutbox] == [["taro@example.jp"]]


def test_alumni_get_403(client, alumni_user):
    assert post(client, {"rows": ROWS}, **bearer(alumni_user)).status_code == 403
    assert not LeaverRecord.objects.exists()


def test_anonymous_gets_401(client):
    assert post(client, {"rows": ROWS}).status_code == 401


def test_a_422_also_reports_the_warnings(admin_client):
    rows = [{**ROWS[0], "email": "same@example.jp"}, {**ROWS[1], "email": "same@example.jp"},
            {"employee_number": "E003", "name": "x", "left_on": "2019/13/1"}]
    response = post(admin_client, {"rows": rows}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    body = response.json()
    assert [(e["line"], e["code"]) for e in body["errors"]] == [(3, "date_unreadable")]
    assert [(w["line"], w["column"], w["code"]) for w in body["warnings"]] == [(2, "email", "email_in_file")]
    assert body["warnings"][0]["message"]
    assert not LeaverRecord.objects.exists()
