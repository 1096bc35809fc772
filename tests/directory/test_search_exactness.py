"""Words of up to three characters are answered by the gram index alone; longer ones by the phrase of their
triples (SQLite) or by their triples plus a substring check (PostgreSQL): either way a member is found
exactly when one of their visible values contains the word."""

import pytest
from django.db import connection

from kizuna.core.text import normalize
from kizuna.directory.index import exact, grams, word_grams
from kizuna.members.access import profile_members
from kizuna.members.models import Role
from kizuna.members.profiles import LEVELS_SEEN_BY, Audience, search_texts, view_profile

from ..factories import MemberFactory
from .helpers import found, member_with_profile


@pytest.fixture
def viewer(db):
    return MemberFactory(role=Role.ALUMNI, name="閲覧 者", name_kana="えつらん しゃ")


def test_grams_are_characters_pairs_and_triples():
    assert grams("さとう") == {"さ", "と", "う", "さと", "とう", "さとう"}
    assert word_grams("さと") == {"さと"} and word_grams("はやし") == {"はやし"}
    assert word_grams("hayashi") == {"hay", "aya", "yas", "ash", "shi"}
    assert exact("林") and exact("さとう") and not exact("c++")
    assert exact("はやしだ") == (connection.vendor == "sqlite")  # a phrase of triples needs positions


def test_three_characters_match_inside_longer_values_only_when_contiguous(viewer):
    sato = member_with_profile("佐藤 健", "さとう けん")
    tosa = member_with_profile("土佐 一", "とさ はじめ", bio="さと と う")  # さと, とう nowhere together
    assert found(viewer, "さとう") == {sato.pk}
    assert found(viewer, "さとうけん") == {sato.pk}
    assert tosa.pk in found(viewer, "とさ")


def test_longer_words_need_their_triples_in_one_value(viewer):
    # "abcd" has the triples abc and bcd, here in two different values: not a match.
    member = member_with_profile("甲 乙", "こう おつ", romaji="Abc", current_company="Bcd Inc")
    assert found(viewer, "abcd") == set()
    assert found(viewer, "bcdinc") == {member.pk}


def test_longer_words_need_their_triples_next_to_each_other(viewer):
    member = member_with_profile("丙 丁", "へい てい", bio="abc と xbcd")  # abc and bcd, not together
    assert found(viewer, "abcd") == set()
    assert found(viewer, "xbcd") == {member.pk}


def test_a_longer_word_never_runs_from_one_value_into_the_next(viewer):
    # Whichever order the values are stored in, the triples aba and bab would follow each other.
    member_with_profile("戊 己", "ぼ き", romaji="Aba", current_company="Bab")
    assert found(viewer, "abab") == set()
    assert found(viewer, "baba") == set()


def test_punctuation_and_private_use_characters_never_stand_in_for_each_other(viewer):
    cpp = member_with_profile("加 一", "か はじめ", skills=["C++"])
    lookalike = member_with_profile("似 二", "に じろう", bio="\U000f002b\U000f002b")  # what "++" is stored as
    assert found(viewer, "c++") == {cpp.pk}
    assert found(viewer, "++") == {cpp.pk}
    assert found(viewer, "+") == {cpp.pk}
    assert found(viewer, "\U000f002b") == {lookalike.pk}


def test_every_length_and_script_agrees_with_a_plain_substring_search(viewer):
    people = [
        member_with_profile("髙橋 美咲", "たかはし みさき", romaji="Misaki Takahashi", current_company="ｱｵﾊﾞ商事"),
        member_with_profile("高橋 一", "たかはし はじめ", current_title="UI/UXデザイナー"),
        member_with_profile("橋本 葵", "はしもと あおい", bio="物流センターで採用を担当"),
    ]
    texts = {p.pk: _visible_text(p) for p in people}
    for q in ["橋", "高橋", "たかは", "たかはし", "タカハシ", "ハシ", "あおば", "アオバ商事", "ui/ux", "/", "物流セ",
              "採用を担当", "takahashi", "hashi", "ka"]:
        word = normalize(q)
        assert found(viewer, q) == {pk for pk, text in texts.items() if any(word in v for v in text)}, q


def _visible_text(member):
    member = profile_members().get(pk=member.pk)
    return [normalize(t) for t in search_texts(view_profile(member, seen=LEVELS_SEEN_BY[Audience.ALUMNI]))]


@pytest.mark.parametrize("sort", ["reading", "newest", "left"])
def test_many_matches_give_the_same_page_and_count(viewer, monkeypatch, sort):
    from kizuna.directory import access
    from kizuna.directory.access import DirectoryQuery, search

    for number in range(6):
        member_with_profile(f"林 {number}", f"はやし {number}")
    query = DirectoryQuery(q="林", sort=sort)
    few = search(viewer, query)
    expected = (few.total, list(few.entries.values_list("member_id", flat=True)[:4]))
    monkeypatch.setattr(access, "WALK_FROM", 2)  # "many" now: walk the order's index instead of sorting
    many = search(viewer, query)
    assert (many.total, list(many.entries.values_list("member_id", flat=True)[:4])) == expected
    assert expected[0] == 6
