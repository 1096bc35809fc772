"""The member's own data download holds their whole profile; withdrawal leaves nothing of it, photo included."""

import base64
import datetime
import json

import pytest
from django.urls import reverse

from kizuna.core.actions import ensure_department
from kizuna.members import actions
from kizuna.members.models import CareerEntry, CustomField, CustomFieldValue, Profile

from ..factories import MemberFactory
from .profiles import client_for, give_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    member = MemberFactory(name="記録 保子")
    give_photo(member)
    field = actions.do_save_custom_field(None, CustomField(), label="出身大学", kind="text",
                                         default_visibility="members")
    actions.do_update_profile(member, {
        "romaji": "Yasuko Kiroku", "current_company": "株式会社みらい", "industry": "finance", "location": "JP-13",
        "bio": "こんにちは", "links": ["https://example.com/y"], "languages": ["ja"], "purposes": ["info"],
        "skills": ["簿記"], field.key: "絆大学",
    }, visibility={"bio": "me", "current_company": "alumni"})
    actions.do_set_career(member, [{"department": ensure_department("経理部"), "title": "主任",
                                    "started_on": datetime.date(2014, 4, 1)}])
    actions.do_block(member, MemberFactory(name="苦手 次郎"))
    return member


def test_the_download_holds_the_whole_profile(member):
    data = json.loads(client_for(member).get(reverse("account_data_json")).content)
    profile = data["profile"]
    assert profile["romaji"] == "Yasuko Kiroku" and profile["current_company"] == "株式会社みらい"
    assert profile["industry"] == "finance" and profile["location"] == "JP-13" and profile["bio"] == "こんにちは"
    assert profile["links"] == ["https://example.com/y"] and profile["languages"] == ["ja"]
    assert profile["purposes"] == ["info"] and profile["skills"] == ["簿記"] and profile["hidden"] is False
    assert base64.b64decode(profile["photo"].split(",", 1)[1])[:2] == b"\xff\xd8"  # the photo itself
    visibility = {row["field"]: row for row in data["profile_visibility"]}
    assert visibility["bio"] == {"field": "bio", "visible_to": "me", "chosen_by_you": True}
    assert visibility["location"]["visible_to"] == "members" and not visibility["location"]["chosen_by_you"]
    assert data["career"] == [{"company": None, "department": "経理部", "title": "主任", "started_on": "2014-04-01",
                               "ended_on": None}]
    assert data["custom_fields"] == [{"field": "出身大学", "value": "絆大学"}]
    assert [block["member"] for block in data["blocks"]] == ["苦手 次郎"]


def test_the_readable_page_shows_the_profile_too(member):
    page = client_for(member).get(reverse("account_data")).content.decode()
    for text in ("プロフィール", "Yasuko Kiroku", "金融・保険", "東京都", "在籍中の経歴", "経理部", "2014年4月",
                 "絆大学", "苦手 次郎", "自分のみ"):
        assert text in page, text


def test_a_member_without_a_profile_can_download_their_data(db):
    data = json.loads(client_for(MemberFactory()).get(reverse("account_data_json")).content)
    assert data["profile"] is None and data["career"] == [] and data["blocks"] == []


def test_withdrawal_erases_the_profile_and_deletes_the_photo_file(member, django_capture_on_commit_callbacks):
    photo = Profile.objects.get(user=member).photo
    storage, name = photo.storage, photo.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_withdraw(member, member)
    assert not storage.exists(name)
    assert not Profile.objects.filter(user=member).exists()
    assert not CareerEntry.objects.filter(user=member).exists()
    assert not CustomFieldValue.objects.filter(user=member).exists()
    assert not member.blocks_made.exists()
