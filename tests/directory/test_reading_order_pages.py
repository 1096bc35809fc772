"""A page of a search in reading order is read from the index's id order (entries written by the last full
re-index) plus the hits written since: it must be exactly the page the entries' own ORDER BY gives, at every
offset, whatever was saved, blocked or added after the re-index."""

import pytest
from django.db.models import F

from kizuna.core.models import NetworkSettings
from kizuna.directory import index
from kizuna.directory.access import DirectoryQuery, search
from kizuna.directory.models import Entry
from kizuna.members import actions
from kizuna.members.models import Role, User

from ..factories import MemberFactory
from .helpers import member_with_profile

READINGS = ["わたなべ", "あべ", "はやし", "こばやし", "はやしだ", "いとう", "はやし", "やまだ", "おがわ", "はやしばら",
            "さとう", "はやし"]


@pytest.fixture
def network(db):
    """Members named 林 in a scrambled order, one whose company only HR may see (two entries), re-indexed."""
    people = [member_with_profile(f"林 {n:02d}", f"{reading} {n:02d}", current_company="青葉システムズ")
              for n, reading in enumerate(READINGS)]
    member_with_profile("林 秘", "ひみつ はやし", current_company="青葉システムズ",
                        visibility={"current_company": "admins"})
    index.reindex_all()
    return people


def _pages(viewer, query):
    found = search(viewer, query)
    # The index's order is used, not the entries' ORDER BY, when the index alone decides every word (a longer
    # word on PostgreSQL is checked against the text too).
    assert found.from_index_order == all(map(index.exact, query.words()))
    expected = list(found.entries.values_list("member_id", flat=True))
    assert found.total == len(expected)
    for size in (1, 2, 5, 24):
        for start in range(0, len(expected) + 2, size):
            assert found.member_ids(start, start + size) == expected[start:start + size], (start, size)
    return expected


def test_right_after_a_full_reindex_pages_follow_the_reading(network):
    assert NetworkSettings.objects.get(pk=1).directory_ordered_through == Entry.objects.latest("pk").pk
    viewer = MemberFactory(role=Role.ALUMNI)
    order = _pages(viewer, DirectoryQuery(q="林"))
    readings = list(User.objects.filter(pk__in=order).values_list("pk", "kana_key"))
    assert order == [pk for pk, _key in sorted(readings, key=lambda row: (row[1], row[0]))]
    _pages(viewer, DirectoryQuery(q="青葉システムズ"))
    _pages(MemberFactory(role=Role.ADMIN), DirectoryQuery(q="青葉システムズ"))  # the admins' entry of 林 秘


def test_saves_blocks_and_new_members_after_the_reindex_keep_every_page_exact(network):
    viewer = MemberFactory(role=Role.ALUMNI)
    actions.do_update_profile(network[0], {"bio": "林業"})  # わたなべ: written again, now after the ordered ids
    actions.do_update_profile(network[3], {"bio": "山林"})  # こばやし
    actions.do_block(viewer, network[2])
    actions.do_block(network[6], viewer)
    member_with_profile("林 新", "あ あらた")  # new: first in reading order, last in id order
    query = DirectoryQuery(q="林")
    order = _pages(viewer, query)
    assert network[2].pk not in order and network[6].pk not in order
    assert order[0] == User.objects.get(name="林 新").pk
    _pages(viewer, DirectoryQuery(q="林", member_type="alumni"))
    _pages(viewer, DirectoryQuery(q="林", member_type="employee"))
    _pages(viewer, DirectoryQuery(q="ない"))


@pytest.mark.parametrize("reading", ["んん", "ああ"], ids=["ahead", "behind"])
def test_a_member_renamed_during_the_reindex_is_written_after_the_ordered_ones(network, monkeypatch, reading):
    """The members are sorted first, their entries built afterwards: one renamed in between no longer fits its
    place, and only its entry is held back."""
    renamed = network[5]  # いとう
    build = index.Indexer.batch_rows

    def renaming_first(indexer, member_ids):
        User.objects.filter(pk=renamed.pk).update(name_kana=reading)
        return build(indexer, member_ids)

    monkeypatch.setattr(index.Indexer, "batch_rows", renaming_first)
    index.reindex_all()
    ordered_through = NetworkSettings.objects.get(pk=1).directory_ordered_through
    assert [pk for pk in Entry.objects.values_list("pk", flat=True) if pk > ordered_through] == [
        Entry.objects.get(member=renamed).pk]
    order = _pages(MemberFactory(role=Role.ALUMNI), DirectoryQuery(q="林"))
    assert order.index(renamed.pk) == (len(order) - 1 if reading == "んん" else 0)


def test_pages_are_sorted_as_before_once_many_entries_were_written_since_the_reindex(network, monkeypatch):
    from kizuna.directory import access

    viewer = MemberFactory(role=Role.ALUMNI)
    actions.do_update_profile(network[0], {"bio": "林業"})
    monkeypatch.setattr(access, "WALK_FROM", 0)  # "many" now
    found = search(viewer, DirectoryQuery(q="林"))
    assert not found.from_index_order
    assert found.member_ids(0, 24) == list(found.entries.values_list("member_id", flat=True))


def test_entries_built_under_older_rules_are_left_out_until_rebuilt(network):
    """A rule change raises the generation: until the background task rebuilds them, the old entries (built under
    looser rules, perhaps) are found by nobody, whichever way the page is read."""
    viewer = MemberFactory(role=Role.ALUMNI)
    NetworkSettings.objects.filter(pk=1).update(profile_rules_version=F("profile_rules_version") + 1)
    found = search(viewer, DirectoryQuery(q="林"))
    assert (found.total, found.member_ids(0, 24), found.from_index_order) == (0, [], False)
    index.reindex_stale()
    assert _pages(viewer, DirectoryQuery(q="林")) and search(viewer, DirectoryQuery(q="林")).total == len(network) + 1


def test_the_database_orders_reading_keys_as_python_does(db):
    """Pages merge the index's order with rows the database sorted: both must compare keys by code point (the
    "C" collation on PostgreSQL, whatever the database's locale)."""
    keys = ["あいう", "アイウ", "abc", "ABC", "ｱ", "a b", "Zürich", "ñ", "123", "漢字", "がっこう", "かっこう", "ー",
            "〜"]
    member = MemberFactory()
    for key in keys:
        Entry.objects.create(member=member, member_type="alumni", sort_key=key, text=key)
    assert list(Entry.objects.filter(member=member, sort_key__in=keys).order_by("sort_key")
                .values_list("sort_key", flat=True)) == sorted(keys)
