"""Groups and moderation in a real browser: a member starts a closed group, another asks to join and is
approved; a member reports a profile and a moderator removes what it says, with a reason the member receives."""

import pytest
from playwright.sync_api import expect

from kizuna.core.models import OutboxEmail
from kizuna.groups.models import Membership
from kizuna.members import actions as member_actions
from kizuna.members.models import Role

from ..factories import MemberFactory
from .journeys import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_start_a_closed_group_ask_to_join_and_approve(page, new_page, password, outbox_backend):
    founder = MemberFactory(name="創設 一郎", email="founder@example.jp")
    joiner = MemberFactory(name="参加 花子", email="joiner@example.jp")
    log_in(page, founder.email, password)
    page.get_by_role("link", name="グループ", exact=True).click()
    page.get_by_role("link", name="グループを作成").click()
    page.get_by_label("グループ名").fill("子育てアルムナイの会")
    page.get_by_label("承認制：グループ管理者が参加申請を承認する").check()
    page.get_by_label("グループの説明").fill("子育て中のメンバーの情報交換の場です。")
    page.get_by_label("ページのアドレス（URL）").fill("parents")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("グループを保存しました")
    expect(page.get_by_role("heading", level=1)).to_have_text("子育てアルムナイの会")

    phone = new_page()
    log_in(phone, joiner.email, password)
    phone.goto("/groups/")
    phone.get_by_label("グループ名で検索").fill("こそだて")  # no match: the name is in kanji
    phone.get_by_role("button", name="検索").click()
    expect(phone.locator("main")).to_contain_text("検索に一致するグループはありません")
    phone.get_by_label("グループ名で検索").fill("アルムナイの会")
    phone.get_by_role("button", name="検索").click()
    phone.get_by_role("link", name="子育てアルムナイの会").click()
    expect(phone.locator("main")).to_contain_text("グループのメンバーだけが見られます")
    phone.get_by_label("グループ管理者へのメッセージ（任意）").fill("2歳の子がいます")
    phone.get_by_role("button", name="参加を申請する").click()
    expect(phone.get_by_role("status")).to_contain_text("参加申請を送りました")
    assert OutboxEmail.objects.filter(to=founder.email).exists()

    page.get_by_role("link", name="メンバー管理").click()
    expect(page.locator("main")).to_contain_text("2歳の子がいます")
    page.get_by_role("button", name="承認する").click()
    expect(page.get_by_role("status")).to_contain_text("申請に回答しました")
    assert Membership.objects.get(user=joiner).state == Membership.State.MEMBER
    assert "承認されました" in OutboxEmail.objects.get(to=joiner.email).body_text

    phone.reload()
    expect(phone.get_by_role("button", name="グループを退会")).to_be_visible()
    expect(phone.locator(".group-members")).to_contain_text("創設 一郎")


def test_report_a_profile_and_a_moderator_removes_what_it_says(page, new_page, password, outbox_backend):
    reported = MemberFactory(name="宣伝 次郎", email="ads@example.jp")
    member_actions.do_update_profile(reported, {"bio": "必ず儲かる投資セミナーはこちら"})
    reporter = MemberFactory(name="報告 花子", email="reporter@example.jp")
    moderator = MemberFactory(role=Role.MODERATOR, name="運営 一郎", email="mod@example.jp")

    log_in(page, reporter.email, password)
    page.goto(f"/members/{reported.pk}/")
    page.get_by_role("link", name="このプロフィールを運営に報告する").click()
    page.get_by_label("勧誘（引き抜き・営業・宗教・政治など）").check()
    page.get_by_label("運営担当への補足（任意）").fill("投資の勧誘です")
    page.get_by_role("button", name="報告を送る").click()
    expect(page.get_by_role("status")).to_contain_text("ご報告ありがとうございます")

    desk = new_page()
    log_in(desk, moderator.email, password)
    desk.get_by_role("link", name="モデレーション").click()
    desk.get_by_role("link", name="プロフィール #").click()
    expect(desk.locator("main")).to_contain_text("必ず儲かる投資セミナーはこちら")
    expect(desk.locator("main")).to_contain_text("投資の勧誘です")
    expect(desk.get_by_label("非表示にする")).to_have_count(0)  # the member's own "hide me" is theirs
    desk.get_by_label("削除する").check()
    desk.get_by_label("理由（対象のメンバーに送られます）").fill("勧誘はガイドラインで禁止されています。")
    desk.get_by_role("button", name="実行する").click()
    expect(desk.get_by_role("status")).to_contain_text("対応しました")

    reported.profile.refresh_from_db()
    assert reported.profile.bio == "" and not reported.profile.hidden
    to_reported = OutboxEmail.objects.get(to=reported.email)
    assert "勧誘はガイドラインで禁止されています" in to_reported.body_text
    assert "報告 花子" not in to_reported.body_text and "投資の勧誘です" not in to_reported.body_text
    assert OutboxEmail.objects.filter(to=reporter.email).exists()
