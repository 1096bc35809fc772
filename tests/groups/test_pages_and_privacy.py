"""The group list and page as members see them: search with Japanese folding, secret groups, member lists
that respect blocks, hiding, suspension, withdrawal and profile visibility; the API agrees."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.groups import actions, sections
from kizuna.groups.models import Group
from kizuna.groups.sections import GroupSection
from kizuna.members import actions as member_actions
from kizuna.members.models import Role

from ..factories import MemberFactory
from .helpers import make_group

pytestmark = pytest.mark.django_db


def test_search_folds_width_and_kana(client):
    make_group(name="エンジニア勉強会", slug="engineers")
    make_group(name="関西支部", kind=Group.Kind.REGION, slug="kansai")
    client.force_login(MemberFactory())
    for query in ("ｴﾝｼﾞﾆｱ", "えんじにあ", "勉強　会"):
        page = client.get(reverse("group_list"), {"q": query}).content.decode()
        assert "エンジニア勉強会" in page and "関西支部" not in page, query
    page = client.get(reverse("group_list"), {"kind": "region"}).content.decode()
    assert "関西支部" in page and "エンジニア勉強会" not in page
    api = json.loads(client.get("/api/v1/groups", {"q": "ｴﾝｼﾞﾆｱ"}).content)
    assert [g["slug"] for g in api["results"]] == ["engineers"]


def test_my_groups(client):
    member = MemberFactory()
    joined, other = make_group(name="写真部", slug="photo"), make_group(name="釣り部", slug="fishing")
    actions.do_join(member, joined)
    client.force_login(member)
    page = client.get(reverse("group_list"), {"show": "mine"}).content.decode()
    assert "写真部" in page and "釣り部" not in page
    mine = json.loads(client.get("/api/v1/groups", {"mine": "true"}).content)["results"]
    assert [g["slug"] for g in mine] == [joined.slug] and other.slug != joined.slug


def test_a_secret_group_never_shows_to_outsiders(admin_client):
    client = Client()
    slug = make_group(name="再入社メンバーの会", privacy=Group.Privacy.SECRET, slug="boomerang").slug
    client.force_login(MemberFactory())
    assert "再入社メンバーの会" not in client.get(reverse("group_list")).content.decode()
    assert "再入社メンバーの会" not in client.get(reverse("group_list"), {"q": "再入社"}).content.decode()
    assert client.get(reverse("group_detail", args=[slug])).status_code == 404
    assert client.get(reverse("group_members", args=[slug])).status_code == 404
    assert client.get(f"/api/v1/groups/{slug}").status_code == 404
    assert slug not in client.get("/api/v1/groups").content.decode()
    assert "再入社メンバーの会" in admin_client.get(reverse("group_list")).content.decode()


def test_a_closed_group_shows_its_description_but_not_its_members_to_outsiders(client):
    owner = MemberFactory(name="岩崎 裕美子")
    make_group(owner, name="経理OB会", privacy=Group.Privacy.CLOSED, slug="accounting", description="経理部の会です")
    client.force_login(MemberFactory())
    page = client.get(reverse("group_detail", args=["accounting"])).content.decode()
    assert "経理部の会です" in page and "岩崎 裕美子" not in page
    assert client.get(reverse("group_members", args=["accounting"])).status_code == 403


def test_the_member_list_hides_blocked_hidden_suspended_and_withdrawn_members(client, admin_user):
    viewer = MemberFactory(name="閲覧 者")
    group = make_group(viewer, slug="g")
    names = {key: MemberFactory(name=f"{key} さん") for key in ("shown", "blocker", "blocked", "hidden",
                                                                  "suspended", "withdrawn")}
    for member in names.values():
        actions.do_join(member, group)
    member_actions.do_block(names["blocker"], viewer)
    member_actions.do_block(viewer, names["blocked"])
    member_actions.do_set_hidden(names["hidden"], True)
    member_actions.do_suspend(admin_user, names["suspended"])
    member_actions.do_withdraw(names["withdrawn"], names["withdrawn"])
    client.force_login(viewer)
    for url in (reverse("group_detail", args=["g"]), reverse("group_members", args=["g"])):
        page = client.get(url).content.decode()
        assert "shown さん" in page
        for key in ("blocker", "blocked", "hidden", "suspended", "withdrawn"):
            assert f"{key} さん" not in page, (url, key)
    client.force_login(names["hidden"])  # a hidden member still sees themselves
    assert "hidden さん" in client.get(reverse("group_members", args=["g"])).content.decode()
    counted = json.loads(client.get("/api/v1/groups/g").content)["member_count"]
    assert counted == 5  # the blocks are not theirs and they count themselves; suspended and withdrawn do not


def test_member_counts_are_what_the_viewer_may_see(client, admin_user):
    viewer = MemberFactory(name="閲覧 者")
    group = make_group(viewer, slug="g")
    members = {key: MemberFactory(name=f"{key} さん") for key in ("shown", "blocker", "blocked", "hidden",
                                                                    "suspended", "withdrawn")}
    for member in members.values():
        actions.do_join(member, group)
    member_actions.do_block(members["blocker"], viewer)
    member_actions.do_block(viewer, members["blocked"])
    member_actions.do_set_hidden(members["hidden"], True)
    member_actions.do_suspend(admin_user, members["suspended"])
    member_actions.do_withdraw(members["withdrawn"], members["withdrawn"])
    client.force_login(viewer)
    assert "メンバー 2人" in client.get(reverse("group_detail", args=["g"])).content.decode()
    assert "メンバー 2人" in client.get(reverse("group_list")).content.decode()
    assert json.loads(client.get("/api/v1/groups/g").content)["member_count"] == 2
    assert json.loads(client.get("/api/v1/groups").content)["results"][0]["member_count"] == 2


def test_the_member_list_shows_only_what_the_profile_lets_the_viewer_see(client):
    owner = MemberFactory(role=Role.EMPLOYEE)
    group = make_group(owner, slug="g")
    alumnus = MemberFactory(name="山田 太郎")
    member_actions.do_update_profile(alumnus, {"current_company": "秘密商事", "current_title": "部長"},
                                     visibility={"current_company": "alumni", "current_title": "members"})
    actions.do_join(alumnus, group)
    client.force_login(owner)  # an employee: the alumni-only company is not for them
    page = client.get(reverse("group_members", args=["g"])).content.decode()
    assert "部長" in page and "秘密商事" not in page


def test_list_and_page_queries_are_bounded(client, django_assert_max_num_queries):
    viewer = MemberFactory()
    groups = [make_group(name=f"勉強会{i}", slug=f"g{i}") for i in range(12)]
    for i in range(30):
        member = MemberFactory()
        member_actions.do_update_profile(member, {"current_company": "株式会社テスト", "skills": ["Python"]})
        actions.do_join(member, groups[i % 3])
    client.force_login(viewer)
    client.get(reverse("group_list"))  # warm the session and settings caches
    with django_assert_max_num_queries(12):
        assert client.get(reverse("group_list")).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(reverse("group_detail", args=["g0"])).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(reverse("group_members", args=["g0"])).status_code == 200


def test_registered_sections_appear_for_readers(client):
    owner = MemberFactory()
    make_group(owner, privacy=Group.Privacy.CLOSED, slug="g")
    sections.register(GroupSection("zz-test", "Test", "groups/group_head.html", lambda request, group: {},
                                   order=999))
    try:
        client.force_login(owner)
        assert 'id="section-zz-test"' in client.get(reverse("group_detail", args=["g"])).content.decode()
        client.force_login(MemberFactory())
        assert 'id="section-zz-test"' not in client.get(reverse("group_detail", args=["g"])).content.decode()
    finally:
        sections._sections.pop("zz-test")
