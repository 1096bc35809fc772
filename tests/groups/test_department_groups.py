"""Department groups filled from members' last department: in the background when turned on, again by
housekeeping for members who join later or change department, never re-adding someone who left."""

import pytest

from kizuna.core.actions import ensure_department
from kizuna.core.tasks import housekeeping
from kizuna.groups import actions
from kizuna.groups.models import Group, Membership
from kizuna.members.models import State, User

from ..factories import MemberFactory
from .helpers import make_group

pytestmark = pytest.mark.django_db


def _in(group):
    return set(Membership.objects.filter(group=group, state="member").values_list("user__name", flat=True))


def _move(member, department):
    User.objects.filter(pk=member.pk).update(department=department)


def test_filling_takes_the_department_and_its_sub_departments(admin_user, django_capture_on_commit_callbacks):
    tokyo, osaka = ensure_department("営業本部/東京営業部"), ensure_department("営業本部/大阪営業部")
    dev = ensure_department("開発本部")
    MemberFactory(name="東京さん", department=tokyo)
    MemberFactory(name="大阪さん", department=osaka)
    MemberFactory(name="開発さん", department=dev)
    MemberFactory(name="保留さん", department=tokyo, state=State.PENDING)
    with django_capture_on_commit_callbacks(execute=True) as enqueued:  # the fill task runs after commit
        group = make_group(admin_user, name="営業本部OB・OG会", kind=Group.Kind.DEPARTMENT,
                           department=tokyo.parent, auto_fill=True)
    assert len(enqueued) == 1
    assert _in(group) == {admin_user.name, "東京さん", "大阪さん"}


def test_later_members_changes_and_leavers(admin_user):
    sales, dev = ensure_department("営業本部"), ensure_department("開発本部")
    mover = MemberFactory(name="異動さん", department=sales)
    leaver = MemberFactory(name="退会さん", department=sales)
    group = make_group(admin_user, kind=Group.Kind.DEPARTMENT, department=sales, auto_fill=True)
    actions.do_fill_department_group(group.pk)
    actions.do_leave(leaver, group)
    MemberFactory(name="新人さん", department=sales)
    _move(mover, dev)
    housekeeping.call()
    assert _in(group) == {admin_user.name, "新人さん"}  # the mover is out, the leaver stays out
    assert Membership.objects.get(group=group, user=leaver).state == Membership.State.LEFT
    _move(mover, sales)
    actions.do_fill_department_group(group.pk)
    assert "異動さん" in _in(group)


def test_members_who_joined_by_themselves_stay_when_they_move(admin_user):
    sales, dev = ensure_department("営業本部"), ensure_department("開発本部")
    group = make_group(admin_user, kind=Group.Kind.DEPARTMENT, department=sales, auto_fill=True)
    guest = MemberFactory(name="ゲストさん", department=dev)
    actions.do_join(guest, group)
    actions.do_fill_department_group(group.pk)
    assert "ゲストさん" in _in(group)


def test_filling_works_in_batches(admin_user, monkeypatch):
    sales = ensure_department("営業本部")
    for i in range(7):
        MemberFactory(name=f"営業{i}", department=sales)
    monkeypatch.setattr(actions, "FILL_BATCH", 3)
    group = make_group(admin_user, kind=Group.Kind.DEPARTMENT, department=sales, auto_fill=True)
    assert actions.do_fill_department_group(group.pk) == 7
    assert len(_in(group)) == 8
