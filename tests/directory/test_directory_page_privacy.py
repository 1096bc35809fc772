"""What a member hid never reaches another viewer through the directory: not on the page, not in the htmx
partial, not in HR's export, and searching for it finds nothing. Hidden, blocked, suspended and withdrawn
members are never listed."""

import datetime

import pytest
from asgiref.sync import async_to_sync

from kizuna.members import actions
from kizuna.members.models import Role, Visibility

from ..factories import MemberFactory, with_totp
from .helpers import member_with_profile

pytestmark = pytest.mark.django_db

URL = "/members/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "directory-results"}
OWNER = "秘密 太郎"

# Who sees a value at each level (the owner always does).
SEEN = {
    Visibility.MEMBERS: {"alumni", "employee", "admin"},
    Visibility.ALUMNI: {"alumni", "admin"},
    Visibility.EMPLOYEES: {"employee", "admin"},
    Visibility.ADMINS: {"admin"},
    Visibility.ME: set(),
}
# field, value given, text that would show it (on the card, in the export), a search that would find it,
# and whether the card shows it at all (bio and skills are only in the export and the search).
FIELDS = [
    ("current_company", "株式会社ひみつ商会", "ひみつ商会", "ひみつ商会", True),
    ("current_title", "極秘プロジェクト室長", "極秘プロジェクト室長", "極秘", True),
    ("location", "JP-47", "沖縄県", "沖縄", True),
    ("purposes", ["mentor"], "メンター", None, True),
    ("left_on", datetime.date(1999, 3, 1), "1999", None, True),
    ("bio", "趣味は盆栽です", "盆栽", "盆栽", False),
    ("skills", ["Kubernetes"], "Kubernetes", "kubernetes", False),
]


async def _read(response):
    return b"".join([chunk async for chunk in response.streaming_content])


def cards(html):
    """The result cards alone (the filters list every purpose and place, whoever has them)."""
    return html[html.index('<ol class="member-cards"'):html.index("</ol>")] if "member-cards" in html else ""


def export_text(client, params=None):
    response = client.get("/members/export.csv", params or {})
    assert response.status_code == 200
    return async_to_sync(_read)(response).decode("utf-8")


@pytest.fixture
def viewers(db):
    return {
        "alumni": MemberFactory(role=Role.ALUMNI, name="卒業 一郎", name_kana="そつぎょう いちろう"),
        "employee": MemberFactory(role=Role.EMPLOYEE, name="社員 二郎", name_kana="しゃいん じろう"),
        "admin": with_totp(MemberFactory(role=Role.ADMIN, name="人事 三郎", name_kana="じんじ さぶろう")),
    }


@pytest.mark.parametrize("level", list(Visibility))
@pytest.mark.parametrize("field, value, shown, q, on_card", FIELDS, ids=[f[0] for f in FIELDS])
def test_a_value_reaches_exactly_those_who_may_see_it(client, viewers, level, field, value, shown, q, on_card):
    member_with_profile(OWNER, "ひみつ たろう", visibility={field: level}, **{field: value})
    for role, viewer in viewers.items():
        client.force_login(viewer)
        seen = role in SEEN[level]
        page = cards(client.get(URL, {"q": "ひみつ たろう"}).content.decode())
        partial = cards(client.get(URL, {"q": "ひみつ たろう"}, **HTMX).content.decode())
        assert OWNER in page and OWNER in partial, role  # the owner is listed, by name
        for html in (page, partial):
            if seen and on_card:
                assert shown in html, (role, level)
            elif not seen:
                assert shown not in html, (role, level)
        if q:
            found = cards(client.get(URL, {"q": q}).content.decode())
            assert (OWNER in found) == seen, (role, level, q)
        if role == "admin":
            assert (shown in export_text(client, {"q": "ひみつ"})) == seen, level
            if q:
                assert (OWNER in export_text(client, {"q": q})) == seen, level


def test_a_purpose_filter_only_uses_purposes_the_viewer_may_see(client, viewers):
    member_with_profile(OWNER, "ひみつ たろう", purposes=["return"], visibility={"purposes": Visibility.ADMINS})
    client.force_login(viewers["alumni"])
    assert OWNER not in client.get(URL, {"purposes": "return"}).content.decode()
    client.force_login(viewers["admin"])
    assert OWNER in client.get(URL, {"purposes": "return"}).content.decode()
    assert OWNER in export_text(client, {"purposes": "return"})


def test_the_owner_is_not_found_by_their_own_only_me_value_either(client):
    owner = member_with_profile(OWNER, "ひみつ たろう", bio="日記のような秘密", visibility={"bio": Visibility.ME})
    client.force_login(owner)
    assert OWNER not in client.get(URL, {"q": "日記"}).content.decode()


def test_hidden_blocked_suspended_and_withdrawn_members_never_appear(client, viewers, admin_user):
    hidden = member_with_profile("隠れ 一郎", "かくれ いちろう")
    blocked = member_with_profile("拒否 四郎", "きょひ しろう")
    suspended = member_with_profile("停止 二郎", "ていし じろう")
    withdrawn = member_with_profile("退会 三郎", "たいかい さぶろう")
    actions.do_set_hidden(hidden, True)
    actions.do_block(blocked, viewers["alumni"])
    actions.do_suspend(admin_user, suspended)
    actions.do_withdraw(withdrawn, admin_user)
    gone = ("隠れ 一郎", "停止 二郎", "退会 三郎")
    for role, viewer in viewers.items():
        client.force_login(viewer)
        for headers in ({}, HTMX):
            html = client.get(URL, **headers).content.decode()
            assert not [name for name in gone if name in html], role
            assert ("拒否 四郎" in html) == (role != "alumni"), role
    client.force_login(viewers["admin"])
    exported = export_text(client)
    assert not [name for name in gone if name in exported]
    assert "拒否 四郎" in exported  # HR was not part of the block


def test_a_block_hides_both_sides_from_each_other(client, viewers):
    alumni = viewers["alumni"]
    other = member_with_profile("鈴木 一", "すずき はじめ")
    actions.do_block(other, alumni)
    client.force_login(alumni)
    assert "鈴木 一" not in client.get(URL).content.decode()
    client.force_login(other)
    assert alumni.name not in client.get(URL).content.decode()
    actions.do_unblock(other, alumni)
    assert alumni.name in client.get(URL).content.decode()
