"""What a profile page shows, how it shows it, and that it costs the same few queries for any profile."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kizuna.core.actions import ensure_department
from kizuna.members import actions
from kizuna.members.models import CustomField, Role

from ..factories import MemberFactory
from .profiles import client_for, give_photo

pytestmark = pytest.mark.django_db


def page_of(client, member, **params):
    response = client.get(reverse("member_profile", args=[member.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def viewer(db):
    return client_for(MemberFactory(role=Role.ALUMNI))


def test_a_full_profile(viewer):
    member = MemberFactory(name="高橋 美咲", name_kana="たかはし みさき", role=Role.ALUMNI,
                           department=ensure_department("営業本部/大阪営業部"))
    give_photo(member)
    actions.do_update_profile(member, {
        "romaji": "Misaki Takahashi", "current_company": "株式会社フューチャー", "current_title": "CTO",
        "industry": "it", "location": "US", "skills": ["Go", "採用"], "bio": "一行目\n二行目 https://misaki.example/",
        "links": ["https://github.com/misaki/"], "languages": ["ja", "en"], "purposes": ["return", "mentor"],
        "joined_on": datetime.date(2012, 4, 1), "left_on": datetime.date(2021, 9, 1),
    })
    osaka, tokyo = ensure_department("営業本部/大阪営業部"), ensure_department("営業本部/東京営業部")
    actions.do_set_career(member, [
        {"department": osaka, "title": "課長", "started_on": datetime.date(2018, 4, 1),
         "ended_on": datetime.date(2021, 9, 1)},
        {"department": tokyo, "title": "主任", "started_on": datetime.date(2012, 4, 1),
         "ended_on": datetime.date(2018, 3, 1)},
    ])
    page = page_of(viewer, member)
    for text in ("高橋 美咲", "たかはし みさき", "Misaki Takahashi", "アルムナイ", "再入社に関心", "メンター",
                 "最終所属部署", "営業本部/大阪営業部", "2012年4月", "2021年9月", "株式会社フューチャー", "CTO",
                 "IT・ソフトウェア", "アメリカ合衆国", "日本語、英語", "2018年4月 – 2021年9月", "営業本部/東京営業部",
                 "主任"):
        assert text in page, text
    assert '<ul class="tags"><li>Go</li><li>採用</li></ul>' in page
    assert "一行目<br>二行目" in page
    assert 'href="https://misaki.example/" rel="nofollow"' in page
    assert '<a href="https://github.com/misaki/" rel="nofollow noopener noreferrer"' in page
    assert ">github.com/misaki</a>" in page
    assert page.index("2018年4月 – 2021年9月") < page.index("2012年4月 – 2018年3月")  # newest first


def test_an_employee_shows_their_current_department_and_staff_their_role(viewer):
    employee = MemberFactory(role=Role.EMPLOYEE, department=ensure_department("開発本部"))
    page = page_of(viewer, employee)
    assert "社員" in page and "<dt>部署</dt>" in page and "最終所属部署" not in page
    hr = MemberFactory(role=Role.ADMIN)
    assert '<span class="badge accent">人事</span>' in page_of(viewer, hr)
    moderator = MemberFactory(role=Role.MODERATOR, left_on=datetime.date(2020, 3, 31))
    page = page_of(viewer, moderator)
    assert "運営担当" in page and "アルムナイ" in page


def test_the_bio_is_plain_text(viewer):
    member = MemberFactory()
    actions.do_update_profile(member, {"bio": '<script>alert("x")</script> <b>太字</b> javascript:alert(1)'})
    page = page_of(viewer, member)
    assert "<script>alert" not in page and "<b>太字</b>" not in page
    assert "&lt;script&gt;" in page and 'href="javascript' not in page


def test_custom_fields_show_in_the_viewers_language(viewer):
    member = MemberFactory()
    university = actions.do_save_custom_field(None, CustomField(), label="出身大学", label_en="University",
                                              kind="text", default_visibility="members")
    clubs = actions.do_save_custom_field(None, CustomField(), label="社内サークル", kind="multi",
                                         choices=["フットサル", "写真部"], default_visibility="members")
    day = actions.do_save_custom_field(None, CustomField(), label="資格取得日", kind="date",
                                       default_visibility="members")
    actions.do_update_profile(member, {university.key: "絆大学", clubs.key: ["写真部", "フットサル"],
                                       day.key: "2019-07-01"})
    page = page_of(viewer, member)
    assert "出身大学" in page and "フットサル、写真部" in page and "2019年7月1日" in page
    viewer.cookies["django_language"] = "en"
    page = page_of(viewer, member)
    assert "University" in page and "出身大学" not in page and "社内サークル" in page and "1 Jul 2019" in page


def test_a_profile_with_nothing_shared_says_so(viewer):
    assert "このメンバーが公開している情報はほかにありません" in page_of(viewer, MemberFactory())


def test_the_owner_sees_who_can_see_each_value_and_can_switch_the_preview():
    member = MemberFactory()
    actions.do_update_profile(member, {"bio": "自己紹介です"}, visibility={"bio": "employees"})
    client = client_for(member)
    page = page_of(client, member)
    assert "社員のみ" in page and "?as=alumni" in page and "プロフィールを編集" in page
    preview = page_of(client, member, **{"as": "alumni"})
    assert "自己紹介です" not in preview and "アルムナイから見たあなたのプロフィール" in preview
    assert "社員のみ" not in preview  # the preview looks like the audience's page


def _rich_member(rows):
    member = MemberFactory(department=ensure_department("開発本部"))
    give_photo(member)
    field = CustomField.objects.first() or actions.do_save_custom_field(
        None, CustomField(), label="趣味", kind="text", default_visibility="members")
    actions.do_update_profile(member, {"skills": [f"スキル{n}" for n in range(rows)], field.key: "読書",
                                       "links": [f"https://example.com/{n}" for n in range(min(rows, 5))]})
    actions.do_set_career(member, [{"department": ensure_department(f"開発本部/第{n}開発部"), "title": f"役職{n}"}
                                   for n in range(rows)])
    return member


def _queries(client, member):
    with CaptureQueriesContext(connection) as queries:
        page_of(client, member)
    return len(queries)


@pytest.mark.parametrize("role", [Role.ALUMNI, Role.ADMIN])
def test_query_count_is_small_and_does_not_grow_with_the_profile(role, django_assert_max_num_queries):
    client = client_for(MemberFactory(role=role))
    small, large = _rich_member(1), _rich_member(25)
    _queries(client, small)  # warm the settings cache
    with django_assert_max_num_queries(12):  # with the navigation's counts (moderation queue, unread messages)
        page_of(client, large)
    assert _queries(client, small) == _queries(client, large)
