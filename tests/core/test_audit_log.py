import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.urls import reverse
from django.utils import timezone, translation

import kizuna
from kizuna.core.actions import audit
from kizuna.core.audit_labels import ACTION_LABELS, action_label
from kizuna.core.models import AuditLog
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(admin_user, alumni_user):
    other_admin = MemberFactory(role="admin", name="総務 次郎")
    old = audit(other_admin, "company.create", alumni_user, target_label="=HYPERLINK(\"http://evil\")")
    AuditLog.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=40))
    audit(admin_user, "member.suspend", alumni_user, detail={"reason": "調査"})
    audit(None, "member.employee_verified", other_admin)
    return other_admin


async def read_stream(response):
    return b"".join([chunk async for chunk in response.streaming_content])


def table(response):
    page = response.content.decode()
    return page[page.index("<tbody>"):]


def test_audit_log_lists_newest_first_with_labels(admin_client, entries):
    rows = table(admin_client.get(reverse("audit_log")))
    assert rows.index("member.employee_verified") < rows.index("member.suspend") < rows.index("company.create")
    assert "メンバーを利用停止" in rows and "システム" in rows


@pytest.mark.parametrize("params, present, absent", [
    ({"action": "member.suspend"}, ["member.suspend"], ["company.create", "member.employee_verified"]),
    ({"actor": "system"}, ["member.employee_verified"], ["member.suspend", "company.create"]),
    ({"target_type": "members.user", "q": "HYPERLINK"}, ["company.create"], ["member.suspend"]),
])
def test_audit_log_filters(admin_client, entries, params, present, absent):
    rows = table(admin_client.get(reverse("audit_log"), params))
    for text in present:
        assert text in rows
    for text in absent:
        assert text not in rows


def test_audit_log_filters_by_actor_and_date(admin_client, admin_user, entries):
    by_actor = table(admin_client.get(reverse("audit_log"), {"actor": entries.pk}))
    assert "company.create" in by_actor and "member.suspend" not in by_actor
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    recent = table(admin_client.get(reverse("audit_log"), {"date_from": since}))
    assert "member.suspend" in recent and "company.create" not in recent
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    older = table(admin_client.get(reverse("audit_log"), {"date_to": until}))
    assert "company.create" in older and "member.suspend" not in older


def test_audit_log_pages_with_bounded_queries_and_reading_it_is_audited(admin_client, admin_user,
                                                                        django_assert_max_num_queries):
    for n in range(120):
        audit(admin_user, "settings.update", target_label=f"entry-{n:03d}")
    with django_assert_max_num_queries(15):
        first = admin_client.get(reverse("audit_log"), {"action": "settings.update"}).content.decode()
    assert "entry-119" in first and "entry-069" not in first
    third = admin_client.get(reverse("audit_log"), {"action": "settings.update", "page": 3}).content.decode()
    assert "entry-019" in third and "entry-020" not in third
    assert AuditLog.objects.filter(action="audit.view_list", actor=admin_user).count() == 2


def test_csv_export_is_audited_and_neutralises_formulas(admin_client, admin_user, entries):
    response = admin_client.get(reverse("audit_export"), {"action": "company.create"})
    body = async_to_sync(read_stream)(response).decode("utf-8")
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert table[0][:4] == ["at", "actor_id", "actor", "action"]
    assert len(table) == 2
    assert table[1][6] == "'=HYPERLINK(\"http://evil\")"
    assert AuditLog.objects.get(action="audit.export").detail == {"action": "company.create"}


def test_searching_the_log_is_recorded_without_the_text_searched(admin_client, entries):
    admin_client.get(reverse("audit_log"), {"q": "総務 次郎", "action": "member.suspend"})
    admin_client.get(reverse("audit_export"), {"q": "総務 次郎"})
    assert AuditLog.objects.get(action="audit.view_list").detail == {
        "action": "member.suspend", "searched": True, "page": 1}
    assert AuditLog.objects.get(action="audit.export").detail == {"searched": True}


def test_audit_log_is_for_admins_only(alumni_client):
    assert alumni_client.get(reverse("audit_log")).status_code == 403
    assert alumni_client.get(reverse("audit_export")).status_code == 403


# audit(actor, "thing.verb", ...) anywhere in the source, the call possibly spread over lines.
AUDIT_CALL = re.compile(r"""\baudit\(\s*[^"'()]*?(?:\([^()]*\)[^"'()]*?)*["']([a-z_]+\.[a-z_]+)["']""", re.S)


def test_every_audited_action_has_a_readable_label():
    source = Path(kizuna.__file__).parent
    codes = {code for path in source.rglob("*.py") for code in AUDIT_CALL.findall(path.read_text())}
    assert {"leavers.import", "token.create", "member.bulk_create", "audit.export"} <= codes  # the scan works
    assert sorted(codes - set(ACTION_LABELS)) == []
    with translation.override("ja"):
        assert action_label("leavers.view_list") == "退職者データ一覧の閲覧"
    with translation.override("en"):
        assert action_label("leavers.view_list") == "Viewed the HR leaver records"
