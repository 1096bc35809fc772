"""A member is found only by what the viewer may see; hidden, blocked and inactive members never."""

import pytest

from kizuna.core.actions import ensure_department
from kizuna.directory.index import reindex_all
from kizuna.members import actions
from kizuna.members.models import Role, Visibility

from ..factories import MemberFactory
from .helpers import found, member_with_profile

# Who sees a value at each level: alumni, employee, admin viewers (the owner always does).
SEEN = {
    Visibility.MEMBERS: {"alumni", "employee", "admin"},
    Visibility.ALUMNI: {"alumni", "admin"},
    Visibility.EMPLOYEES: {"employee", "admin"},
    Visibility.ADMINS: {"admin"},
    Visibility.ME: set(),
}


@pytest.fixture
def viewers(db):
    return {
        "alumni": MemberFactory(role=Role.ALUMNI),
        "employee": MemberFactory(role=Role.EMPLOYEE),
        "admin": MemberFactory(role=Role.ADMIN),
    }


@pytest.mark.parametrize("level", list(Visibility))
@pytest.mark.parametrize("field, value, q", [
    ("current_company", "株式会社ひみつ商会", "ひみつ商会"),
    ("bio", "趣味は盆栽です", "盆栽"),
    ("skills", ["Kubernetes"], "kubernetes"),
    ("location", "JP-47", "沖縄"),
])
def test_a_value_is_searchable_exactly_by_those_who_may_see_it(viewers, level, field, value, q):
    owner = member_with_profile("秘密 太郎", "ひみつ たろう", visibility={field: level}, **{field: value})
    for viewer, viewer_member in viewers.items():
        assert (owner.pk in found(viewer_member, q)) == (viewer in SEEN[level]), (viewer, level)


def test_filters_only_use_values_the_viewer_may_see(viewers):
    department = ensure_department("開発本部/品質保証部")
    owner = MemberFactory(department=department)
    actions.do_update_profile(owner, {"industry": "it", "skills": ["Go"]},
                              visibility={"department": Visibility.ADMINS, "industry": Visibility.ME})
    skill = owner.profile.skills.get()
    alumni, admin = viewers["alumni"], viewers["admin"]
    assert owner.pk not in found(alumni, department=department.parent_id)
    assert owner.pk in found(admin, department=department.parent_id)  # a parent department finds sub-departments
    assert owner.pk not in found(admin, industry="it")                # "only me" is hidden from HR too
    assert owner.pk in found(alumni, skills=[skill.pk])


def test_changing_visibility_takes_effect_at_once(viewers):
    owner = member_with_profile("変更 花子", "へんこう はなこ", current_company="絆ソフト")
    assert owner.pk in found(viewers["alumni"], "絆ソフト")
    actions.do_update_profile(owner, {}, visibility={"current_company": Visibility.EMPLOYEES})
    assert owner.pk not in found(viewers["alumni"], "絆ソフト")
    assert owner.pk in found(viewers["employee"], "絆ソフト")


def test_blocked_members_disappear_both_ways(viewers):
    alumni = viewers["alumni"]
    other = member_with_profile("鈴木 一", "すずき はじめ")
    actions.do_block(other, alumni)
    assert other.pk not in found(alumni, "鈴木")
    assert alumni.pk not in found(other)
    actions.do_unblock(other, alumni)
    alumni.__dict__.pop("_kizuna_blocked_ids", None)  # a new request
    assert other.pk in found(alumni, "鈴木")


def test_hidden_suspended_and_withdrawn_members_never_appear(viewers, admin_user):
    admin = viewers["admin"]
    hidden = member_with_profile("隠れ 一郎", "かくれ いちろう")
    suspended = member_with_profile("停止 二郎", "ていし じろう")
    withdrawn = member_with_profile("退会 三郎", "たいかい さぶろう")
    actions.do_set_hidden(hidden, True)
    actions.do_suspend(admin_user, suspended)
    actions.do_withdraw(withdrawn, admin_user)
    everyone = found(admin)
    assert not {hidden.pk, suspended.pk, withdrawn.pk} & everyone
    actions.do_set_hidden(hidden, False)
    assert hidden.pk in found(admin)


def test_full_reindex_gives_the_same_results(viewers):
    member_with_profile("林 一郎", "はやし いちろう", current_company="ハヤシ商店", visibility={"bio": "admins"},
                        bio="秘密の経歴")
    before = {q: found(viewers["alumni"], q) for q in ("林", "はやし", "経歴", "商店")}
    reindex_all()
    assert {q: found(viewers["alumni"], q) for q in before} == before
    assert before["経歴"] == set()


def test_reindex_command_rebuilds_the_index(viewers):
    from io import StringIO

    from django.core.management import call_command

    from kizuna.directory.models import Entry

    member_with_profile("林 一郎", "はやし いちろう")
    Entry.objects.all().delete()
    assert found(viewers["alumni"], "林") == set()
    out = StringIO()
    call_command("reindex", stdout=out)
    assert "Indexed" in out.getvalue()
    assert len(found(viewers["alumni"], "林")) == 1
