"""Events in a real browser: a moderator creates an event, a member registers and gets a QR ticket, the
reception checks them in by their typed code, and after the event the report with a photo appears."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kizuna.events.models import Event, Registration
from kizuna.members.models import Role

from ..events.helpers import move_to_past
from ..factories import MemberFactory
from .journeys import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_register_check_in_and_report(page, new_page, password, tmp_path):
    moderator = MemberFactory(role=Role.MODERATOR, name="運営 一郎", email="mod@example.jp")
    member = MemberFactory(name="参加 花子", email="hanako@example.jp")
    log_in(page, moderator.email, password)

    page.get_by_role("link", name="イベント", exact=True).click()
    page.get_by_role("link", name="イベントを作成").click()
    starts = timezone.localtime() + datetime.timedelta(days=14)
    page.get_by_label("イベント名").fill("関西アルムナイ交流会")
    page.get_by_label("ハイブリッド（会場＋オンライン）").check()
    page.get_by_label("開始日時").fill(starts.strftime("%Y-%m-%dT18:30"))
    page.get_by_label("終了日時").fill(starts.strftime("%Y-%m-%dT21:00"))
    page.get_by_label("会場", exact=True).fill("大阪支社 セミナールーム")
    page.get_by_label("オンライン会議のURL").fill("https://meet.example.jp/kansai")
    page.get_by_label("内容").fill("近況を語り合いましょう。\n\n- 乾杯\n- 自己紹介")
    page.get_by_label("定員").fill("30")
    page.get_by_label("1件あたりの同伴者数（上限）").fill("1")
    page.get_by_label("申込時の質問").fill("食事の制限はありますか")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("イベントを保存しました")
    expect(page.get_by_role("heading", level=1)).to_have_text("関西アルムナイ交流会")
    expect(page.locator(".event-facts")).to_contain_text("18:30–21:00 (JST)")
    event = Event.objects.get()

    phone = new_page()
    log_in(phone, member.email, password)
    phone.goto("/events/")
    phone.get_by_role("link", name="関西アルムナイ交流会").click()
    expect(phone.locator("main")).not_to_contain_text("https://meet.example.jp/kansai")
    phone.get_by_label("同伴者").select_option("1")
    phone.get_by_label("食事の制限はありますか").fill("ベジタリアン")
    phone.get_by_role("button", name="参加を申し込む").click()
    expect(phone.get_by_role("status")).to_contain_text("参加申込を受け付けました")
    expect(phone.locator(".ticket svg")).to_be_visible()
    expect(phone.get_by_role("link", name="https://meet.example.jp/kansai")).to_be_visible()
    code = phone.locator(".ticket-code strong").inner_text()
    assert code.replace("-", "") == Registration.objects.get(user=member).code

    page.get_by_role("link", name="受付・参加者一覧").click()
    expect(page.locator("#checkin tbody")).to_contain_text("参加 花子")
    page.get_by_label("受付コード").fill(code.lower())
    page.get_by_role("button", name="受付する", exact=True).click()
    expect(page.locator("#checkin .msg-success")).to_contain_text("参加 花子 さんを受け付けました")
    expect(page.locator("#checkin tbody")).to_contain_text("✓")
    page.get_by_label("氏名").fill("飛び入り 次郎")
    page.get_by_role("button", name="追加して受付する").click()
    expect(page.locator("#checkin tbody")).to_contain_text("飛び入り 次郎")

    move_to_past(event)  # the evening has passed
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("link", name="開催レポートを書く").click()
    page.get_by_label("レポート").fill("## 当日の様子\n32名が参加し、大いに盛り上がりました。")
    from PIL import Image

    photo = tmp_path / "party.jpg"
    Image.new("RGB", (800, 600), "orange").save(photo, "JPEG")
    page.get_by_label("写真を追加").set_input_files(str(photo))
    page.get_by_role("button", name="公開する").click()
    expect(page.get_by_role("status")).to_contain_text("開催レポートを保存しました")

    phone.reload()
    expect(phone.get_by_role("heading", name="当日の様子")).to_be_visible()
    expect(phone.locator(".report-photos img")).to_have_count(1)
    phone.get_by_label("5", exact=True).check()
    phone.get_by_role("button", name="送信").click()
    expect(phone.get_by_role("status")).to_contain_text("アンケートへのご回答ありがとうございました")
    assert page.console_errors == [] and phone.console_errors == []
