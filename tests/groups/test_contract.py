"""The interfaces the feed and chat build on (CONTRACTS.md)."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from kizuna.groups import access, sections
from kizuna.groups.models import Group, Membership
from kizuna.groups.sections import GroupSection
from kizuna.members.models import Role

from ..factories import MemberFactory
from .helpers import add_member, make_group

pytestmark = pytest.mark.django_db


def test_member_group_ids_lists_confirmed_memberships_in_one_query(django_assert_num_queries):
    member = MemberFactory()
    joined = make_group(name="関西支部", kind=Group.Kind.REGION)
    add_member(joined, member)
    closed = make_group(name="営業部OB・OG会", privacy=Group.Privacy.CLOSED)
    from kizuna.groups.actions import do_join

    do_join(member, closed)  # only a request
    fresh = type(member).objects.get(pk=member.pk)
    with django_assert_num_queries(1):
        assert access.member_group_ids(fresh) == {joined.pk}
        assert access.member_group_ids(fresh) == {joined.pk}  # kept for the request


def test_secret_groups_exist_only_for_members_invitees_and_admins(admin_user):
    owner, invitee, outsider = MemberFactory(), MemberFactory(), MemberFactory()
    secret = make_group(owner, name="秘密の会", privacy=Group.Privacy.SECRET)
    from kizuna.groups.actions import do_invite

    do_invite(owner, secret, invitee)
    assert secret in access.visible_groups(owner)
    assert secret in access.visible_groups(invitee)
    assert secret in access.visible_groups(admin_user)
    assert secret not in access.visible_groups(outsider)
    with pytest.raises(Http404):
        access.access_group(outsider, secret.slug)
    assert access.access_group(owner, secret.slug) == secret
    assert access.is_group_member(owner, secret) and access.is_group_admin(owner, secret)
    assert not access.is_group_member(invitee, secret)


def test_reading_a_group(admin_user):
    owner, outsider = MemberFactory(), MemberFactory()
    open_group = make_group(owner, name="写真部")
    closed = make_group(owner, name="経理OB会", privacy=Group.Privacy.CLOSED)
    assert access.may_read(outsider, open_group)
    assert not access.may_read(outsider, closed)
    assert access.may_read(owner, closed) and access.may_read(admin_user, closed)


def test_sections_are_shown_in_order_to_readers_only():
    owner, outsider = MemberFactory(), MemberFactory()
    closed = make_group(owner, name="経理OB会", privacy=Group.Privacy.CLOSED)
    sections.register(GroupSection("zz-test", "Test", "groups/group_detail.html",
                                   lambda request, group: {"answer": group.pk}, order=999))
    try:
        request = RequestFactory().get("/")
        request.user = owner
        shown = sections.sections_for(request, closed)
        assert shown[-1][0].key == "zz-test" and shown[-1][1] == {"group": closed, "answer": closed.pk}
        request.user = outsider
        assert sections.sections_for(request, closed) == []
    finally:
        sections._sections.pop("zz-test")


def test_creator_is_group_admin_and_membership_fields():
    owner = MemberFactory(role=Role.EMPLOYEE)
    group = make_group(owner)
    membership = Membership.objects.get(group=group, user=owner)
    assert (membership.role, membership.state) == (Membership.Role.ADMIN, Membership.State.MEMBER)
    assert membership.created_at is not None
    assert group.slug and group.kind == Group.Kind.INTEREST and group.privacy == Group.Privacy.OPEN
