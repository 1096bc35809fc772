"""What a review of the groups app found: departments hidden by their members, secret addresses, blocks in
the admins' lists, double clicks and races, admins in filled groups, and editing department groups."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kizuna.core.actions import ensure_department
from kizuna.groups import access, actions
from kizuna.groups.models import Group, Membership
from kizuna.members import actions as member_actions
from kizuna.members.models import Role

from ..factories import MemberFactory
from .helpers import add_member, make_group

pytestmark = pytest.mark.django_db


def _department_group(admin_user, department, privacy=Group.Privacy.OPEN):
    return make_group(admin_user, name="営業本部 OB/OG会", kind=Group.Kind.DEPARTMENT, department=department,
                      auto_fill=True, privacy=privacy)


def test_the_filling_adds_only_members_whose_department_every_member_sees(admin_user):
    sales = ensure_department("営業本部")
    shown = MemberFactory(name="公開さん", department=sales)
    hidden = MemberFactory(name="非公開さん", department=sales)
    member_actions.do_update_profile(hidden, {}, visibility={"department": "admins"})
    group = _department_group(admin_user, sales)
    actions.do_fill_department_group(group.pk)
    members = set(Membership.objects.filter(group=group, state="member").values_list("user_id", flat=True))
    assert shown.pk in members and hidden.pk not in members
    # Hiding it later takes them out at the next filling; they may still join by themselves.
    member_actions.do_update_profile(shown, {}, visibility={"department": "me"})
    actions.do_fill_department_group(group.pk)
    assert not Membership.objects.filter(group=group, user=shown).exists()
    actions.do_join(hidden, group)
    actions.do_fill_department_group(group.pk)
    assert Membership.objects.get(group=group, user=hidden).state == Membership.State.MEMBER


def test_a_group_admin_added_by_the_filling_stays_after_moving(admin_user):
    sales, dev = ensure_department("営業本部"), ensure_department("開発本部")
    member = MemberFactory(department=sales)
    group = _department_group(admin_user, sales)
    actions.do_fill_department_group(group.pk)
    membership = Membership.objects.get(group=group, user=member)
    actions.do_set_role(admin_user, membership, Membership.Role.ADMIN)
    assert not Membership.objects.get(pk=membership.pk).auto
    type(member).objects.filter(pk=member.pk).update(department=dev)
    actions.do_fill_department_group(group.pk)
    assert Membership.objects.get(pk=membership.pk).role == Membership.Role.ADMIN


def test_secret_groups_get_random_addresses_that_cannot_be_probed():
    owner = MemberFactory()
    secret = make_group(owner, name="kansai", privacy=Group.Privacy.SECRET, slug="kansai")
    assert secret.slug != "kansai" and len(secret.slug) >= 16  # a chosen address is ignored
    # Choosing the secret group's address, or a name that would make it, tells nothing.
    actions.check_group(MemberFactory(), Group(), {"name": "x", "kind": "interest", "privacy": "open",
                                                   "slug": secret.slug})
    same_name = make_group(name="kansai", privacy=Group.Privacy.OPEN)
    assert same_name.slug == "kansai"
    taken = make_group(name="関西", slug=secret.slug)
    assert taken.slug != Group.objects.get(pk=secret.pk).slug  # the secret group moved to a new address
    # Turning a group secret gives it a new random address.
    group = make_group(owner, name="写真部", slug="photo")
    actions.do_save_group(owner, group, {"name": "写真部", "kind": "interest", "privacy": "secret", "slug": "photo"})
    assert group.slug != "photo" and not Group.objects.filter(slug="photo").exists()


def test_requests_and_invitations_from_blocked_members_are_not_listed(client):
    admin = MemberFactory()
    group = make_group(admin, privacy=Group.Privacy.CLOSED, slug="closed")
    asker, invitee = MemberFactory(name="申請 さん"), MemberFactory(name="招待 さん")
    actions.do_join(asker, group)
    actions.do_invite(admin, group, invitee)
    member_actions.do_block(asker, admin)
    member_actions.do_block(admin, invitee)
    assert not access.pending_requests(admin, group).exists()
    assert not access.open_invitations(admin, group).exists()
    client.force_login(admin)
    page = client.get(reverse("group_manage", args=["closed"])).content.decode()
    assert "申請 さん" not in page and "招待 さん" not in page


def test_a_second_join_is_refused_with_a_message_not_an_error(monkeypatch):
    group = make_group()
    member = MemberFactory()
    actions.do_join(member, group)
    monkeypatch.setattr(actions, "check_join", lambda user, group: None)  # as if both clicks were checked
    monkeypatch.setattr(access, "membership_of", lambda user, group: None)
    with pytest.raises(ValidationError, match="すでに"):
        actions.do_join(member, group)


def test_membership_actions_lock_the_group_and_check_the_current_rows(monkeypatch):
    """Two admins acting at once run one after the other; each is checked against the rows as they are."""
    owner = MemberFactory()
    group = make_group(owner)
    second = add_member(group, MemberFactory(), Membership.Role.ADMIN)
    stale = Membership.objects.get(pk=second.pk)
    actions.do_leave(second.user, group)  # meanwhile, the second admin left
    with pytest.raises(ValidationError, match="メンバーではありません"):
        actions.do_set_role(owner, stale, Membership.Role.MEMBER)
    with pytest.raises(ValidationError, match="メンバーではありません"):
        actions.do_remove_member(owner, stale)
    locked = []
    original = actions._lock
    monkeypatch.setattr(actions, "_lock", lambda g: (locked.append(g.pk), original(g)))
    member = MemberFactory()
    membership = actions.do_join(member, group)
    actions.do_set_role(owner, membership, Membership.Role.ADMIN)
    actions.do_leave(member, group)
    assert locked == [group.pk] * 3


def test_a_group_admin_edits_a_department_group_without_changing_its_kind(client, admin_user):
    sales = ensure_department("営業本部")
    group = _department_group(admin_user, sales)
    manager = add_member(group, MemberFactory(role=Role.ALUMNI), Membership.Role.ADMIN).user
    client.force_login(manager)
    response = client.post(reverse("group_edit", args=[group.slug]), {
        "name": "営業本部OB会", "kind": "interest", "privacy": "open", "description": "再会しましょう",
        "slug": group.slug})
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.kind, group.department, group.auto_fill) == (
        "営業本部OB会", Group.Kind.DEPARTMENT, sales, True)


def test_someone_who_left_a_filled_closed_group_may_ask_to_rejoin(client, admin_user):
    sales = ensure_department("営業本部")
    member = MemberFactory(department=sales)
    group = _department_group(admin_user, sales, privacy=Group.Privacy.CLOSED)
    actions.do_fill_department_group(group.pk)
    actions.do_leave(member, group)
    client.force_login(member)
    page = client.get(reverse("group_detail", args=[group.slug])).content.decode()
    assert "参加を申請する" in page or reverse("group_join", args=[group.slug]) in page
    client.post(reverse("group_join", args=[group.slug]), {"message": "また参加したいです"})
    assert Membership.objects.get(group=group, user=member).state == Membership.State.REQUESTED
    actions.do_leave(member, group)  # withdrawing the request: the filling still leaves them out
    actions.do_fill_department_group(group.pk)
    assert Membership.objects.get(group=group, user=member).state == Membership.State.LEFT
