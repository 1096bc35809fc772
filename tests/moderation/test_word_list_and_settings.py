"""HR's word list (page and matching), the dashboard counts, the guidelines' version, posting limits."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kizuna.core.models import NetworkSettings
from kizuna.moderation import actions
from kizuna.moderation.models import Reason, Word
from kizuna.moderation.ratelimit import check_rate

from ..factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_moderators_manage_the_word_list(client, moderator_user):
    client.force_login(moderator_user)
    client.post(reverse("moderation_words"), {"word": "ネットワークビジネス"})
    assert actions.screen("ねっとわーく びじねす") == ["ネットワークビジネス"]
    page = client.post(reverse("moderation_words"), {"word": "ﾈｯﾄﾜｰｸﾋﾞｼﾞﾈｽ"}).content.decode()
    assert "すでにリストにあります" in page
    word = Word.objects.get()
    client.post(reverse("moderation_word_remove", args=[word.pk]))
    assert actions.screen("ネットワークビジネス") == []


def test_members_cannot_see_the_word_list(client):
    client.force_login(MemberFactory())
    assert client.get(reverse("moderation_words")).status_code == 403


def test_dashboard_counts_reports_and_held_items(admin_client):
    actions.do_report(MemberFactory(), MemberFactory(), Reason.SPAM)
    actions.do_hold(MemberFactory(), ["ＦＸ"])
    page = admin_client.get(reverse("admin_home")).content.decode()
    assert "対応待ちの報告" in page and "禁止語で保留中の投稿" in page


def test_moderators_see_the_waiting_count_in_the_navigation(client, moderator_user):
    actions.do_report(MemberFactory(), MemberFactory(), Reason.SPAM)
    client.force_login(moderator_user)
    page = client.get(reverse("directory")).content.decode()
    assert 'href="/moderation/"' in page and '<span class="badge warn">1</span>' in page
    client.force_login(MemberFactory())
    assert 'href="/moderation/"' not in client.get(reverse("directory")).content.decode()


def test_hr_editing_the_guidelines_makes_members_accept_again(admin_client, alumni_user):
    before = NetworkSettings.load().guidelines_version
    page = admin_client.get(reverse("settings_general")).content.decode()
    assert 'name="guidelines"' in page
    form = {"name": "絆アルムナイ", "invitation_valid_days": "14", "guidelines": "互いを尊重し、勧誘はしません。",
            "privacy_notice": ""}
    admin_client.post(reverse("settings_general"), form)
    assert NetworkSettings.load().guidelines_version == before + 1
    member = Client()
    member.force_login(alumni_user)
    response = member.get(reverse("group_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("guidelines_accept"))


def test_rate_limit_message_in_both_languages():
    member = MemberFactory()
    check_rate(member, "post", limit=1, per_seconds=600)
    with translation.override("en"), pytest.raises(Exception, match=r"Please wait \d+ minutes? and try again"):
        check_rate(member, "post", limit=1, per_seconds=600)
    with translation.override("ja"), pytest.raises(Exception, match=r"\d+分ほど待って"):
        check_rate(member, "post", limit=1, per_seconds=600)


def test_the_next_window_counts_from_zero_and_each_member_separately(monkeypatch):
    from kizuna.moderation import ratelimit

    member, other = MemberFactory(), MemberFactory()
    now = 6_000_000.0  # the start of a 600-second window
    monkeypatch.setattr(ratelimit.time, "time", lambda: now)
    for _ in range(3):
        check_rate(member, "post", limit=3, per_seconds=600)
    with pytest.raises(ValidationError):
        check_rate(member, "post", limit=3, per_seconds=600)
    check_rate(other, "post", limit=3, per_seconds=600)
    now += 600
    for _ in range(3):
        check_rate(member, "post", limit=3, per_seconds=600)
    with pytest.raises(ValidationError):
        check_rate(member, "post", limit=3, per_seconds=600)


def test_reports_are_rate_limited(monkeypatch):
    monkeypatch.setattr(actions, "REPORTS_PER_HOUR", 2)
    reporter = MemberFactory()
    actions.do_report(reporter, MemberFactory(), Reason.SPAM)
    actions.do_report(reporter, MemberFactory(), Reason.SPAM)
    with pytest.raises(Exception, match="操作が続いています"):
        actions.do_report(reporter, MemberFactory(), Reason.SPAM)
