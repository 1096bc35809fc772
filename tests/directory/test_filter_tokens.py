"""Filters are answered by tokens in the n-gram index: a span of years must find exactly the years a
range filter on the column would."""

import itertools

import pytest

from kizuna.directory.index import _year_tokens, year_span

BOUNDS = [None, 1900, 1901, 1909, 1910, 1999, 2000, 2009, 2015, 2019, 2020, 2100]


@pytest.mark.parametrize(("low", "high"), [(low, high) for low, high in itertools.product(BOUNDS, BOUNDS)
                                           if low is None or high is None or low <= high])
def test_a_year_span_finds_exactly_the_years_in_range(low, high):
    span = set(year_span("j", low, high))
    for year in range(1850, 2160):  # stored years may lie outside what the filter accepts
        in_range = (low is None or year >= low) and (high is None or year <= high)
        assert bool(span & set(_year_tokens("j", year))) == in_range, year
    assert len(span) <= 30


def test_the_migration_gives_existing_entries_the_tokens_indexing_gives_them(db):
    """Networks indexed before filters were tokens get them from the entries' own columns (and then the tokens
    of the audiences an entry is not for, instead of those it is for)."""
    import datetime
    import importlib

    from django.db import connection

    from kizuna.directory.access import DirectoryQuery, search
    from kizuna.directory.models import Entry

    from .helpers import member_with_profile

    migrations = [importlib.import_module(f"kizuna.directory.migrations.{name}")
                  for name in ("0005_value_tokens", "0007_audience_exceptions")]
    alumna = member_with_profile("林 明美", "はやし あけみ", industry="it", location="JP-27",
                                 visibility={"current_company": "admins"}, current_company="青葉システムズ")
    alumna.joined_on, alumna.left_on = datetime.date(1998, 4, 1), datetime.date(2016, 3, 31)
    alumna.save()
    indexed = dict(Entry.objects.values_list("pk", "facets"))
    assert sorted("notforalumni" in facets.split() for facets in indexed.values()) == [False, True]  # admins' differs
    old_kinds = ("dep", "com", "skl", "pur")  # the facets entries had before
    for pk, facets in indexed.items():
        Entry.objects.filter(pk=pk).update(facets=" ".join(t for t in facets.split() if t.startswith(old_kinds)))

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    for migration in migrations:
        migration.rebuild(None, editor)
    assert dict(Entry.objects.values_list("pk", "facets")) == indexed
    viewer = member_with_profile("検索 する人")
    query = DirectoryQuery(q="林", industry="it", location="JP-27", joined_to=2000, left_from=2016)
    assert list(search(viewer, query).entries.values_list("member_id", flat=True)) == [alumna.pk]


def test_an_entry_has_the_token_of_each_audience_it_is_not_for_and_no_other(db):
    """Searches leave out entries by these tokens alone: an entry missing one would be found by that audience."""
    from kizuna.directory.index import AUDIENCE_FLAGS, AUDIENCE_TOKENS
    from kizuna.directory.models import Entry

    from .helpers import member_with_profile

    member_with_profile("林 明美", "はやし あけみ", visibility={"current_company": "admins", "bio": "alumni"},
                        current_company="青葉システムズ", bio="こんにちは")
    member_with_profile("森 一", "もり はじめ", current_company="青葉システムズ")
    entries = list(Entry.objects.all())
    assert len(entries) >= 3
    for entry in entries:
        tokens = {token for token in entry.facets.split() if "for" in token}
        assert tokens == {AUDIENCE_TOKENS[audience] for audience, flag in AUDIENCE_FLAGS.items()
                          if not getattr(entry, flag)}, entry.facets
