"""Blocking from a profile page: both members lose each other's page and photo; unblocking brings them back."""

import pytest
from django.urls import reverse

from kizuna.members import actions
from kizuna.members.models import Block, Role

from ..factories import MemberFactory
from .profiles import client_for, give_photo

pytestmark = pytest.mark.django_db


def profile_url(member):
    return reverse("member_profile", args=[member.pk])


@pytest.fixture
def pair(db):
    me, other = MemberFactory(name="鈴木 一郎"), MemberFactory(name="佐藤 次郎", role=Role.EMPLOYEE)
    give_photo(me)
    give_photo(other)
    return me, other


def test_blocking_hides_both_pages_and_photos_from_both(pair):
    me, other = pair
    mine, theirs = client_for(me), client_for(other)
    page = mine.get(profile_url(other)).content.decode()
    assert "このメンバーをブロック" in page
    response = mine.post(reverse("member_block", args=[other.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("block_list")
    for client, member in ((mine, other), (theirs, me)):
        assert client.get(profile_url(member)).status_code == 404
        assert client.get(reverse("member_photo", args=[member.pk])).status_code == 404
    blocks = mine.get(reverse("block_list")).content.decode()
    assert "佐藤 次郎" in blocks and "ブロックを解除" in blocks
    assert "鈴木 一郎" not in theirs.get(reverse("block_list")).content.decode()  # they are not told


def test_unblocking_shows_both_again(pair):
    me, other = pair
    actions.do_block(me, other)
    mine = client_for(me)
    response = mine.post(reverse("member_unblock", args=[other.pk]))
    assert response.status_code == 302
    assert not Block.objects.exists()
    assert mine.get(profile_url(other)).status_code == 200
    assert client_for(other).get(profile_url(me)).status_code == 200
    assert "ブロックしているメンバーはいません" in mine.get(reverse("block_list")).content.decode()


def test_only_the_one_who_blocked_can_unblock(pair):
    me, other = pair
    actions.do_block(me, other)
    assert client_for(other).post(reverse("member_unblock", args=[me.pk])).status_code == 404
    assert Block.objects.filter(blocker=me, blocked=other).exists()


def test_the_blocked_side_cannot_block_back_through_the_hidden_page(pair):
    me, other = pair
    actions.do_block(me, other)
    assert client_for(other).post(reverse("member_block", args=[me.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MODERATOR])
def test_hr_and_moderators_cannot_be_blocked(role):
    me, staff = MemberFactory(), MemberFactory(role=role)
    client = client_for(me)
    assert "このメンバーをブロック" not in client.get(profile_url(staff)).content.decode()
    response = client.post(reverse("member_block", args=[staff.pk]), follow=True)
    assert "人事と運営担当はブロックできません" in response.content.decode()
    assert not Block.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MODERATOR])
def test_hr_and_moderators_cannot_block(role):
    staff, member = MemberFactory(role=role), MemberFactory()
    client = client_for(staff)
    assert "このメンバーをブロック" not in client.get(profile_url(member)).content.decode()
    response = client.post(reverse("member_block", args=[member.pk]), follow=True)
    assert "人事と運営担当はメンバーをブロックできません" in response.content.decode()
    assert not Block.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MODERATOR])
def test_a_member_made_hr_or_moderator_loses_blocks_both_ways(pair, role):
    me, other = pair
    third = MemberFactory(name="高橋 三郎")
    actions.do_block(me, other)
    actions.do_block(third, me)
    admin = MemberFactory(role=Role.ADMIN)
    actions.do_change_role(admin, me, role)
    assert not Block.objects.exists()
    for viewer in (other, third):
        assert client_for(viewer).get(profile_url(me)).status_code == 200


def test_no_block_button_on_ones_own_page():
    me = MemberFactory()
    client = client_for(me)
    assert "このメンバーをブロック" not in client.get(profile_url(me)).content.decode()
    response = client.post(reverse("member_block", args=[me.pk]), follow=True)
    assert "自分自身をブロックすることはできません" in response.content.decode()
