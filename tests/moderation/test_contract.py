"""The moderation interfaces the feed and chat build on (CONTRACTS.md), tried on the profile reportable."""

import pytest
from django.core.exceptions import ValidationError

from kizuna.moderation import actions, registry
from kizuna.moderation.models import Item, Reason, Report
from kizuna.moderation.ratelimit import check_rate

from ..factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_profile_is_registered():
    reportable = registry.get("profile")
    member = MemberFactory()
    assert registry.for_object(member) is reportable
    assert reportable.owner(member) == member


def test_report_once_per_member_and_object():
    reporter, reported = MemberFactory(), MemberFactory()
    actions.do_report(reporter, reported, Reason.HARASSMENT, "言葉がきつい")
    with pytest.raises(ValidationError, match="すでに報告済み"):
        actions.check_report(reporter, reported, Reason.SPAM)
    actions.do_report(MemberFactory(), reported, Reason.SPAM)
    item = Item.objects.get(kind="profile", object_id=reported.pk)
    assert item.report_count == 2 and item.state == Item.State.REPORTED
    assert Report.objects.filter(item=item).count() == 2


def test_report_needs_a_known_reason_and_not_own_content():
    member = MemberFactory()
    with pytest.raises(ValidationError):
        actions.check_report(MemberFactory(), member, "nonsense")
    with pytest.raises(ValidationError, match="自分の投稿"):
        actions.check_report(member, member, Reason.SPAM)


def test_screen_folds_japanese_width_and_kana():
    actions.do_add_word(None, "ネットワークビジネス")
    actions.do_add_word(None, "ＦＸ")
    assert actions.screen("副業で ねっとわーくびじねす を始めませんか") == ["ネットワークビジネス"]
    assert actions.screen("fx 投資") == ["ＦＸ"]
    assert actions.screen("今日の勉強会は楽しかった") == []


def test_hold_hides_and_approve_shows_again(moderator_user):
    """A kind that can be hidden (the feed's posts): held until a moderator approves it."""
    from kizuna.core.models import Department
    from kizuna.moderation.registry import Reportable

    author, post = MemberFactory(), Department.objects.create(name="投稿", path="投稿")
    hidden = {}
    registry.register(Reportable(kind="zz-post", model=Department, label="Post", owner=lambda obj: author,
                                 excerpt=lambda obj: obj.name, url=lambda obj: None,
                                 visible_to=lambda user, obj: True,
                                 set_hidden=lambda obj, value: hidden.__setitem__(obj.pk, value)))
    try:
        item = actions.do_hold(post, ["ＦＸ"])
        assert hidden[post.pk] and item.state == Item.State.HELD and item.held_words == ["ＦＸ"]
        actions.do_moderate(moderator_user, item, Item.Outcome.APPROVED, "問題ありません")
        assert not hidden[post.pk]
    finally:
        registry._kinds.pop("zz-post")


def test_check_rate_refuses_over_the_limit():
    member = MemberFactory()
    for _ in range(3):
        check_rate(member, "post", limit=3, per_seconds=60)
    with pytest.raises(ValidationError, match="操作が続いています"):
        check_rate(member, "post", limit=3, per_seconds=60)
    check_rate(MemberFactory(), "post", limit=3, per_seconds=60)  # counted per member
