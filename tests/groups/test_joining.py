"""Joining open, closed and secret groups; requests and invitations with their emails; leaving."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kizuna.core.models import OutboxEmail
from kizuna.groups import actions
from kizuna.groups.models import Group, Membership

from ..factories import MemberFactory
from .helpers import make_group

pytestmark = pytest.mark.django_db


def test_an_open_group_is_joined_at_once(client):
    group = make_group(name="ランニング部", slug="running")
    member = MemberFactory()
    client.force_login(member)
    response = client.post(reverse("group_join", args=["running"]), follow=True)
    assert "グループに参加しました" in response.content.decode()
    assert Membership.objects.get(group=group, user=member).state == Membership.State.MEMBER


def test_a_closed_group_takes_a_request_the_admins_are_emailed_and_the_answer_is_emailed_back(client):
    admin = MemberFactory(email="owner@example.jp")
    group = make_group(admin, name="子育てアルムナイの会", privacy=Group.Privacy.CLOSED, slug="parents")
    requester = MemberFactory(email="asks@example.jp", name="小川 春香")
    client.force_login(requester)
    client.post(reverse("group_join", args=["parents"]), {"message": "よろしくお願いします"})
    membership = Membership.objects.get(group=group, user=requester)
    assert membership.state == Membership.State.REQUESTED and membership.message == "よろしくお願いします"
    to_admin = OutboxEmail.objects.get(to="owner@example.jp")
    assert "小川 春香" in to_admin.body_text and "/groups/parents/manage/" in to_admin.body_text
    page = client.get(reverse("group_detail", args=["parents"])).content.decode()
    assert "グループ管理者の承認待ち" in page

    client.force_login(admin)
    client.post(reverse("group_decide", args=["parents", membership.pk]), {"decision": "approve"})
    membership.refresh_from_db()
    assert membership.state == Membership.State.MEMBER
    assert "承認されました" in OutboxEmail.objects.get(to="asks@example.jp").body_text


def test_a_declined_request_is_emailed_and_the_member_may_ask_again(client):
    admin = MemberFactory()
    group = make_group(admin, privacy=Group.Privacy.CLOSED, slug="closed")
    requester = MemberFactory(email="asks@example.jp")
    membership = actions.do_join(requester, group)
    client.force_login(admin)
    client.post(reverse("group_decide", args=["closed", membership.pk]), {"decision": "decline"})
    assert not Membership.objects.filter(group=group, user=requester).exists()
    assert "見送" in OutboxEmail.objects.get(to="asks@example.jp").body_text
    assert actions.do_join(requester, group).state == Membership.State.REQUESTED


def test_a_secret_group_is_joined_only_by_invitation(client):
    admin = MemberFactory(name="人事 花子")
    group = make_group(admin, name="再入社メンバーの会", privacy=Group.Privacy.SECRET)
    invitee, outsider = MemberFactory(email="invited@example.jp"), MemberFactory()
    with pytest.raises(ValidationError, match="招待を受けた方だけ"):
        actions.do_join(outsider, group)
    client.force_login(outsider)
    assert client.post(reverse("group_join", args=[group.slug])).status_code == 404
    actions.do_invite(admin, group, invitee)
    mail = OutboxEmail.objects.get(to="invited@example.jp")
    assert "人事 花子" in mail.body_text and "再入社メンバーの会" in mail.subject
    client.force_login(invitee)
    assert "再入社メンバーの会" in client.get(reverse("group_list")).content.decode()  # the invitation
    client.post(reverse("group_join", args=[group.slug]))
    assert Membership.objects.get(group=group, user=invitee).state == Membership.State.MEMBER


def test_declining_an_invitation_makes_a_secret_group_disappear_again(client):
    admin = MemberFactory()
    group = make_group(admin, name="秘密の会", privacy=Group.Privacy.SECRET)
    invitee = MemberFactory()
    actions.do_invite(admin, group, invitee)
    client.force_login(invitee)
    client.post(reverse("group_decline_invitation", args=[group.slug]))
    assert client.get(reverse("group_detail", args=[group.slug])).status_code == 404


def test_leaving_and_the_last_admin(client):
    admin, member = MemberFactory(), MemberFactory()
    group = make_group(admin, slug="g")
    actions.do_join(member, group)
    with pytest.raises(ValidationError, match="唯一の管理者"):
        actions.do_leave(admin, group)
    client.force_login(member)
    client.post(reverse("group_leave", args=["g"]))
    assert not Membership.objects.filter(group=group, user=member).exists()


def test_group_admins_change_roles_and_remove_members_but_members_cannot(client):
    admin, member, other = MemberFactory(), MemberFactory(), MemberFactory()
    group = make_group(admin, slug="g")
    membership = actions.do_join(member, group)
    actions.do_join(other, group)
    client.force_login(other)
    assert client.post(reverse("group_member_role", args=["g", membership.pk]), {"role": "admin"}).status_code == 403
    client.force_login(admin)
    client.post(reverse("group_member_role", args=["g", membership.pk]), {"role": "admin"})
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN
    client.force_login(member)  # now a group admin
    assert client.get(reverse("group_manage", args=["g"])).status_code == 200
    other_membership = Membership.objects.get(group=group, user=other)
    client.post(reverse("group_member_remove", args=["g", other_membership.pk]))
    assert not Membership.objects.filter(pk=other_membership.pk).exists()


def test_inviting_finds_members_through_the_directory_only(client):
    """The invite search uses the directory: a member hidden from it (or blocked) is not offered."""
    from kizuna.members.actions import do_block, do_set_hidden

    admin = MemberFactory()
    make_group(admin, slug="g")
    shown = MemberFactory(name="木村 和彦")
    hidden = MemberFactory(name="木村 直子")
    blocker = MemberFactory(name="木村 健")
    do_set_hidden(hidden, True)
    do_block(blocker, admin)
    client.force_login(admin)
    page = client.get(reverse("group_manage", args=["g"]), {"q": "木村"}).content.decode()
    assert shown.name in page and hidden.name not in page and blocker.name not in page
