"""What a review of the moderation app found: counts that include items about the reader, moderators
deciding on themselves, races, double reports, free text left after withdrawal and held items of any kind."""

import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from kizuna.core.models import AuditLog
from kizuna.members import actions as member_actions
from kizuna.members.models import Profile, Role
from kizuna.moderation import access, actions, registry
from kizuna.moderation.models import Item, Reason, Report

from ..factories import MemberFactory

pytestmark = pytest.mark.django_db


def _badge(user):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load moderation %}{% moderation_waiting %}").render(Context({"request": request}))


def test_counts_leave_out_items_about_the_reader(moderator_user, admin_user, django_capture_on_commit_callbacks):
    cache.clear()
    other_moderator = MemberFactory(role=Role.MODERATOR)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_report(MemberFactory(), moderator_user, Reason.HARASSMENT)
    assert _badge(moderator_user) == "0" and _badge(other_moderator) == "1"
    with django_capture_on_commit_callbacks(execute=True):  # a new item drops every moderator's count
        actions.do_report(MemberFactory(), MemberFactory(), Reason.SPAM)
        actions.do_report(MemberFactory(), admin_user, Reason.SPAM)
    assert _badge(moderator_user) == "2" and _badge(other_moderator) == "3"
    assert [count for _label, count, _url in access.dashboard_cards(admin_user)] == [2, 0]


def test_a_moderator_cannot_decide_on_themselves_or_on_what_they_reported(moderator_user):
    other_moderator = MemberFactory(role=Role.MODERATOR)
    actions.do_report(MemberFactory(), moderator_user, Reason.HARASSMENT)
    about_me = Item.objects.get()
    with pytest.raises(ValidationError, match="別の運営担当"):
        actions.check_moderate(moderator_user, about_me, "warn", "理由")
    actions.do_report(moderator_user, MemberFactory(), Reason.SPAM)
    reported_by_me = Item.objects.exclude(pk=about_me.pk).get()
    with pytest.raises(ValidationError, match="別の運営担当"):
        actions.do_moderate(moderator_user, reported_by_me, "dismiss", "")
    actions.do_moderate(other_moderator, about_me, "warn", "言葉遣いに注意してください")


def test_the_decision_is_checked_on_the_locked_row(moderator_user):
    """Two moderators on the same item: the second, holding the page they opened before, is refused."""
    other_moderator = MemberFactory(role=Role.MODERATOR)
    actions.do_report(MemberFactory(), MemberFactory(), Reason.SPAM)
    first_view, second_view = Item.objects.get(), Item.objects.get()
    actions.do_moderate(moderator_user, first_view, "dismiss", "")
    with pytest.raises(ValidationError, match="すでに対応済み"):
        actions.do_moderate(other_moderator, second_view, "warn", "理由")
    assert Item.objects.get().outcome == "dismiss"


def test_a_double_report_is_a_message_not_an_error(monkeypatch):
    reporter, reported = MemberFactory(), MemberFactory()
    actions.do_report(reporter, reported, Reason.SPAM)
    monkeypatch.setattr(actions, "check_report", lambda *args: registry.get("profile"))  # both clicks checked
    with pytest.raises(ValidationError, match="すでに報告済み"):
        actions.do_report(reporter, reported, Reason.SPAM)
    assert Report.objects.count() == 1 and Item.objects.get().report_count == 1


def test_a_report_joins_the_item_another_report_opened_meanwhile(monkeypatch):
    reported = MemberFactory()
    actions.do_report(MemberFactory(), reported, Reason.SPAM)
    real_first, missed = QuerySet.first, []

    def first(queryset):  # the other report's item was not there yet when this one looked
        if queryset.model is Item and not missed:
            missed.append(True)
            return None
        return real_first(queryset)

    monkeypatch.setattr(QuerySet, "first", first)
    actions.do_report(MemberFactory(), reported, Reason.HARASSMENT)
    assert missed and Item.objects.get().report_count == 2


def test_withdrawal_blanks_what_was_written_about_the_member(moderator_user, client):
    reported, reporter = MemberFactory(), MemberFactory()
    actions.do_report(reporter, reported, Reason.HARASSMENT, "この人は元同僚の山田さんで…")
    actions.do_moderate(moderator_user, Item.objects.get(), "warn", "山田さんへの警告: 言葉遣い")
    client.force_login(reporter)
    data = json.loads(client.get(reverse("account_data_json")).content)
    assert [r["note"] for r in data["reports"]] == ["この人は元同僚の山田さんで…"]
    member_actions.do_withdraw(reported, reported)
    item = Item.objects.get()
    assert item.resolution_note == "" and Report.objects.get().note == ""
    entry = AuditLog.objects.get(action="moderation.warn")
    assert "reason" not in entry.detail and entry.detail["kind"] == "profile"


def test_held_items_of_any_kind_show_in_the_held_filter_and_are_approved(client, moderator_user):
    member = MemberFactory(name="保留 さん")
    item = actions.do_hold(member, ["ＦＸ"])
    client.force_login(moderator_user)
    assert client.get(reverse("moderation_words")).status_code == 200
    held = client.get(reverse("moderation_queue"), {"state": "held"}).content.decode()
    assert reverse("moderation_item", args=[item.pk]) in held
    page = client.get(reverse("moderation_item", args=[item.pk])).content.decode()
    assert "ＦＸ" in page and 'value="approve"' in page
    client.post(reverse("moderation_item", args=[item.pk]), {"outcome": "approve", "reason": "問題ありません"})
    item.refresh_from_db()
    assert item.outcome == "approve" and not Profile.objects.filter(user=member, hidden=True).exists()
