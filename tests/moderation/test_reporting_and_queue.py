"""Reporting a profile, the moderators' queue and decisions, and what each person learns: the reported
member gets the decision and its reason but never who reported; reporters get a short note."""

import pytest
from django.urls import reverse

from kizuna.core.models import AuditLog, OutboxEmail
from kizuna.members import actions as member_actions
from kizuna.members.models import Profile, Role, State
from kizuna.moderation import actions, registry
from kizuna.moderation.models import Item, Reason, Report
from kizuna.moderation.registry import Reportable

from ..factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported():
    member = MemberFactory(name="問題 太郎", email="reported@example.jp")
    member_actions.do_update_profile(member, {"bio": "投資セミナーに来てください", "current_company": "秘密商事"},
                                     visibility={"current_company": "admins"})
    return member


@pytest.fixture
def reporter():
    return MemberFactory(name="報告 花子", email="reporter@example.jp")


def test_a_member_reports_a_profile_from_its_page(client, reported, reporter):
    client.force_login(reporter)
    profile = client.get(reverse("member_profile", args=[reported.pk])).content.decode()
    report_url = reverse("report", args=["profile", reported.pk])
    assert report_url in profile
    assert "報告の理由" in client.get(report_url).content.decode()
    response = client.post(report_url, {"reason": Reason.SOLICITATION, "note": "勧誘です"})
    assert response.url == reverse("member_profile", args=[reported.pk])
    report = Report.objects.get(reporter=reporter)
    assert (report.reason, report.note, report.item.state) == (Reason.SOLICITATION, "勧誘です", Item.State.REPORTED)
    assert "すでに報告済み" in client.get(report_url).content.decode()
    assert AuditLog.objects.filter(action="moderation.report", actor=reporter).exists()


def test_no_report_link_on_ones_own_profile_and_no_report_of_what_one_cannot_see(client, reported, reporter):
    client.force_login(reported)
    assert reverse("report", args=["profile", reported.pk]) not in \
        client.get(reverse("member_profile", args=[reported.pk])).content.decode()
    member_actions.do_block(reported, reporter)
    client.force_login(reporter)
    assert client.get(reverse("report", args=["profile", reported.pk])).status_code == 404
    assert client.post(reverse("report", args=["profile", reported.pk]), {"reason": "spam"}).status_code == 404


def test_the_queue_shows_only_what_the_reportable_exposes(client, moderator_user, reported, reporter):
    actions.do_report(reporter, reported, Reason.SPAM, "リンクが怪しい")
    item = Item.objects.get()
    client.force_login(moderator_user)
    queue = client.get(reverse("moderation_queue")).content.decode()
    assert reverse("moderation_item", args=[item.pk]) in queue
    page = client.get(reverse("moderation_item", args=[item.pk])).content.decode()
    assert "投資セミナーに来てください" in page and "リンクが怪しい" in page
    assert "秘密商事" not in page  # HR-only on the profile: not part of what moderators see
    assert reported.email not in page


def test_moderators_do_not_see_items_about_themselves(client, moderator_user, reporter):
    actions.do_report(reporter, moderator_user, Reason.HARASSMENT)
    item = Item.objects.get()
    client.force_login(moderator_user)
    assert reverse("moderation_item", args=[item.pk]) not in client.get(reverse("moderation_queue")).content.decode()
    assert client.get(reverse("moderation_item", args=[item.pk])).status_code == 404


def test_filters_by_state_and_kind(client, moderator_user, reporter):
    reported, held = MemberFactory(), MemberFactory()
    actions.do_report(reporter, reported, Reason.SPAM)
    actions.do_hold(held, ["ＦＸ"])
    client.force_login(moderator_user)
    reported_item = Item.objects.get(object_id=reported.pk)
    held_item = Item.objects.get(object_id=held.pk)

    def listed(**filters):
        page = client.get(reverse("moderation_queue"), filters).content.decode()
        return {pk for pk in (reported_item.pk, held_item.pk) if reverse("moderation_item", args=[pk]) in page}

    assert listed() == {reported_item.pk, held_item.pk}
    assert listed(state="held") == {held_item.pk}
    assert listed(state="reported", kind="profile") == {reported_item.pk}
    assert listed(state="resolved") == set()


def test_warning_tells_the_member_why_but_never_who_reported(client, moderator_user, reported, reporter):
    actions.do_report(reporter, reported, Reason.SOLICITATION, "勧誘です")
    item = Item.objects.get()
    client.force_login(moderator_user)
    response = client.post(reverse("moderation_item", args=[item.pk]),
                           {"outcome": "warn", "reason": "ガイドライン第3条（勧誘の禁止）に反しています。"})
    assert response.url == reverse("moderation_queue")
    to_member = OutboxEmail.objects.get(to="reported@example.jp")
    assert "ガイドライン第3条" in to_member.body_text
    for trace in ("報告 花子", "reporter@example.jp", "勧誘です"):
        assert trace not in to_member.body_text and trace not in to_member.subject
    to_reporter = OutboxEmail.objects.get(to="reporter@example.jp")
    assert "対応しました" in to_reporter.body_text
    assert "問題 太郎" not in to_reporter.body_text and "ガイドライン第3条" not in to_reporter.body_text
    item.refresh_from_db()
    assert (item.state, item.outcome, item.resolved_by) == (Item.State.RESOLVED, "warn", moderator_user)
    entry = AuditLog.objects.get(action="moderation.warn")
    assert entry.actor == moderator_user and entry.detail["reason"].startswith("ガイドライン第3条")


