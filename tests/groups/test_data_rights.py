"""A member's groups in their data download; withdrawal takes them out of every group."""

import json

import pytest
from django.urls import reverse

from kizuna.groups import actions
from kizuna.groups.models import Group, Membership
from kizuna.members import actions as member_actions

from ..factories import MemberFactory
from .helpers import make_group

pytestmark = pytest.mark.django_db


def test_the_data_download_lists_the_members_groups(client):
    member = MemberFactory()
    actions.do_join(member, make_group(name="写真部"))
    actions.do_join(member, make_group(name="経理OB会", privacy=Group.Privacy.CLOSED), message="入れてください")
    client.force_login(member)
    data = json.loads(client.get(reverse("account_data_json")).content)
    assert {(g["group"], g["state"]) for g in data["groups"]} == {("写真部", "member"), ("経理OB会", "requested")}
    assert any(g["message"] == "入れてください" for g in data["groups"])


def test_withdrawal_removes_memberships_requests_and_invitations():
    owner, member = MemberFactory(), MemberFactory()
    group = make_group(owner, privacy=Group.Privacy.SECRET)
    actions.do_invite(owner, group, member)
    member_actions.do_withdraw(owner, owner)
    member_actions.do_withdraw(member, member)
    assert not Membership.objects.filter(user__in=[owner, member]).exists()
    group.refresh_from_db()
    assert group.created_by is None
