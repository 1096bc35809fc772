"""A value reaches a profile page (and the photo view) only for viewers its visibility includes."""

import datetime

import pytest
from django.urls import reverse

from kizuna.core.actions import ensure_department
from kizuna.members import actions
from kizuna.members.models import CustomField, Visibility

from ..factories import MemberFactory
from .profiles import SEEN, client_for, give_photo, viewers

pytestmark = pytest.mark.django_db

# field → (profile changes, text that only this value puts on the page)
VALUES = {
    "current_company": ({"current_company": "株式会社ひみつ商会"}, "ひみつ商会"),
    "current_title": ({"current_title": "秘密の部長"}, "秘密の部長"),
    "bio": ({"bio": "趣味は盆栽です"}, "盆栽"),
    "skills": ({"skills": ["Kubernetes"]}, "Kubernetes"),
    "location": ({"location": "JP-47"}, "沖縄"),
    "industry": ({"industry": "energy"}, "エネルギー"),
    "links": ({"links": ["https://himitsu.example/me"]}, "himitsu.example"),
    "languages": ({"languages": ["is"]}, "アイスランド語"),
    "purposes": ({"purposes": ["mentor"]}, "メンター"),
    "joined_on": ({"joined_on": datetime.date(1999, 4, 1)}, "1999年4月"),
}


@pytest.fixture
def people(db):
    return viewers()


def _page(client, member, **params):
    response = client.get(reverse("member_profile", args=[member.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("level", list(Visibility))
@pytest.mark.parametrize("field", list(VALUES))
def test_a_value_is_on_the_page_exactly_for_those_who_may_see_it(people, level, field):
    changes, text = VALUES[field]
    owner = MemberFactory(name="秘密 太郎")
    actions.do_update_profile(owner, changes, visibility={field: level})
    for role, client in people.items():
        assert (text in _page(client, owner)) == (role in SEEN[level]), (role, level)
    assert text in _page(client_for(owner), owner)


@pytest.mark.parametrize("level", list(Visibility))
def test_career_department_company_and_custom_fields_follow_their_visibility(people, level):
    department = ensure_department("経営企画部/極秘プロジェクト室")
    owner = MemberFactory(name="経歴 花子", department=ensure_department("開発本部/隠し部署"))
    field = actions.do_save_custom_field(None, CustomField(), label="出身大学", kind=CustomField.Kind.TEXT,
                                         default_visibility=Visibility.MEMBERS)
    actions.do_set_career(owner, [{"department": department, "title": "特命係長",
                                   "started_on": datetime.date(2010, 4, 1)}])
    actions.do_update_profile(owner, {field.key: "絆大学"}, visibility={
        "career": level, "department": level, field.key: level})
    for role, client in people.items():
        page = _page(client, owner)
        for text in ("特命係長", "極秘プロジェクト室", "隠し部署", "絆大学"):
            assert (text in page) == (role in SEEN[level]), (role, level, text)


@pytest.mark.parametrize("level", list(Visibility))
def test_the_photo_is_served_and_shown_only_to_those_who_may_see_it(people, level):
    owner = MemberFactory()
    give_photo(owner)
    actions.do_update_profile(owner, {}, visibility={"photo": level})
    photo_url = reverse("member_photo", args=[owner.pk])
    for role, client in people.items():
        allowed = role in SEEN[level]
        assert (photo_url in _page(client, owner)) == allowed, (role, level)
        assert client.get(photo_url).status_code == (200 if allowed else 404), (role, level)
    assert client_for(owner).get(photo_url).status_code == 200


def test_the_photo_response_is_private_and_revalidated(people):
    owner = MemberFactory()
    give_photo(owner)
    client = people["alumni"]
    response = client.get(reverse("member_photo", args=[owner.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-cache"
    assert "default-src 'none'" in response["Content-Security-Policy"]  # an image document may run nothing
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    again = client.get(reverse("member_photo", args=[owner.pk]), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    actions.do_update_profile(owner, {}, visibility={"photo": Visibility.ME})
    assert client.get(reverse("member_photo", args=[owner.pk]), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 404


def test_no_photo_means_404(people):
    owner = MemberFactory()
    assert people["admin"].get(reverse("member_photo", args=[owner.pk])).status_code == 404


@pytest.mark.parametrize("audience, sees", [
    ("alumni", {Visibility.MEMBERS, Visibility.ALUMNI}),
    ("employees", {Visibility.MEMBERS, Visibility.EMPLOYEES}),
    ("admins", {Visibility.MEMBERS, Visibility.ALUMNI, Visibility.EMPLOYEES, Visibility.ADMINS}),
])
def test_the_owner_previews_exactly_what_an_audience_sees(audience, sees):
    owner = MemberFactory()
    texts = {level: f"〈値 {level}〉" for level in Visibility}
    # One value per level: custom text fields, each with that level.
    for level, text in texts.items():
        field = actions.do_save_custom_field(None, CustomField(), label=f"項目{level}", kind="text",
                                             default_visibility=level)
        actions.do_update_profile(owner, {field.key: text})
    client = client_for(owner)
    page = _page(client, owner, **{"as": audience})
    assert {level for level, text in texts.items() if text in page} == sees
    everything = _page(client, owner)
    assert all(text in everything for text in texts.values())


def test_others_cannot_use_the_preview_switch_to_see_more(people):
    owner = MemberFactory()
    actions.do_update_profile(owner, {"bio": "人事だけが読める話"}, visibility={"bio": Visibility.ADMINS})
    assert "人事だけが読める話" not in _page(people["alumni"], owner, **{"as": "admins"})


def test_hr_reading_a_profile_is_in_the_audit_log(people):
    from kizuna.core.models import AuditLog

    owner = MemberFactory()
    _page(people["admin"], owner)
    _page(people["alumni"], owner)
    entries = AuditLog.objects.filter(action="member.view_profile", target_id=str(owner.pk))
    assert entries.count() == 1


def test_inactive_members_have_no_profile_page(people):
    suspended = MemberFactory(state="suspended")
    pending = MemberFactory(state="pending")
    for member in (suspended, pending):
        assert people["admin"].get(reverse("member_profile", args=[member.pk])).status_code == 404
