"""The member's own profile form: every field saves, each problem is reported on its field."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kizuna.core.actions import ensure_department
from kizuna.core.models import GroupCompany, NetworkSettings
from kizuna.members import actions
from kizuna.members.models import CareerEntry, CustomField, Profile, Role, Visibility

from ..factories import MemberFactory
from .profiles import client_for, give_photo, image_upload

pytestmark = pytest.mark.django_db
URL = "/account/profile/"


def career(*rows):
    """The formset's fields for `rows` (dicts of a row's fields), plus its management form."""
    data = {"career-TOTAL_FORMS": str(len(rows)), "career-INITIAL_FORMS": "0", "career-MIN_NUM_FORMS": "0",
            "career-MAX_NUM_FORMS": "30"}
    for number, row in enumerate(rows):
        data.update({f"career-{number}-{key}": value for key, value in row.items()})
    return data


def posted(**fields):
    """A form as the page sends it: every field present, empty unless given."""
    data = {"romaji": "", "joined_on": "", "left_on": "", "current_company": "", "current_title": "",
            "industry": "", "location": "", "skills": "", "bio": "", "links": [], **career()}
    data.update(fields)
    return data


@pytest.fixture
def member(db):
    return MemberFactory(name="山田 花子", name_kana="やまだ はなこ", role=Role.ALUMNI)


@pytest.fixture
def client(member):
    return client_for(member)


def test_the_page_shows_each_field_with_its_visibility_choice(client, member):
    page = client.get(URL).content.decode()
    for label in ("ローマ字", "入社年月", "退職年月", "現在の会社", "現在の役職", "業界", "地域", "スキル",
                  "自己紹介", "リンク", "言語", "利用目的", "名簿に表示しない", "在籍中の経歴", "公開範囲"):
        assert label in page, label
    assert 'name="vis_current_company"' in page and 'name="vis_photo"' in page
    assert "「自分のみ」以外" in page  # HR sees everything except "only me", said plainly
    assert 'type="month"' in page and 'enctype="multipart/form-data"' in page


def test_every_field_saves(client, member):
    company = GroupCompany.objects.create(name="絆ソリューションズ", name_kana="きずなそりゅーしょんず")
    department = ensure_department("営業本部/東京営業部")
    field = actions.do_save_custom_field(None, CustomField(), label="同期の呼び名", kind="multi",
                                         choices=["花の2010年組", "ゆとり組"], default_visibility="members")
    response = client.post(URL, posted(
        romaji="Hanako Yamada", joined_on="2010-04", left_on="2020/3", current_company="株式会社みらい",
        current_title="マネージャー", industry="it", location="JP-27", skills="Python、法人営業, 簿記",
        bio="よろしくお願いします。\nhttps://example.com", links=["https://example.com/hanako", ""],
        languages=["ja", "en"], purposes=["social", "mentor"], hidden="on",
        vis_current_company="alumni", vis_bio="me", **{field.key: ["ゆとり組"]},
        **career({"company": str(company.pk), "department": str(department.pk), "title": "主任",
                  "started_on": "2012-04", "ended_on": "2015-03"},
                 {"title": "課長", "started_on": "2015-04"}),
        photo=image_upload()))
    assert response.status_code == 302 and response["Location"] == reverse("member_profile", args=[member.pk])
    profile = Profile.objects.get(user=member)
    member.refresh_from_db()
    assert profile.romaji == "Hanako Yamada" and profile.current_company == "株式会社みらい"
    assert (member.joined_on, member.left_on) == (datetime.date(2010, 4, 1), datetime.date(2020, 3, 1))
    assert [s.name for s in profile.skills.order_by("name")] == sorted(["Python", "法人営業", "簿記"])
    assert profile.links == ["https://example.com/hanako"] and profile.languages == ["ja", "en"]
    assert profile.purposes == ["social", "mentor"] and profile.hidden and profile.photo
    assert profile.visibility["current_company"] == "alumni" and profile.visibility["bio"] == "me"
    assert member.custom_values.get().value == ["ゆとり組"]
    rows = list(CareerEntry.objects.filter(user=member).order_by("started_on"))
    assert [(r.company, r.department, r.title) for r in rows] == [(company, department, "主任"), (None, None, "課長")]
    assert profile.confirmed_at is not None  # saving counts as "still current"


def test_the_form_shows_what_was_saved(client, member):
    actions.do_update_profile(member, {"skills": ["Python", "簿記"], "links": ["https://a.example"],
                                       "joined_on": datetime.date(2011, 10, 1)},
                              visibility={"skills": Visibility.EMPLOYEES})
    actions.do_set_career(member, [{"title": "主任", "started_on": datetime.date(2012, 4, 1)}])
    page = client.get(URL).content.decode()
    assert 'value="Python、簿記"' in page
    assert 'value="https://a.example"' in page and 'value="2011-10"' in page and 'value="2012-04"' in page
    assert '<option value="employees" selected>' in page


@pytest.mark.parametrize("fields, errors", [
    ({"romaji": "山田"}, {"romaji": "ローマ字"}),
    ({"joined_on": "2015-04", "left_on": "2014-01"}, {"left_on": "後"}),
    ({"joined_on": "2999-01"}, {"joined_on": "未来"}),
    ({"joined_on": "2019-13"}, {"joined_on": "年と月"}),
    ({"links": ["javascript:alert(1)"]}, {"links": "javascript:alert(1)"}),
    ({"skills": "、".join(f"スキル{n}" for n in range(31))}, {"skills": "30"}),
    ({"location": "XX"}, {"location": "選択"}),
    ({"vis_bio": "nobody"}, {"vis_bio": "選択"}),
])
def test_each_problem_is_shown_on_its_field_and_nothing_is_saved(client, member, fields, errors):
    response = client.post(URL, posted(current_company="保存されない会社", **fields))
    assert response.status_code == 200
    form = response.context["form"]
    for field, text in errors.items():
        assert text in " ".join(form.errors[field]), form.errors
    assert "保存されない会社" not in Profile.objects.filter(user=member).values_list("current_company", flat=True)


def test_a_level_hr_does_not_allow_is_refused(client, member, admin_user, django_capture_on_commit_callbacks):
    rules = {"bio": {"default": "members", "allowed": ["members", "admins"]}}
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_update_profile_rules(admin_user, rules)
    page = client.get(URL).content.decode()
    bio_select = page[page.index('name="vis_bio"'):]
    bio_select = bio_select[:bio_select.index("</select>")]
    assert 'value="me"' not in bio_select and 'value="admins"' in bio_select
    response = client.post(URL, posted(bio="こんにちは", vis_bio="me"))
    assert response.status_code == 200 and response.context["form"].errors["vis_bio"]


def test_a_level_fixed_by_hr_is_stated_not_offered(client, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_update_profile_rules(admin_user, {"location": {"default": "admins", "allowed": ["admins"]}})
    page = client.get(URL).content.decode()
    assert 'name="vis_location"' not in page and "人事（管理者）のみ（人事が設定）" in page
    assert client.post(URL, posted(location="JP-01")).status_code == 302


def test_career_rows_are_checked_and_reported_on_their_row(client, member):
    response = client.post(URL, posted(**career({"title": "主任", "started_on": "2015-04", "ended_on": "2014-04"})))
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["ended_on"]
    assert not CareerEntry.objects.filter(user=member).exists()


def test_removing_and_leaving_rows_empty(client, member):
    actions.do_set_career(member, [{"title": "主任"}, {"title": "課長"}])
    response = client.post(URL, posted(**career({"title": "主任", "DELETE": "on"}, {"title": "部長"}, {})))
    assert response.status_code == 302
    assert list(CareerEntry.objects.filter(user=member).values_list("title", flat=True)) == ["部長"]


def test_a_file_that_is_not_an_image_is_refused(client, member):
    fake = SimpleUploadedFile("face.png", b"not an image at all", content_type="image/png")
    response = client.post(URL, posted(photo=fake))
    assert response.status_code == 200 and response.context["form"].errors["photo"]


def test_the_photo_is_reencoded_and_can_be_removed(client, member, django_capture_on_commit_callbacks):
    client.post(URL, posted(photo=image_upload(size=(900, 600))))
    profile = Profile.objects.get(user=member)
    from PIL import Image

    with profile.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and image.size == (512, 512)
    storage, name = profile.photo.storage, profile.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, posted(remove_photo="on"))
    assert not Profile.objects.get(user=member).photo and not storage.exists(name)


def test_replacing_the_photo_deletes_the_old_file(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        old = give_photo(member).photo.name
    from kizuna.core.images import clean_photo

    with django_capture_on_commit_callbacks(execute=True):
        profile = actions.do_set_photo(member, clean_photo(image_upload(color="red")))
    assert profile.photo.name != old and not profile.photo.storage.exists(old)


def test_employees_are_not_asked_when_they_left(db):
    employee = MemberFactory(role=Role.EMPLOYEE)
    page = client_for(employee).get(URL).content.decode()
    assert 'name="left_on"' not in page and 'name="joined_on"' in page


def test_custom_fields_take_answers_of_their_kind(client, member):
    choice = actions.do_save_custom_field(None, CustomField(), label="勤務形態", kind="choice",
                                          choices=["リモート", "出社"], default_visibility="members")
    date = actions.do_save_custom_field(None, CustomField(), label="資格取得日", kind="date",
                                        default_visibility="admins")
    page = client.get(URL).content.decode()
    assert "勤務形態" in page and 'type="date"' in page
    response = client.post(URL, posted(**{choice.key: "どこでも", date.key: "2020-02-30"}))
    assert set(response.context["form"].errors) >= {choice.key, date.key}
    assert client.post(URL, posted(**{choice.key: "リモート", date.key: "2020-02-03"})).status_code == 302
    assert dict(member.custom_values.values_list("field__label", "value")) == {
        "勤務形態": "リモート", "資格取得日": "2020-02-03"}


def test_custom_field_labels_follow_the_page_language(client):
    actions.do_save_custom_field(None, CustomField(), label="出身大学", label_en="University", kind="text",
                                 default_visibility="members")
    actions.do_save_custom_field(None, CustomField(), label="社内サークル", kind="text", default_visibility="members")
    client.cookies["django_language"] = "en"
    english = client.get(URL).content.decode()
    assert "University" in english and "出身大学" not in english and "社内サークル" in english


def test_the_confirmation_prompt_and_completeness_meter(client, member):
    NetworkSettings.objects.filter(pk=1).update(profile_confirm_months=6)
    from django.core.cache import cache

    cache.clear()
    member.activated_at = member.date_joined = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    member.save(update_fields=["activated_at", "date_joined"])
    home = client.get("/").content.decode()
    assert "プロフィールは最新ですか" in home and "はい、最新です" in home
    assert 'class="meter"' in home and "写真" in home  # what is missing is named
    response = client.post(reverse("profile_confirm"), {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "プロフィールは最新ですか" not in client.get("/").content.decode()
    assert "プロフィールは最新ですか" not in client.get(reverse("account")).content.decode()
    assert 'class="meter"' in client.get(reverse("account")).content.decode()


def test_confirm_goes_home_rather_than_off_the_site(client):
    response = client.post(reverse("profile_confirm"), {"next": "https://evil.example/"})
    assert response["Location"] == "/"
