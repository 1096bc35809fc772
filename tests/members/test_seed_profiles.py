"""Seeded and demo members come with believable profiles, and the directory lists them at once."""

from collections import Counter

import pytest
from django.core.management import call_command

from kizuna.core.text import normalize
from kizuna.directory.access import DirectoryQuery, search
from kizuna.members.demo import DEMO_ACCOUNTS
from kizuna.members.models import Block, CareerEntry, Profile, Role, User
from kizuna.members.profiles import completeness

pytestmark = pytest.mark.django_db


def found(viewer, q="", **filters):
    return set(search(viewer, DirectoryQuery(q=q, **filters)).entries.values_list("member_id", flat=True))


def test_seeded_members_have_profiles_the_directory_finds():
    call_command("seed", members=1500, seed_value=3)
    profiles = Profile.objects.select_related("user")
    assert profiles.count() == 1500
    assert all(p.romaji and p.romaji.isascii() for p in profiles)
    alumni = profiles.filter(user__role=Role.ALUMNI)
    assert 0.7 < alumni.exclude(current_company="").count() / alumni.count() < 0.95
    companies = {normalize(p.current_company): set() for p in alumni.exclude(current_company="")}
    for p in alumni.exclude(current_company=""):
        companies[normalize(p.current_company)].add(p.current_company)
    assert any(len(spellings) > 1 for spellings in companies.values())  # ｺｽﾓﾘﾝｸ / コスモリンク …
    assert 0.25 < profiles.exclude(bio="").count() / 1500 < 0.45
    assert profiles.filter(bio__contains="物流").exists() and profiles.filter(bio__contains="営業").exists()
    assert Profile.skills.through.objects.count() > 3000
    assert CareerEntry.objects.count() > 1000
    assert 5 <= profiles.filter(hidden=True).count() <= 35
    assert profiles.filter(visibility__current_company="alumni").count() > 80
    assert Block.objects.exists()
    locations = Counter(profiles.exclude(location="").values_list("location", flat=True))
    assert locations.most_common(1)[0][0] == "JP-13" and any(not code.startswith("JP-") for code in locations)

    viewer = User.objects.filter(role=Role.ALUMNI, profile__hidden=False).first()
    sato = profiles.filter(user__name__startswith="佐藤 ", hidden=False).exclude(user=viewer).first()
    assert sato.user_id in found(viewer, "さとう") and sato.user_id in found(viewer, "佐藤")
    hidden = profiles.filter(hidden=True).first()
    assert hidden.user_id not in found(viewer, hidden.user.name.split()[0])


def test_demo_logins_have_rich_profiles_and_the_directory_is_varied(settings):
    settings.DEMO = True
    call_command("seed", demo=True)
    for _role, email in DEMO_ACCOUNTS:
        member = User.objects.select_related("profile").get(email=email)
        assert member.profile.photo and member.profile.bio and member.profile.skills.count() >= 4
        assert member.career.exists()
        percent, _missing = completeness(member)
        assert percent >= 85
    alumni = User.objects.get(email=DEMO_ACCOUNTS[-1][1])
    everyone = found(alumni)
    assert 270 <= len(everyone) <= 300
    assert User.objects.get(email=DEMO_ACCOUNTS[1][1]).pk in found(alumni, "ノースブリッジ")
    assert len(found(alumni, skills=list(Profile.skills.through.objects.values_list("skill_id", flat=True)[:1]))) > 0
