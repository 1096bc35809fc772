"""Comeback jobs in a real browser: HR posts a job, a member applies, HR hires them and the rehire is counted;
a member asks for a casual talk and the host accepts one of the proposed times."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kizuna.jobs.models import CasualTalk
from kizuna.members.models import Role

from ..factories import MemberFactory
from .journeys import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_post_apply_hire_and_count_the_rehire(page, admin_page, password):
    hr = admin_page
    hr.goto("/manage/jobs/")
    hr.get_by_role("link", name="求人を作成").click()
    hr.get_by_label("タイトル").fill("カスタマーサクセス（再入社）")
    hr.get_by_label("種類").select_option(label="再入社（正社員）")
    hr.get_by_label("仕事内容").fill("既存のお客様の活用支援を担当していただきます。")
    hr.get_by_label("退職後に変わったこと").fill("2025年から週3日までリモート勤務ができます。")
    hr.get_by_label("ステータス").select_option(label="募集中")
    hr.get_by_role("button", name="保存").click()
    expect(hr.get_by_role("status")).to_contain_text("求人を保存しました")

    member = MemberFactory(name="出戻 花子", email="demodori@example.jp")
    log_in(page, member.email, password)
    page.get_by_role("link", name="求人", exact=True).click()
    page.get_by_role("link", name="カスタマーサクセス（再入社）").click()
    expect(page.locator("main")).to_contain_text("2025年から週3日までリモート勤務ができます。")
    page.get_by_label("人事へのメッセージ").fill("またお客様と向き合いたいです。")
    page.get_by_role("button", name="応募する").click()
    expect(page.get_by_role("status")).to_contain_text("応募を送りました")
    expect(page.locator("main")).to_contain_text("新規")

    hr.goto("/manage/jobs/pipeline/")
    hr.get_by_role("link", name="出戻 花子").click()
    for stage in ("選考中", "面接", "内定"):
        hr.get_by_label("移動先").select_option(label=stage)
        hr.get_by_role("button", name="ステータスを変更").click()
        expect(hr.get_by_role("status")).to_contain_text(f"「{stage}」に移動しました")
    hr.get_by_label("移動先").select_option(label="採用")
    hr.get_by_label("入社・開始日（採用のとき）").fill("2026-04-01")
    hr.get_by_label("メモ（人事のみ）").fill("4月1日入社で合意。")
    hr.get_by_role("button", name="ステータスを変更").click()
    expect(hr.get_by_role("status")).to_contain_text("「採用」に移動しました")

    hr.goto("/manage/")
    card = hr.locator("a.stat-card", has_text="再入社（累計）")
    expect(card.locator(".stat")).to_have_text("1")
    card.click()
    expect(hr.locator("main table")).to_contain_text("出戻 花子")

    page.reload()
    expect(page.locator("main")).to_contain_text("採用")
    expect(page.locator("main")).not_to_contain_text("4月1日入社で合意")  # HR's note stays with HR
    assert page.console_errors == [] and hr.console_errors == []


def test_casual_talk_request_and_the_host_accepts_a_time(page, new_page, password):
    host = MemberFactory(name="元上司 健", email="boss@example.jp", role=Role.EMPLOYEE)
    guest = MemberFactory(name="卒業 太郎", email="guest@example.jp")
    host_page = new_page()
    log_in(host_page, host.email, password)
    host_page.goto("/jobs/hosting/")
    host_page.get_by_label("話せること").fill("営業部の今と、新しい評価制度について話せます。")
    host_page.get_by_label("カジュアル面談を受け付ける").check()
    host_page.get_by_role("button", name="保存").click()
    expect(host_page.get_by_role("status")).to_contain_text("保存しました")

    log_in(page, guest.email, password)
    page.goto("/jobs/talks/")
    expect(page.locator("main")).to_contain_text("選考ではありません")
    page.locator("article", has_text="元上司 健").get_by_role("link", name="カジュアル面談を申し込む").click()
    day = timezone.localtime() + datetime.timedelta(days=7)
    first, second = day.replace(hour=10, minute=0), day.replace(hour=15, minute=30)
    page.get_by_label("話したいこと").fill("営業部の雰囲気を聞きたいです。")
    page.get_by_label("希望日時 1").fill(first.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("希望日時 2").fill(second.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="申し込む").click()
    expect(page.get_by_role("status")).to_contain_text("申し込みを送りました")

    talk = CasualTalk.objects.get()
    host_page.goto(f"/jobs/talks/{talk.pk}/")
    expect(host_page.locator("main")).to_contain_text("営業部の雰囲気を聞きたいです。")
    host_page.locator("fieldset").get_by_label(second.strftime("%H:%M"), exact=False).check()
    host_page.get_by_label("場所またはビデオ会議のURL").fill("https://meet.example.jp/kizuna")
    host_page.get_by_role("button", name="回答を送る").click()
    expect(host_page.get_by_role("status")).to_contain_text("回答を送りました")

    page.reload()
    expect(page.locator("main")).to_contain_text("日程確定")
    expect(page.locator("main")).to_contain_text("https://meet.example.jp/kizuna")
    talk.refresh_from_db()
    assert talk.scheduled_at == second.replace(second=0, microsecond=0)
    assert page.console_errors == [] and host_page.console_errors == []
