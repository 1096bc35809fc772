"""/api/v1/members, /api/v1/members/{id} and /api/v1/me: the directory and profiles over HTTP, with the
page's semantics and privacy; POST /api/v1/members for admins."""

import datetime
import json

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kizuna.core.actions import ensure_company, ensure_department
from kizuna.core.models import AuditLog
from kizuna.directory.access import search
from kizuna.directory.forms import DirectoryForm
from kizuna.members import actions
from kizuna.members.models import CustomField, Role, State, User, Visibility
from tests.directory.helpers import member_with_profile
from tests.factories import LeaverRecordFactory, MemberFactory, with_totp

pytestmark = pytest.mark.django_db
MEMBERS = "/api/v1/members"
ME = "/api/v1/me"

# Who sees a value at each level: alumni, employee, admin viewers (the owner always does).
SEEN = {
    Visibility.MEMBERS: {"alumni", "employee", "admin"},
    Visibility.ALUMNI: {"alumni", "admin"},
    Visibility.EMPLOYEES: {"employee", "admin"},
    Visibility.ADMINS: {"admin"},
    Visibility.ME: set(),
}


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def token_client(member):
    """A client with the member's personal token, as a script would call the API."""
    _token, secret = actions.do_create_token(member, "test")
    return Client(**bearer(secret))


