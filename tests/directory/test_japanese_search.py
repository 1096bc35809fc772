"""Searching the directory the way people type Japanese names, companies and skills."""

import pytest

from kizuna.members.models import Role

from ..factories import MemberFactory
from .helpers import found, member_with_profile


@pytest.fixture
def viewer(db):
    return MemberFactory(role=Role.ALUMNI, name="閲覧 者", name_kana="えつらん しゃ")


@pytest.fixture
def people(db):
    return {
        "hayashi": member_with_profile("林 一郎", "はやし いちろう", romaji="Ichiro Hayashi"),
        "kobayashi": member_with_profile("小林 花子", "こばやし はなこ", romaji="Hanako Kobayashi"),
        "sato": member_with_profile("佐藤 健", "さとう けん", romaji="Ken Sato", current_company="株式会社サトウ商事"),
        "takahashi": member_with_profile("髙橋 美咲", "たかはし みさき", romaji="Misaki Takahashi",
                                         skills=["Python", "機械学習"], current_title="データサイエンティスト"),
        "saito": member_with_profile("齋藤 亮", "さいとう りょう", bio="大阪で物流の仕事をしています。"),
        "watanabe": member_with_profile("渡邊 優", "わたなべ ゆう", current_company="ＡＢＣ Ｃｏｒｐ"),
    }


@pytest.mark.parametrize("q, expected", [
    ("林", {"hayashi", "kobayashi"}),          # one character: 林 and 小林 both contain it
    ("佐藤", {"sato"}),                        # two characters
    ("さとう", {"sato"}),                       # reading in hiragana
    ("サトウ", {"sato"}),                       # … and in katakana (also finds the company サトウ商事)
    ("ｻﾄｳ", {"sato"}),                         # half-width katakana
    ("hayashi", {"hayashi"}),                  # romaji (Kobayashi has "bayashi")
    ("YASHI", {"hayashi", "kobayashi"}),       # any case, any part
    ("高橋", {"takahashi"}),                    # 髙 ↔ 高
    ("斉藤", {"saito"}), ("斎藤", {"saito"}),    # 齋藤 ↔ 斎藤 ↔ 斉藤
    ("渡辺", {"watanabe"}),                     # 渡邊 ↔ 渡辺
    ("林　一郎", {"hayashi"}),                  # full-width space separates words: AND
    ("林 花子", {"kobayashi"}),
    ("python", {"takahashi"}), ("機械", {"takahashi"}),   # skills
    ("データ", {"takahashi"}),                            # title
    ("物流", {"saito"}),                                   # a word of the bio
    ("abc corp", {"watanabe"}),                           # full-width company typed half-width
    ("林 佐藤", set()),
    ("xyz", set()),
])
def test_search_finds_what_people_type(viewer, people, q, expected):
    assert found(viewer, q) == {people[key].pk for key in expected}


def test_words_do_not_match_across_two_values(viewer, db):
    # "Sato" ends the romaji and "Ken" is not in the company: "satoken" must not join two values.
    person = member_with_profile("佐藤 健", "さとう けん", romaji="Sato", current_company="Ken Inc")
    assert found(viewer, "satoken") == set()
    assert found(viewer, "sato ken") == {person.pk}