def test_the_reported_member_sees_nothing_of_the_report(client, reported, reporter):
    actions.do_report(reporter, reported, Reason.HARASSMENT, "ひどい言葉")
    client.force_login(reported)
    for url in (reverse("member_profile", args=[reported.pk]), reverse("home"), reverse("account_data_json")):
        page = client.get(url).content.decode()
        assert "報告 花子" not in page and "ひどい言葉" not in page
    assert client.get(reverse("moderation_queue")).status_code == 403
    assert not OutboxEmail.objects.filter(to="reported@example.jp").exists()


def test_dismissing_tells_only_the_reporter(moderator_user, reported, reporter):
    actions.do_report(reporter, reported, Reason.SPAM)
    actions.do_moderate(moderator_user, Item.objects.get(), "dismiss", "")
    assert not OutboxEmail.objects.filter(to="reported@example.jp").exists()
    assert "反する点は見つかりませんでした" in OutboxEmail.objects.get(to="reporter@example.jp").body_text


def test_a_reason_is_required_when_the_member_is_told(client, moderator_user, reported, reporter):
    actions.do_report(reporter, reported, Reason.SPAM)
    item = Item.objects.get()
    client.force_login(moderator_user)
    page = client.post(reverse("moderation_item", args=[item.pk]), {"outcome": "warn", "reason": " "})
    assert "理由を入力してください" in page.content.decode()
    assert Item.objects.get().is_open


def test_remove_and_suspend_a_profile_never_touch_the_members_own_hidden_setting(moderator_user, reporter,
                                                                                  admin_user):
    removed, suspended, hides_themselves = MemberFactory(), MemberFactory(email="s@example.jp"), MemberFactory()
    member_actions.do_update_profile(removed, {"bio": "宣伝です", "links": ["https://spam.example/"]})
    member_actions.do_set_hidden(hides_themselves, True)
    for member in (removed, suspended, hides_themselves):
        actions.do_report(reporter, member, Reason.SPAM)
    item_of = {m.pk: Item.objects.get(object_id=m.pk) for m in (removed, suspended, hides_themselves)}
    # "Hide" would set the member's own "hide me from the directory": it is not offered for a profile.
    assert "hide" not in actions.available_outcomes(item_of[removed.pk])
    actions.do_moderate(moderator_user, item_of[removed.pk], "remove", "自己紹介を削除しました")
    actions.do_moderate(moderator_user, item_of[suspended.pk], "suspend", "繰り返しの勧誘のため")
    actions.do_moderate(moderator_user, item_of[hides_themselves.pk], "suspend", "繰り返しの勧誘のため")
    removed.profile.refresh_from_db()
    assert removed.profile.bio == "" and removed.profile.links == [] and not removed.profile.hidden
    assert AuditLog.objects.filter(action="member.suspend", actor=moderator_user).exists()
    for member, hidden in ((suspended, False), (hides_themselves, True)):
        member.refresh_from_db()
        assert member.state == State.SUSPENDED
        member_actions.do_reactivate(admin_user, member)
        assert Profile.objects.filter(user=member, hidden=True).exists() is hidden  # as the member chose it
    assert "停止" in OutboxEmail.objects.filter(to="s@example.jp").first().body_text


def test_staff_cannot_be_suspended_from_the_queue(moderator_user, reporter, admin_user):
    other_moderator = MemberFactory(role=Role.MODERATOR)
    actions.do_report(reporter, other_moderator, Reason.HARASSMENT)
    with pytest.raises(Exception, match="人事と運営担当"):
        actions.do_moderate(moderator_user, Item.objects.get(), "suspend", "理由")


def test_withdrawal_removes_the_members_reports_and_the_items_about_their_profile(moderator_user, reporter):
    reported = MemberFactory()
    actions.do_report(reporter, reported, Reason.SPAM)
    other = MemberFactory()
    actions.do_report(reporter, other, Reason.SPAM)
    member_actions.do_withdraw(reported, reported)
    assert not Item.objects.filter(object_id=reported.pk, kind="profile").exists()
    member_actions.do_withdraw(reporter, reporter)
    assert not Report.objects.exists()


def test_chat_context_is_shown_instead_of_the_object(client, moderator_user, reporter):
    """A kind that registers `context` (chat's messages) shows those lines and nothing else."""
    from kizuna.core.models import Department

    department = Department.objects.create(name="見本", path="見本")
    author = MemberFactory()
    lines = [{"author": "A", "text": "前のメッセージ", "created_at": None, "reported": False},
             {"author": "B", "text": "報告されたメッセージ", "created_at": None, "reported": True}]
    registry.register(Reportable(kind="zz-message", model=Department, label="Message", owner=lambda obj: author,
                                 excerpt=lambda obj: "見せてはいけない全文", url=lambda obj: None,
                                 visible_to=lambda user, obj: True, context=lambda obj: lines))
    try:
        actions.do_report(reporter, department, Reason.HARASSMENT)
        client.force_login(moderator_user)
        page = client.get(reverse("moderation_item", args=[Item.objects.get().pk])).content.decode()
        assert "報告されたメッセージ" in page and "前のメッセージ" in page
        assert "見せてはいけない全文" not in page
    finally:
        registry._kinds.pop("zz-message")


def test_the_queue_page_queries_are_bounded(client, moderator_user, django_assert_max_num_queries):
    for _ in range(15):
        actions.do_report(MemberFactory(), MemberFactory(), Reason.SPAM)
    client.force_login(moderator_user)
    client.get(reverse("moderation_queue"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("moderation_queue")).status_code == 200