def session_client(member):
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def viewers(db):
    return {
        "alumni": MemberFactory(role=Role.ALUMNI, name="閲覧 あ", name_kana="えつらん あ"),
        "employee": MemberFactory(role=Role.EMPLOYEE, name="閲覧 い", name_kana="えつらん い"),
        "admin": with_totp(MemberFactory(role=Role.ADMIN, name="閲覧 う", name_kana="えつらん う")),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return [result["id"] for result in response.json()["results"]]


# --- privacy ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("level", list(Visibility))
@pytest.mark.parametrize("field, value, q, shown", [
    ("current_company", "株式会社ひみつ商会", "ひみつ商会", "株式会社ひみつ商会"),
    ("bio", "趣味は盆栽です", "盆栽", "趣味は盆栽です"),
    ("skills", ["Kubernetes"], "kubernetes", ["Kubernetes"]),
    ("location", "JP-47", "沖縄", {"code": "JP-47", "label": "沖縄県"}),
])
def test_a_value_is_shown_and_found_exactly_for_those_who_may_see_it(viewers, level, field, value, q, shown):
    owner = member_with_profile("秘密 太郎", "ひみつ たろう", visibility={field: level}, **{field: value})
    for role, viewer in viewers.items():
        client = token_client(viewer)
        visible = role in SEEN[level]
        listed = {r["id"]: r for r in client.get(MEMBERS, {"q": "秘密"}).json()["results"]}
        assert listed[owner.pk][field] == (shown if visible else None), (role, level)
        detail = client.get(f"{MEMBERS}/{owner.pk}").json()
        assert detail[field] == (shown if visible else None), (role, level)
        assert (owner.pk in ids(client.get(MEMBERS, {"q": q}))) == visible, (role, level)
        raw = json.dumps([client.get(MEMBERS, {"q": "秘密"}).json(), detail], ensure_ascii=False)
        assert (str(value[0] if isinstance(value, list) else value) in raw) == visible, (role, level)
    own = token_client(owner).get(ME).json()
    assert own[field] == value and own["visibility"][field] == level


def test_filters_use_only_what_the_viewer_may_see(viewers):
    department = ensure_department("開発本部/品質保証部")
    owner = MemberFactory(name="部署 秘密", department=department)
    actions.do_update_profile(owner, {"industry": "it"},
                              visibility={"department": Visibility.ADMINS, "industry": Visibility.ME})
    alumni, admin = token_client(viewers["alumni"]), token_client(viewers["admin"])
    assert owner.pk not in ids(alumni.get(MEMBERS, {"department": department.parent_id}))
    assert owner.pk in ids(admin.get(MEMBERS, {"department": department.parent_id}))
    assert owner.pk not in ids(admin.get(MEMBERS, {"industry": "it"}))
    assert admin.get(f"{MEMBERS}/{owner.pk}").json()["industry"] is None


def test_blocked_inactive_and_unknown_members_are_404_and_never_listed(viewers, admin_user):
    alumni = viewers["alumni"]
    blocker = member_with_profile("鈴木 一", "すずき はじめ")
    blocked = member_with_profile("鈴木 二", "すずき じろう")
    suspended = member_with_profile("鈴木 三", "すずき さぶろう")
    hidden = member_with_profile("鈴木 四", "すずき しろう")
    actions.do_block(blocker, alumni)
    actions.do_block(alumni, blocked)
    actions.do_suspend(admin_user, suspended)
    actions.do_set_hidden(hidden, True)
    client = token_client(alumni)
    assert ids(client.get(MEMBERS, {"q": "鈴木"})) == []
    for member in (blocker, blocked, suspended):
        response = client.get(f"{MEMBERS}/{member.pk}")
        assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
    assert client.get(f"{MEMBERS}/987654").status_code == 404
    # Hidden from the directory, but their profile stays reachable (from their posts), as on the pages.
    assert client.get(f"{MEMBERS}/{hidden.pk}").json()["name"] == "鈴木 四"
    assert token_client(blocker).get(f"{MEMBERS}/{alumni.pk}").status_code == 404


# --- the same results as the directory page -----------------------------------------------------------

@pytest.fixture
def network(db):
    python = {"skills": ["Python"]}
    member_with_profile("林 一郎", "はやし いちろう", romaji="Ichiro Hayashi", current_company="ハヤシ商店", **python)
    member_with_profile("小林 花子", "こばやし はなこ", current_title="エンジニア", location="JP-13", **python)
    member_with_profile("髙橋 健", "たかはし けん", industry="it", purposes=["mentor"])
    member_with_profile("佐藤 美咲", "さとう みさき", bio="林業の研究をしています", location="JP-13")
    employee = MemberFactory(role=Role.EMPLOYEE, name="斎藤 次郎", name_kana="さいとう じろう")
    actions.do_update_profile(employee, {"skills": ["Go", "Python"]})
    alumnus = MemberFactory(name="渡邊 三郎", name_kana="わたなべ さぶろう", left_on=datetime.date(2020, 3, 31),
                            joined_on=datetime.date(2010, 4, 1))
    return MemberFactory(role=Role.ALUMNI, name="閲覧 者", name_kana="えつらん しゃ"), alumnus


@pytest.mark.parametrize("query", [
    "", "q=林", "q=はやし", "q=ハヤシ", "q=hayashi", "q=高橋", "q=斉藤", "q=林 商店", "q=林　商店", "skills=python",
    "skills=Python&location=JP-13", "member_type=employee", "member_type=alumni&left_from=2019&left_to=2021",
    "purposes=mentor", "industry=it", "sort=newest", "sort=left", "q=存在しない",
])
def test_results_are_the_directory_search(network, query):
    viewer, _alumnus = network
    form = DirectoryForm(QueryDict(query))
    assert form.is_valid()
    expected = list(search(viewer, form.query()).entries.values_list("member_id", flat=True))
    response = token_client(viewer).get(f"{MEMBERS}?{query}&page_size=100")
    assert ids(response) == expected
    assert response.json()["total"] == len(expected)


def test_paging(network):
    viewer, _alumnus = network
    client = token_client(viewer)
    everyone = ids(client.get(MEMBERS, {"page_size": 100}))
    pages = [client.get(MEMBERS, {"page": page, "page_size": 3}).json() for page in (1, 2, 3)]
    assert [page["total"] for page in pages] == [len(everyone)] * 3
    assert [r["id"] for page in pages for r in page["results"]] == everyone
    assert (pages[0]["page"], pages[0]["page_size"]) == (1, 3)
    assert client.get(MEMBERS, {"page": 99}).json()["results"] == []
    assert client.get(MEMBERS).json()["page_size"] == 20


def test_bad_parameters_get_400_with_every_field(viewers):
    client = token_client(viewers["alumni"])
    response = client.get(MEMBERS, {"joined_from": "2020", "joined_to": "2010", "location": "XX", "page": "0",
                                    "page_size": "500", "purposes": "robot"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    problems = {tuple(p["loc"]): p["msg"] for p in response.json()["detail"]}
    assert set(problems) == {("query", name) for name in ("joined_to", "location", "purposes", "page", "page_size")}
    assert problems[("query", "location")] == "Please choose a prefecture or a country from the list."
    assert problems[("query", "page_size")] == "Please enter a whole number from 1 to 100."
    japanese = client.get(MEMBERS, {"page": "abc"}).json()
    assert japanese == {"detail": [{"type": "invalid", "loc": ["query", "page"],
                                    "msg": "1 以上の整数を入力してください。"}]}


def test_a_page_of_members_takes_a_fixed_number_of_queries(viewers, django_assert_max_num_queries):
    field = actions.do_save_custom_field(viewers["admin"], CustomField(), label="出身大学", kind="text",
                                         default_visibility=Visibility.MEMBERS)
    company = ensure_company("絆テクノロジーズ")
    for n in range(30):
        member = member_with_profile(f"多数 {n}", f"たすう {n}", skills=["Python", f"S{n}"], purposes=["social"],
                                     current_company="どこか", **{field.key: f"大学{n}"})
        actions.do_set_career(member, [{"company": company, "title": "主任"}, {"title": f"課長{n}"}])
    client = token_client(viewers["alumni"])
    with CaptureQueriesContext(connection) as few:
        client.get(MEMBERS, {"q": "多数", "page_size": 2})
    with django_assert_max_num_queries(len(few)):  # the same for 2 or 25 members with their careers and skills
        response = client.get(MEMBERS, {"q": "多数", "page_size": 25})
    assert len(few) <= 12
    results = response.json()["results"]
    assert len(results) == 25 and response.json()["total"] == 30
    assert results[0]["custom"] == [{"key": field.key, "label": "出身大学", "kind": "text", "value": "大学0"}]
    assert [c["company"] for c in results[0]["career"]] == [None, {"id": company.pk, "name": "絆テクノロジーズ"}]


def test_a_member_as_json(viewers):
    department = ensure_department("営業本部/東京営業部")
    owner = MemberFactory(name="林 一郎", name_kana="はやし いちろう", role=Role.EMPLOYEE, department=department,
                          joined_on=datetime.date(2015, 4, 1))
    actions.do_update_profile(owner, {"romaji": "Ichiro Hayashi", "industry": "it", "languages": ["ja", "en"],
                                      "purposes": ["mentor"], "links": ["https://example.jp/hayashi"]})
    body = token_client(viewers["alumni"]).get(f"{MEMBERS}/{owner.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body == {
        "id": owner.pk, "name": "林 一郎", "name_kana": "はやし いちろう", "romaji": "Ichiro Hayashi",
        "role": "employee", "joined_month": "2015-04", "left_month": None, "company": None,
        "department": {"id": department.pk, "path": "営業本部/東京営業部"}, "career": None,
        "current_company": None, "current_title": None, "industry": {"code": "it", "label": "IT / software"},
        "location": None, "skills": None, "bio": None, "links": ["https://example.jp/hayashi"],
        "languages": [{"code": "ja", "label": "Japanese"}, {"code": "en", "label": "English"}],
        "purposes": [{"code": "mentor", "label": "Mentoring"}], "custom": None,
    }


# --- authentication -----------------------------------------------------------------------------------

def test_session_and_token_both_work(viewers):
    member_with_profile("林 一郎", "はやし いちろう")
    alumni = viewers["alumni"]
    assert ids(session_client(alumni).get(MEMBERS, {"q": "林"})) == ids(token_client(alumni).get(MEMBERS, {"q": "林"}))
    assert len(ids(session_client(alumni).get(MEMBERS, {"q": "林"}))) == 1


@pytest.mark.parametrize("path", [MEMBERS, ME])
def test_anonymous_pending_and_suspended_get_401(viewers, admin_user, path):
    assert Client().get(path).status_code == 401
    pending = MemberFactory(state=State.PENDING)
    assert session_client(pending).get(path).status_code == 401
    alumni = viewers["alumni"]
    client = token_client(alumni)
    actions.do_suspend(admin_user, alumni)
    assert client.get(path).status_code == 401


# --- GET and PATCH /me --------------------------------------------------------------------------------

def set_rules(admin, rules, capture):
    with capture(execute=True):  # the settings cache is dropped after commit
        actions.do_update_profile_rules(admin, rules)


def test_me_shows_every_own_value_and_who_may_see_it(viewers, django_capture_on_commit_callbacks):
    admin = viewers["admin"]
    set_rules(admin, {"bio": {"default": "alumni", "allowed": ["alumni", "admins", "me"]}},
              django_capture_on_commit_callbacks)
    field = actions.do_save_custom_field(admin, CustomField(), label="同期の呼び名", label_en="Cohort", kind="choice",
                                         choices=["A組", "B組"], default_visibility=Visibility.ADMINS)
    member = viewers["alumni"]
    company, department = ensure_company("本社"), ensure_department("開発本部")
    actions.do_update_profile(member, {"bio": "秘密の自己紹介", "skills": ["Go"], field.key: "A組"},
                              visibility={"current_company": "me"})
    actions.do_set_career(member, [{"company": company, "department": department, "title": "主任",
                                    "started_on": datetime.date(2015, 4, 1)}])
    body = token_client(member).get(ME, HTTP_ACCEPT_LANGUAGE="en").json()
    assert (body["bio"], body["skills"], body["custom"]) == ("秘密の自己紹介", ["Go"], {field.key: "A組"})
    assert body["career"] == [{"company": {"id": company.pk, "name": "本社"},
                               "department": {"id": department.pk, "path": "開発本部"}, "title": "主任",
                               "started_on": "2015-04-01", "ended_on": None}]
    assert body["hidden"] is False
    assert body["visibility"]["bio"] == "alumni" and body["visibility"]["current_company"] == "me"
    rules = {f["key"]: f for f in body["fields"]}
    assert rules["bio"] == {"key": "bio", "label": "About me", "visibility": "alumni", "default": "alumni",
                            "allowed": ["alumni", "admins", "me"], "kind": None, "choices": None}
    assert rules[field.key] == {"key": field.key, "label": "Cohort", "visibility": "admins", "default": "admins",
                                "allowed": list(Visibility.values), "kind": "choice", "choices": ["A組", "B組"]}
    assert rules["current_company"]["allowed"] == list(Visibility.values)


def patch(client, body, **extra):
    return client.patch(ME, body, content_type="application/json", **extra)


def test_patch_changes_values_and_visibility_and_others_see_it_at_once(viewers):
    owner, other = viewers["alumni"], token_client(viewers["employee"])
    client = token_client(owner)
    response = patch(client, {"current_company": "株式会社ひみつ", "skills": ["Rust", "Go"], "location": "JP-01",
                              "joined_on": "2012-04", "left_on": "2020-03-31"})
    assert response.status_code == 200
    body = response.json()
    assert (body["current_company"], body["skills"], body["location"]) == ("株式会社ひみつ", ["Go", "Rust"], "JP-01")
    assert (body["joined_on"], body["left_on"]) == ("2012-04-01", "2020-03-01")
    assert owner.pk in ids(other.get(MEMBERS, {"q": "ひみつ"}))

    response = patch(client, {"visibility": {"current_company": "alumni"}})
    assert response.json()["visibility"]["current_company"] == "alumni"
    assert owner.pk not in ids(other.get(MEMBERS, {"q": "ひみつ"}))
    assert other.get(f"{MEMBERS}/{owner.pk}").json()["current_company"] is None

    response = patch(client, {"hidden": True, "current_company": None})
    assert response.json()["hidden"] is True and response.json()["current_company"] == ""
    assert owner.pk not in ids(other.get(MEMBERS))


def test_patch_is_all_or_nothing_with_a_problem_per_field(viewers, django_capture_on_commit_callbacks):
    set_rules(viewers["admin"], {"current_company": {"default": "members", "allowed": ["members"]}},
              django_capture_on_commit_callbacks)
    owner = viewers["alumni"]
    response = patch(token_client(owner), {
        "current_title": "部長", "location": "XX", "romaji": "山田", "links": ["javascript:alert(1)"],
        "visibility": {"current_company": "me", "nonsense": "me"}, "joined_on": "someday",
        "custom": {"custom_999": "x"}, "career": [{"title": "主任", "company": 987654}, {"title": ""}],
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    problems = {tuple(p["loc"]): p["msg"] for p in response.json()["detail"]}
    assert problems == {
        ("body", "location"): "Please choose a prefecture or a country from the list.",
        ("body", "romaji"): "Please write your name in roman letters (A–Z), e.g. Taro Yamada.",
        ("body", "links"): "“javascript:alert(1)” is not a web address (https://…).",
        ("body", "visibility"): "“nonsense” is not a profile field.",
        ("body", "visibility", "current_company"): "HR does not allow “Only me” for this field.",
        ("body", "joined_on"): "Please enter the month you joined as a year and month.",
        ("body", "custom", "custom_999"): "This is not one of the network's profile fields.",
        ("body", "career", 0, "company"): "There is no group company with this id.",
    }
    owner.refresh_from_db()
    assert not hasattr(owner, "profile") or owner.profile.current_title == ""


def test_patch_sets_the_career_and_custom_answers(viewers):
    field = actions.do_save_custom_field(viewers["admin"], CustomField(), label="趣味", kind="multi",
                                         choices=["釣り", "登山"], default_visibility=Visibility.MEMBERS)
    company, department = ensure_company("本社"), ensure_department("営業本部")
    client = token_client(viewers["alumni"])
    response = patch(client, {"career": [{"company": company.pk, "department": department.pk, "title": "課長",
                                          "started_on": "2015-04", "ended_on": "2018-03"},
                                         {"title": "主任", "started_on": "2012-04", "ended_on": "2015-03"}],
                              "custom": {field.key: ["登山", "釣り"]}})
    assert response.status_code == 200
    body = response.json()
    assert [(c["title"], c["started_on"]) for c in body["career"]] == [("課長", "2015-04-01"), ("主任", "2012-04-01")]
    assert body["custom"] == {field.key: ["釣り", "登山"]}
    problem = patch(client, {"career": [{"title": "課長", "started_on": "2018-04", "ended_on": "2015-03"}]},
                    HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert problem == [{"type": "invalid", "loc": ["body", "career", 0],
                        "msg": "Position 1: the end must come after the start."}]


def test_patch_refuses_unknown_keys_and_wrong_types(viewers):
    client = token_client(viewers["alumni"])
    response = patch(client, {"email": "new@example.jp"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "payload", "email"]
    assert patch(client, {"skills": "Go"}).status_code == 422


def test_patch_over_a_session_needs_the_csrf_token(viewers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewers["alumni"])
    assert patch(client, {"bio": "こんにちは"}).status_code == 403
    client.get(reverse("account"))
    csrf = client.cookies["csrftoken"].value
    assert patch(client, {"bio": "こんにちは"}, HTTP_X_CSRFTOKEN=csrf).json()["bio"] == "こんにちは"


# --- POST /members (admins) ---------------------------------------------------------------------------

NEW = [
    {"name": "山田 太郎", "name_kana": "ヤマダ タロウ", "email": "taro@example.jp", "joined_on": "2010/4/1",
     "left_on": "令和2年3月31日", "department": "営業本部/東京営業部", "title": "課長", "company": "本社",
     "current_company": "株式会社ミライ", "location": "東京都", "skills": "法人営業、Python", "romaji": "Taro Yamada"},
    {"name": "髙橋 花子", "email": "hanako@example.jp", "skills": ["Go"],
     "bio": "よろしくお願いします。\n趣味は登山。"},
]


def post(client, body, **extra):
    return client.post(MEMBERS, body, content_type="application/json", **extra)


def test_admins_create_members_who_get_a_set_password_link(viewers, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(token_client(viewers["admin"]), {"members": NEW})
    assert response.status_code == 201
    body = response.json()
    taro, hanako = User.objects.get(email="taro@example.jp"), User.objects.get(email="hanako@example.jp")
    assert body == {"valid": True, "applied": True, "rows": 2, "created": 2, "errors": [], "warnings": [], "members": [
        {"line": 1, "id": taro.pk, "email": "taro@example.jp", "name": "山田 太郎", "role": "alumni"},
        {"line": 2, "id": hanako.pk, "email": "hanako@example.jp", "name": "髙橋 花子", "role": "employee"}]}
    assert (taro.state, taro.left_on, taro.profile.location) == (State.ACTIVE, datetime.date(2020, 3, 31), "JP-13")
    assert hanako.profile.bio == "よろしくお願いします。\n趣味は登山。"
    assert sorted(mail.to[0] for mail in mailoutbox) == ["hanako@example.jp", "taro@example.jp"]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    assert AuditLog.objects.get(action="members.import").actor == viewers["admin"]
    found = token_client(viewers["alumni"]).get(MEMBERS, {"q": "ミライ"}).json()["results"]
    assert [r["id"] for r in found] == [taro.pk]


def test_creating_members_is_all_or_nothing_with_problems_per_item(viewers):
    LeaverRecordFactory(employee_number="E1", excluded=True)
    bad = NEW + [{"name": "", "email": "x@example.jp"}, {"name": "佐藤", "email": "taro@example.jp"},
                 {"name": "鈴木", "email": "suzuki@example.jp", "employee_number": "E1", "location": "火星"},
                 {"name": "田中", "email": "tanaka@example.jp", "employee_number": "E2"}]
    response = post(token_client(viewers["admin"]), {"members": bad}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    body = response.json()
    assert (body["valid"], body["applied"], body["created"], body["members"]) == (False, False, 0, [])
    assert [(p["line"], p["column"], p["code"]) for p in body["errors"]] == [
        (3, "name", "required"), (4, "email", "email_twice"), (5, "location", "location_unknown")]
    assert [(p["line"], p["code"]) for p in body["warnings"]] == [(6, "record_unknown")]
    assert body["errors"][1]["message"] == "The same email address is also given on line 1."
    assert not User.objects.filter(email__in=["taro@example.jp", "hanako@example.jp"]).exists()


def test_an_already_registered_address_and_the_hr_record(viewers):
    record = LeaverRecordFactory(employee_number="E7")
    client = token_client(viewers["admin"])
    taken = post(client, {"members": [{"name": "閲覧", "email": viewers["alumni"].email}]}).json()
    assert [e["code"] for e in taken["errors"]] == ["email_taken"]
    created = post(client, {"members": [{**NEW[1], "employee_number": "E7"}]})
    assert created.status_code == 201
    record.refresh_from_db()
    assert record.member.email == "hanako@example.jp"


def test_dry_run_creates_nobody(viewers):
    response = post(token_client(viewers["admin"]), {"members": NEW, "dry_run": True})
    assert response.status_code == 200
    body = response.json()
    assert (body["applied"], body["created"], [m["id"] for m in body["members"]]) == (False, 0, [None, None])
    assert [m["role"] for m in body["members"]] == ["alumni", "employee"]
    assert not User.objects.filter(email="taro@example.jp").exists()


def test_only_admins_with_two_factor_create_members(viewers, settings):
    settings.KIZUNA_ADMIN_MFA_REQUIRED = True
    for member in (viewers["alumni"], viewers["employee"], MemberFactory(role=Role.MODERATOR)):
        response = post(token_client(member), {"members": NEW})
        assert (response.status_code, response.json()) == (403, {"detail": "Admins only."})
    admin_without_totp = MemberFactory(role=Role.ADMIN)
    assert post(token_client(admin_without_totp), {"members": NEW}).status_code == 403
    assert Client().post(MEMBERS, {"members": NEW}, content_type="application/json").status_code == 401
    assert not User.objects.filter(email="taro@example.jp").exists()


def test_unknown_fields_and_an_empty_list_are_refused(viewers):
    client = token_client(viewers["admin"])
    response = post(client, {"members": [{"name": "林", "email": "h@example.jp", "nickname": "はやし"}]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "members", 0, "nickname"]
    assert post(client, {"members": []}).status_code == 422


# --- documentation ------------------------------------------------------------------------------------

def test_openapi_describes_the_new_endpoints(client):
    schema = client.get(reverse("api:openapi-json")).json()
    paths = schema["paths"]
    assert set(paths["/api/v1/members"]) == {"get", "post"}
    assert set(paths["/api/v1/me"]) == {"get", "patch"}
    assert "/api/v1/members/{member_id}" in paths
    parameters = {p["name"]: p for p in paths["/api/v1/members"]["get"]["parameters"]}
    assert set(parameters) == set(DirectoryForm.base_fields) | {"page", "page_size"}
    assert parameters["purposes"]["schema"]["items"]["enum"] == ["social", "info", "return", "contract", "business",
                                                                 "mentor"]
    schemas = schema["components"]["schemas"]
    assert {"MemberOut", "MemberPage", "MeOut", "MeIn", "MemberImportIn", "MemberImportOut", "FieldErrors"} <= set(
        schemas)
    assert "null" in schemas["MemberOut"]["description"]
