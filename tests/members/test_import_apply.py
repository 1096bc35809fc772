"""Applying an import: all-or-nothing upsert by employee number, eligibility, audit, invitations."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError

from kizuna.core.actions import do_update_network_settings as update_network_settings
from kizuna.core.models import AuditLog, Department, GroupCompany
from kizuna.members import actions, importer
from kizuna.members.models import Invitation, LeaverRecord
from tests.factories import LeaverRecordFactory, MemberFactory

from .import_files import ROWS, csv_bytes

pytestmark = pytest.mark.django_db


def validate(data, name="leavers.csv"):
    return importer.read_and_validate(io.BytesIO(data), name)


def apply(data, **kwargs):
    return actions.do_apply_leaver_import(None, validate(data), source="test", filename="leavers.csv", **kwargs)


def test_first_import_creates_records_with_keys_eligibility_and_organisation():
    counts = apply(csv_bytes())
    assert counts == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0}
    record = LeaverRecord.objects.get(employee_number="E002")
    assert record.name == "髙橋 花子"
    assert record.name_key == "高橋花子" and record.kana_key == "たかはしはなこ"
    assert record.left_on == datetime.date(2020, 9, 30)
    assert record.eligible
    assert set(GroupCompany.objects.values_list("name", flat=True)) == {"本社", "絆ロジスティクス株式会社"}
    assert set(Department.objects.values_list("path", flat=True)) == {
        "営業本部", "営業本部/東京営業部", "管理本部", "管理本部/人事部", "開発本部"}
    assert Department.objects.get(path="管理本部/人事部").parent.path == "管理本部"


def test_reimporting_the_same_file_changes_nothing():
    apply(csv_bytes())
    before = list(LeaverRecord.objects.values_list("pk", "updated_at").order_by("pk"))
    counts = apply(csv_bytes(encoding="utf-8-sig"))
    assert counts == {"rows": 3, "created": 0, "updated": 0, "unchanged": 3}
    assert list(LeaverRecord.objects.values_list("pk", "updated_at").order_by("pk")) == before
    assert list(AuditLog.objects.values_list("action", flat=True)) == ["leavers.import", "leavers.import"]
    assert AuditLog.objects.first().detail == {
        "rows": 3, "created": 0, "updated": 0, "unchanged": 3, "source": "test", "filename": "leavers.csv"}


def test_a_changed_file_shows_the_diff_then_upserts():
    apply(csv_bytes())
    changed = [list(row) for row in ROWS]
    changed[0][8] = "部長"  # title
    changed[1][5] = "2020/10/31"  # left_on
    changed.append(["E004", "斉藤 一郎", "サイトウ イチロウ", "ichiro@example.jp", "", "2023/3/31", "転籍", "", "", ""])
    plan = importer.diff(validate(csv_bytes(changed)))
    assert plan.counts == {"rows": 4, "created": 1, "updated": 2, "unchanged": 1}
    changes = {record.employee_number: diff for record, diff in plan.updated}
    assert changes == {"E001": {"title": ("課長", "部長")},
                       "E002": {"left_on": (datetime.date(2020, 9, 30), datetime.date(2020, 10, 31))}}
    assert plan.summary()["updated_sample"][1]["changes"] == {"left_on": ["2020-09-30", "2020-10-31"]}
    assert LeaverRecord.objects.get(employee_number="E001").title == "課長"  # diff alone writes nothing

    counts = apply(csv_bytes(changed))
    assert counts == {"rows": 4, "created": 1, "updated": 2, "unchanged": 1}
    assert LeaverRecord.objects.get(employee_number="E001").title == "部長"
    assert LeaverRecord.objects.get(employee_number="E002").left_on == datetime.date(2020, 10, 31)
    assert LeaverRecord.objects.get(employee_number="E004").leave_type == "transfer"


def test_columns_missing_from_the_file_are_left_as_stored():
    apply(csv_bytes())
    counts = apply(csv_bytes([["E001", "山田 太郎", "2020/3/31"]], headers=["社員番号", "氏名", "退職日"]))
    assert counts["unchanged"] == 1
    record = LeaverRecord.objects.get(employee_number="E001")
    assert (record.email, record.title, record.department) == ("taro@example.jp", "課長", "営業本部/東京営業部")


def test_one_bad_row_writes_nothing():
    rows = ROWS + [["E004", "佐藤 花子", "", "", "", "2019/2/30", "", "新部署", "", "新会社"]]
    validation = validate(csv_bytes(rows))
    with pytest.raises(ValidationError):
        actions.do_apply_leaver_import(None, validation, source="test")
    assert not LeaverRecord.objects.exists()
    assert not GroupCompany.objects.exists() and not Department.objects.exists()
    assert not AuditLog.objects.exists()


def test_an_update_recomputes_eligibility():
    apply(csv_bytes())
    rows = [["E001", "山田 太郎", "2020/3/31", "懲戒解雇"]]
    apply(csv_bytes(rows, headers=["社員番号", "氏名", "退職日", "退職区分"]))
    assert not LeaverRecord.objects.get(employee_number="E001").eligible


def test_updates_keep_hr_flags_the_file_does_not_carry():
    record = LeaverRecordFactory(employee_number="E001", opted_out=True, eligible=False)
    apply(csv_bytes())
    record.refresh_from_db()
    assert record.opted_out and not record.eligible
    assert record.name == "山田 太郎"


def test_invite_on_apply_invites_only_newly_eligible_people_not_yet_invited():
    update_network_settings(None, {"min_tenure_months": 36})
    already = LeaverRecordFactory(employee_number="E003", email="ken@example.jp")
    actions.do_invite(None, already)
    rows = ROWS + [["E004", "短期 在籍", "", "short@example.jp", "2020/4/1", "2020/9/30", "自己都合", "", "", ""],
                   ["E005", "メール なし", "", "", "2010/4/1", "2020/9/30", "自己都合", "", "", ""]]
    counts = apply(csv_bytes(rows), invite=True)
    assert counts["invited"] == 2  # E001, E002; E003 was invited before, E004 is too short, E005 has no email
    assert counts["not_invited"] == 1
    invited = Invitation.objects.filter(status=Invitation.Status.SENT).values_list("record__employee_number", flat=True)
    assert sorted(invited) == ["E001", "E002", "E003"]
    assert Invitation.objects.filter(record=already).count() == 1  # not sent again
    assert apply(csv_bytes(rows), invite=True)["invited"] == 0


def test_invitation_emails_go_out_after_commit(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        apply(csv_bytes(ROWS[:1]), invite=True)
    assert [mail.to for mail in mailoutbox] == [["taro@example.jp"]]


def test_email_warnings_do_not_block_the_import():
    MemberFactory(email="hanako@example.jp")
    LeaverRecordFactory(employee_number="X100", email="ken@example.jp")
    rows = ROWS + [["E004", "山田 次郎", "", "taro@example.jp", "", "2021/3/31", "", "", "", ""]]
    validation = validate(csv_bytes(rows))
    importer.diff(validation)
    assert [(p.line, p.column, p.code) for p in validation.warnings] == [
        (3, "メールアドレス", "email_member"),
        (4, "メールアドレス", "email_other_record"),
        (5, "メールアドレス", "email_in_file"),
    ]
    assert actions.do_apply_leaver_import(None, validation, source="test")["created"] == 4


def test_member_linked_to_the_record_is_not_a_warning():
    record = LeaverRecordFactory(employee_number="E001", email="taro@example.jp")
    actions.do_invite(None, record)
    validation = validate(csv_bytes(ROWS[:1]))
    importer.diff(validation)
    assert validation.warnings == []
