"""HR imports its leaver list in the browser: problems by line, then a diff, then apply, then the records.

The background task is held back (a queue nobody works on) so that the page shows its progress first;
the test then runs the task itself, as the worker would, and the page picks up the result by polling.
"""

import pytest
from playwright.sync_api import expect

from kizuna.members import actions, importer, tasks
from kizuna.members.models import ImportJob

from ..members.import_files import csv_bytes

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = ["社員番号", "氏名", "フリガナ", "入社日", "退職日", "退職区分", "所属"]
FIELDS = ["employee_number", "name", "name_kana", "joined_on", "left_on", "leave_type", "department"]
KEPT = ["E001", "山田 太郎", "ヤマダ タロウ", "2010/4/1", "2020/3/31", "自己都合", "営業本部/大阪営業部"]
RETIRED = ["E002", "髙橋 花子", "タカハシ ハナコ", "平成20年4月1日", "R2.9.30", "定年", "管理本部/人事部"]
DISMISSED = ["E003", "渡邊 健", "ワタナベ ケン", "2015-04-01", "2021-06-30", "懲戒解雇", "開発本部"]


@pytest.fixture
def held_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def upload(page, rows):
    page.goto("/manage/imports/new/")
    page.locator("input[type=file]").set_input_files(
        {"name": "退職者一覧.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows, HEADERS, "cp932")})
    page.get_by_role("button", name="アップロードしてチェック").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("退職者一覧.csv")
    expect(page.get_by_role("status")).to_contain_text("処理の開始を待っています")
    expect(page.locator("progress")).to_be_visible()
    return ImportJob.objects.latest("created_at")


def test_import_with_a_bad_row_then_the_corrected_file(admin_page, admin_user, held_tasks):
    page = admin_page
    # HR imported E001 before, when he was still in the Tokyo sales office.
    earlier = dict(zip(FIELDS, KEPT, strict=True)) | {"department": "営業本部/東京営業部"}
    actions.do_apply_leaver_import(admin_user, importer.validate(importer.rows_from_api([earlier])), source="api")

    with_bad_date = [KEPT, RETIRED[:4] + ["2020/13/45"] + RETIRED[5:], DISMISSED]
    job = upload(page, with_bad_date)
    tasks.check_import.call(job.pk)
    problems = page.locator("table").filter(has_text="2020/13/45")
    expect(problems).to_contain_text("退職日")
    expect(problems.locator("tbody tr").first.locator("td").first).to_have_text("3")
    expect(page.locator("main")).to_contain_text("データは何も変わっていません")

    job = upload(page, [KEPT, RETIRED, DISMISSED])
    tasks.check_import.call(job.pk)
    changes = page.locator("section").filter(has=page.get_by_role("heading", name="既存データの変更"))
    expect(changes).to_contain_text("E001")
    expect(changes.locator(".diff-old")).to_have_text("営業本部/東京営業部")
    expect(changes.locator(".diff-new")).to_have_text("営業本部/大阪営業部")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="反映する").click()
    expect(page.locator("progress")).to_be_visible()
    tasks.apply_import.call(job.pk, admin_user.pk)
    expect(page.locator("main")).to_contain_text("取り込みました。")
    counts = page.locator(".grid").first
    expect(counts).to_contain_text("新規2")
    expect(counts).to_contain_text("更新1")
    expect(counts).to_contain_text("変更なし0")

    page.get_by_role("link", name="退職者データを見る").click()
    eligibility = page.locator("th").filter(has_text="対象判定")
    expect(eligibility).to_be_visible()
    column = eligibility.evaluate("th => th.cellIndex")

    def eligibility_of(number):
        return page.get_by_role("row").filter(has_text=number).locator("td").nth(column)

    expect(eligibility_of("E001").locator(".badge")).to_have_text("対象")
    expect(eligibility_of("E002").locator(".badge")).to_have_text("対象")
    expect(eligibility_of("E003").locator(".badge")).to_have_text("対象外")
    expect(eligibility_of("E003")).to_contain_text("退職区分「懲戒解雇」は対象外です")
    assert page.console_errors == []
