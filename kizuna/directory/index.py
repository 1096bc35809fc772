"""The directory's search index: one Entry per distinct view of a member, and an n-gram index over it.

Why n-grams of our own: trigram indexes (pg_trgm, FTS5's trigram tokenizer) cannot answer the 1- and
2-character queries Japanese names need (林, 佐藤), and pg_trgm ignores kanji under the C locale.
Every value is indexed as its characters, character pairs and triples, so a word of up to three
characters is one gram and the index alone answers it.

A longer word needs each of its triples. SQLite keeps the triples of each value in order, with their
positions, in a column of their own (a contentless FTS5 table, detail=full): the word is then the phrase
of its triples, which the index answers exactly too. PostgreSQL keeps the grams in a GIN-indexed text[]
without positions: the candidates having every triple are checked with a substring match on the stored
text. Both are keyed by Entry.id.
"""

import itertools
import multiprocessing
import operator
import os
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, connections, transaction
from django.db.models import BooleanField, Subquery
from django.db.models.expressions import RawSQL

from kizuna.core.batching import batched
from kizuna.core.models import Department, NetworkSettings
from kizuna.core.text import normalize, reading_key
from kizuna.members.models import Role, State, User
from kizuna.members.profiles import (
    LEVELS_SEEN_BY,
    Audience,
    custom_fields,
    search_texts,
    view_profile,
    visibility_rules,
)

from . import preload
from .models import Entry

AUDIENCE_FLAGS = {Audience.ALUMNI: "for_alumni", Audience.EMPLOYEES: "for_employees", Audience.ADMINS: "for_admins"}
BATCH = 2000
ENTRY_COLUMNS = ("member_id", "member_type", "sort_key", "activated_at", *AUDIENCE_FLAGS.values(), "joined_year",
                 "left_year", "industry", "location", "text", "facets", "generation")
# Written with plain SQL: Django's bulk_create spends ten times longer preparing the values.
INSERT_ENTRY = "INSERT INTO directory_entry (id, {}) VALUES ({})".format(  # noqa: S608 (constant names)
    ", ".join(ENTRY_COLUMNS), ", ".join(["%s"] * (len(ENTRY_COLUMNS) + 1)))
# Values up to this length (names of companies, skills, departments, labels) are remembered while indexing.
REPEATED_VALUE_LENGTH = 40
REMEMBERED_VALUES = 50_000
# A full re-index of more members than this builds its rows in worker processes, one per core (two at most:
# the writing process needs a core too).
PARALLEL_FROM = 20_000
WORKERS = min(2, os.cpu_count() or 1)
# FTS5's ascii tokenizer splits on ASCII punctuation; moving those characters to a private-use plane
# keeps "c++" or "a&b" one token. (A private-use character typed by a member may share a gram with one
# of these, so words with either kind are always checked against the text: see exact().)
_SAFE = str.maketrans({c: chr(0xF0000 + c) for c in range(0x80) if not chr(c).isalnum()})
_SHARED = frozenset(chr(c) for c in range(0x80) if not chr(c).isalnum()) | frozenset(
    chr(0xF0000 + c) for c in range(0x80))
LONGEST_GRAM = 3
# Ends a value's triples in the sequence column: longer than any gram, so no phrase runs on into the next value.
VALUE_END = "vend"
FTS5_AUTOMERGE = 4  # FTS5's default, restored after a rebuild
# Filterable values are indexed as tokens beside the grams (see value_tokens()), so a search counts its
# hits in the index alone. Years outside the filter's range share the bucket at either end.
FIRST_YEAR, LAST_YEAR = 1899, 2101
# An entry has the token of each audience it is not meant for ("notforalumni"), and a search leaves out those of
# the viewer's: most entries are for every audience, and a short list of exceptions costs the index much less
# to read than the long list of everyone (the same for member types: see access.DirectoryQuery.match).
AUDIENCE_TOKENS = {audience: "not" + flag.replace("_", "") for audience, flag in AUDIENCE_FLAGS.items()}
# PostgreSQL's GIN index cannot leave rows out: a NOT is checked on each candidate's array, read whole from
# TOAST storage (60 ms for the 9,000 entries of 林). There the arrays also hold the tokens of the audiences an
# entry is for ("foralumni"), and a search asks for the counterpart of each token it would leave out (of the two
# member types, searches leave out employees only).
_COUNTERPARTS = {**{token: token.removeprefix("not") for token in AUDIENCE_TOKENS.values()}, "typemployee": "typalumni"}


def value_terms(value: str) -> tuple[frozenset, tuple]:
    """The characters and character pairs of `value`, and its triples in order."""
    value = value.translate(_SAFE)
    pairs = list(map(operator.add, value, value[1:]))
    return frozenset(value).union(pairs), tuple(map(operator.add, pairs, value[2:]))


def grams(value: str) -> set:
    """Every character, character pair and triple of `value`."""
    short, triples = value_terms(value)
    return set(short).union(triples)


def word_triples(word: str) -> list:
    """The triples of `word`, in order."""
    word = word.translate(_SAFE)
    return [word[i:i + LONGEST_GRAM] for i in range(len(word) - LONGEST_GRAM + 1)]


def word_grams(word: str) -> set:
    """The grams every value containing `word` has: the word itself up to three characters, else its triples."""
    return {word.translate(_SAFE)} if len(word) <= LONGEST_GRAM else set(word_triples(word))


def exact(word: str) -> bool:
    """True when the index alone decides whether a value contains `word` on this database; other words are
    checked against the entry's text as well."""
    return backend().exact(word)


def value_token(prefix, value) -> str:
    """One filterable value as a token: letters and digits only, which every tokenizer keeps whole."""
    return prefix + "".join(filter(str.isalnum, str(value)))


def _year_tokens(prefix, year):
    year = min(max(year, FIRST_YEAR), LAST_YEAR)
    return (f"{prefix}y{year}", f"{prefix}d{year // 10}")


def value_tokens(*, member_type, joined_year, left_year, industry, location, audiences) -> set:
    """The tokens of an entry's filterable values: its member type, join and leave year (the year and its
    decade), industry, location, and the audiences it is not for."""
    found = {value_token("typ", member_type)}
    if joined_year is not None:
        found.update(_year_tokens("j", joined_year))
    if left_year is not None:
        found.update(_year_tokens("l", left_year))
    if industry:
        found.add(value_token("ind", industry))
    if location:
        found.add(value_token("loc", location))
    found.update(token for audience, token in AUDIENCE_TOKENS.items() if audience not in audiences)
    return found


def year_span(prefix, low, high) -> list:
    """Tokens of which an entry has one when its year lies in [low, high] (None: open): whole decades as
    one token, so a span is at most about twenty of them."""
    year, high = FIRST_YEAR if low is None else low, LAST_YEAR if high is None else high
    tokens = []
    while year <= high:
        if year % 10 == 0 and year + 9 <= high:
            tokens.append(f"{prefix}d{year // 10}")
            year += 10
        else:
            tokens.append(f"{prefix}y{year}")
            year += 1
    return tokens


def entry_terms(entry) -> tuple[str, str]:
    """What the index holds of an entry: its grams (facets, characters and pairs), and its triples value by
    value (each value's in order, then VALUE_END), as the columns of the SQLite table take them."""
    return text_terms(entry.facets, entry.text)


def text_terms(facets, text, terms_of=value_terms) -> tuple[str, str]:
    """entry_terms() of an entry's facets and text (terms_of: value_terms, or a remembering stand-in)."""
    found, sequence = set(facets.split()), []
    for value in text.split("\n") if text else ():
        short, triples = terms_of(value)
        found |= short
        if triples:
            sequence += (*triples, VALUE_END)
    return " ".join(sorted(found)), " ".join(sequence)


class _SQLite:
    def exact(self, word):
        # Any length: a longer word is the phrase of its triples. A word with a character of _SHARED is not:
        # its grams may stand for either kind.
        return _SHARED.isdisjoint(word)

    def add(self, cursor, rows, terms):
        """rows: (id, *ENTRY_COLUMNS values); terms: (id, grams, sequence) as entry_terms() gives them."""
        adapt = connection.ops.adapt_datetimefield_value
        at = 1 + ENTRY_COLUMNS.index("activated_at")
        cursor.executemany(INSERT_ENTRY, [(*row[:at], adapt(row[at]), *row[at + 1:]) for row in rows])
        cursor.executemany("INSERT INTO directory_fts(rowid, grams, sequence) VALUES (%s, %s, %s)", terms)

    def rebuild_begin(self, cursor):
        cursor.execute("INSERT INTO directory_fts(directory_fts) VALUES ('delete-all')")
        # No merging of segments while loading: 'optimize' merges them all once at the end.
        cursor.execute("INSERT INTO directory_fts(directory_fts, rank) VALUES ('automerge', 0)")
        cursor.execute("DELETE FROM directory_entry")

    def rebuild_end(self, cursor):
        # One segment instead of the hundreds a bulk load leaves: each search reads one doclist per gram.
        cursor.execute("INSERT INTO directory_fts(directory_fts) VALUES ('optimize')")
        cursor.execute("INSERT INTO directory_fts(directory_fts, rank) VALUES ('automerge', %s)", [FTS5_AUTOMERGE])
        cursor.execute("ANALYZE directory_entry")

    def new_ids(self, cursor, count):
        # AUTOINCREMENT keeps the highest id ever used here (ids are never reused); the write lock is ours.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = 'directory_entry'")
        row = cursor.fetchone()
        start = row[0] if row else 0
        return range(start + 1, start + count + 1)

    def remove(self, cursor, entries):
        # A contentless table forgets a row when given exactly the terms it was indexed with.
        cursor.executemany("INSERT INTO directory_fts(directory_fts, rowid, grams, sequence) "
                           "VALUES ('delete', %s, %s, %s)", [(e.pk, *entry_terms(e)) for e in entries])

    def raw_matching(self, match, *, above=None):
        """SQL selecting the ids (as `id`) of the entries `match` finds (with ids above `above`, if given), and
        its parameters."""
        groups = [" AND ".join(f'"{token}"' for token in sorted(match.every))] if match.every else []
        groups += ['sequence : "{}"'.format(" ".join(phrase)) for phrase in match.phrases]
        groups += ["(" + " OR ".join(f'"{token}"' for token in group) + ")" for group in match.any_of]
        expression = " AND ".join(groups)
        if match.without:
            expression = "({}) NOT ({})".format(expression, " OR ".join(f'"{t}"' for t in sorted(match.without)))
        sql, params = "SELECT rowid AS id FROM directory_fts WHERE directory_fts MATCH %s", [expression]
        if above is not None:
            sql, params = sql + " AND rowid > %s", [*params, above]
        return sql, params

    def first_matching(self, match, *, through, count, without_members):
        """SQL selecting the first `count` ids (as `id`, up to `through`, in id order) of the entries `match`
        finds, leaving out those of `without_members`: FTS5 lists them in id order and stops there."""
        sql, params = self.raw_matching(match)
        sql += " AND rowid <= %s" + _not_of_members("rowid", without_members) + " ORDER BY rowid LIMIT %s"
        return sql, [*params, through, *without_members, count]

    def restrict(self, entries, match, *, walk):
        """`entries` that `match` finds. SQLite's planner cannot see how many entries a MATCH finds, and
        would fetch and sort every one of them for a page; when they are many (`walk`), `+id` makes it walk
        the order's index instead and stop after a page."""
        sql, params = self.raw_matching(match)
        if walk:
            return entries.filter(RawSQL(f"+directory_entry.id IN ({sql})", params,  # noqa: S611
                                         output_field=BooleanField()))
        return entries.filter(pk__in=RawSQL(sql, params))  # noqa: S611


class _Postgres:
    grams_table = "directory_grams"

    def exact(self, word):
        # Without positions a longer word's triples may sit apart: such words are checked against the text.
        return len(word) <= LONGEST_GRAM and _SHARED.isdisjoint(word)

    def add(self, cursor, rows, terms):
        """rows: (id, *ENTRY_COLUMNS values); terms: (id, grams, sequence) as entry_terms() gives them, kept
        here as one set. COPY: several times faster than INSERT for thousands of rows."""
        with cursor.copy(f"COPY directory_entry (id, {', '.join(ENTRY_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        flags = [1 + ENTRY_COLUMNS.index(flag) for flag in AUDIENCE_FLAGS.values()]
        audiences = {row[0]: [_COUNTERPARTS[token] for token, at in zip(AUDIENCE_TOKENS.values(), flags, strict=True)
                              if row[at]] for row in rows}
        with cursor.copy(f"COPY {self.grams_table} (entry_id, grams) FROM STDIN") as copy:
            for pk, found, sequence in terms:
                triples = set(sequence.split(" ")) - {VALUE_END, ""}
                copy.write_row((pk, [*found.split(" "), *triples, *audiences[pk]]))

    def rebuild_begin(self, cursor):
        """A full rebuild fills a new gram table and swaps it in at the end, so searches keep the old index
        until the commit; profile saves meanwhile wait (the lock) instead of writing into the old one."""
        cursor.execute("LOCK TABLE directory_entry IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute("DELETE FROM directory_entry")
        cursor.execute("DROP TABLE IF EXISTS directory_grams_new")
        cursor.execute("CREATE TABLE directory_grams_new (entry_id integer PRIMARY KEY, grams text[] NOT NULL)")
        self.grams_table = "directory_grams_new"

    def rebuild_end(self, cursor):
        # Building the GIN index once over all rows is much faster than growing it row by row.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("CREATE INDEX directory_grams_new_gin ON directory_grams_new USING gin (grams)")
        cursor.execute("DROP TABLE directory_grams")
        cursor.execute("ALTER TABLE directory_grams_new RENAME TO directory_grams")
        cursor.execute("ALTER INDEX directory_grams_new_gin RENAME TO directory_grams_gin")
        cursor.execute("ALTER INDEX directory_grams_new_pkey RENAME TO directory_grams_pkey")
        cursor.execute("ANALYZE directory_entry")
        cursor.execute("ANALYZE directory_grams")
        self.grams_table = "directory_grams"

    def new_ids(self, cursor, count):
        cursor.execute("SELECT nextval(pg_get_serial_sequence('directory_entry', 'id')) FROM generate_series(1, %s)",
                       [count])
        return [row[0] for row in cursor.fetchall()]

    def remove(self, cursor, entries):
        cursor.execute("DELETE FROM directory_grams WHERE entry_id = ANY(%s)", [[e.pk for e in entries]])

    def raw_matching(self, match, *, above=None):
        where, params = [], []
        if above is not None:
            where.append("entry_id > %s")
            params.append(above)
        every = match.every | {_COUNTERPARTS[token] for token in match.without}
        if every:
            where.append("grams @> %s::text[]")
            params.append(sorted(every))
        for group in match.any_of:
            where.append("grams && %s::text[]")
            params.append(list(group))
        return "SELECT entry_id AS id FROM directory_grams WHERE " + " AND ".join(where), params  # noqa: S608

    def first_matching(self, match, *, through, count, without_members):
        # "+ 0": matches are fetched through the GIN index and the first ones kept, never found by walking the
        # ids in order (people with the same name sit together: the walk would read a third of the table first).
        sql, params = self.raw_matching(match)
        sql += " AND entry_id <= %s" + _not_of_members("entry_id", without_members) + " ORDER BY entry_id + 0 LIMIT %s"
        return sql, [*params, through, *without_members, count]

    def restrict(self, entries, match, *, walk):
        """`entries` that `match` finds (the search's order decides how PostgreSQL reads them)."""
        return entries.filter(pk__in=RawSQL(*self.raw_matching(match)))  # noqa: S611 (tokens are parameters)


def _not_of_members(column, member_ids):
    """A condition leaving out the entries of these members (their ids follow the query's other parameters)."""
    if not member_ids:
        return ""
    marks = ", ".join(["%s"] * len(member_ids))
    return f" AND {column} NOT IN (SELECT id FROM directory_entry WHERE member_id IN ({marks}))"  # noqa: S608


@dataclass(frozen=True)
class Match:
    """What a search asks of the n-gram index: entries with every token of `every` (grams and filters), each
    phrase of `phrases` (a longer word's triples, in order: SQLite), at least one token of each group in
    `any_of` (a span of years), and none of `without` (not for the viewer's audience, another member type).
    At least one of the first three is never empty: the index lists entries by what they have."""

    every: frozenset
    any_of: tuple = ()
    phrases: tuple = ()
    without: frozenset = frozenset()


def count_matching(match, *, without_members=()) -> int:
    """How many entries `match` finds, leaving out those of `without_members`: the index alone answers
    (plus the entries of the members left out, usually a handful)."""
    sql, params = backend().raw_matching(match)
    sql = f"SELECT count(*) FROM ({sql}) AS matching WHERE TRUE" + _not_of_members("matching.id", without_members)  # noqa: S608
    params = [*params, *without_members]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def first_in_reading_order(match, *, audience, generation, ordered_through, count, without_members=()) -> list:
    """(sort key, member id) of up to `count` entries `match` finds among those up to `ordered_through` (the first
    in id order, which is their reading order: see reindex_all), and as many of those after it (the first in
    reading order), leaving out the entries of `without_members`: one statement, a few rows. The rows' audience
    flag and generation are checked too, though the index's tokens already decide them."""
    store = backend()
    first_sql, first_params = store.first_matching(match, through=ordered_through, count=count,
                                                   without_members=without_members)
    later_sql, later_params = store.raw_matching(match, above=ordered_through)
    shown = f"{AUDIENCE_FLAGS[audience]} AND generation = %s"
    sql = (f"SELECT sort_key, member_id FROM directory_entry WHERE id IN ({first_sql}) AND {shown} UNION ALL "  # noqa: S608
           f"SELECT sort_key, member_id FROM directory_entry WHERE id IN (SELECT id FROM directory_entry "
           f"WHERE id IN ({later_sql}) AND {shown}{_not_of_members('id', without_members)} "
           f"ORDER BY sort_key, member_id LIMIT %s)")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*first_params, generation, *later_params, generation, *without_members, count])
        return cursor.fetchall()


def forget_orphan_grams(using="default", **kwargs):
    """Empty the gram index when there are no entries: searches count hits in the index alone, so it must
    never hold the grams of entries that are gone (as after `flush`, which knows only model tables)."""
    connection = connections[using]
    if Entry._meta.db_table not in connection.introspection.table_names() or Entry.objects.using(using).exists():
        return  # not migrated (yet), or entries to keep
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DELETE FROM directory_grams")
        else:
            cursor.execute("INSERT INTO directory_fts(directory_fts) VALUES ('delete-all')")


def current_generation() -> int:
    """Read from the database, not the settings cache: a stale cached value could let entries built
    under looser rules back into searches."""
    return NetworkSettings.objects.filter(pk=1).values_list("profile_rules_version", flat=True).first() or 0


class SearchState(NamedTuple):
    generation: int  # of the visibility rules: searches use only entries built under them
    ordered_through: int  # the last entry id of the last full re-index's reading order (see reindex_all)
    stale: bool  # entries built under older rules wait to be rebuilt
    written_since: int  # at most this many entries were written after the last full re-index


def search_state() -> SearchState:
    """What a search must know of the index, in one query (from the database, as current_generation())."""
    # The oldest generation (an index's first row): the database cannot walk an index for "any entry older than
    # this row's value" (PostgreSQL read every entry for it).
    oldest = Subquery(Entry.objects.order_by("generation").values("generation")[:1])
    newest = Subquery(Entry.objects.order_by("-pk").values("pk")[:1])
    found = (NetworkSettings.objects.filter(pk=1).annotate(oldest=oldest, newest=newest)
             .values_list("profile_rules_version", "directory_ordered_through", "oldest", "newest").first())
    if not found:
        return SearchState(0, 0, False, 0)
    generation, ordered_through, oldest, newest = found
    return SearchState(generation, ordered_through, oldest is not None and oldest < generation,
                       max((newest or 0) - ordered_through, 0))


def backend():
    return _Postgres() if connection.vendor == "postgresql" else _SQLite()


def member_type(member) -> str:
    """Alumni or employee, as the directory's filter and badges say (HR staff are employees)."""
    if member.role == Role.ALUMNI or (member.role == Role.MODERATOR and member.left_on):
        return "alumni"
    return "employee"


def sort_key(name, name_kana) -> str:
    """An entry's place in the reading order (Entry.sort_key): its reading, else its name, folded."""
    return (reading_key(name_kana) or normalize(name))[:150]


def is_listed(member) -> bool:
    """Only active members who have not hidden themselves are in the directory at all."""
    profile = getattr(member, "profile", None)
    return member.state == State.ACTIVE and not (profile and profile.hidden)


class Indexer:
    """Builds entries; holds what every member's entry needs (rules, custom fields, department tree) and,
    over a whole re-index, the values seen so far: company names, skills and labels repeat across
    thousands of members, so their folding and grams are computed once."""

    def __init__(self):
        # Rules and their generation from one fresh read: entries must carry the rules they were built with.
        network, _created = NetworkSettings.objects.get_or_create(pk=1)
        self.fields = custom_fields()
        self.rules = visibility_rules(self.fields, network)
        self.generation = network.profile_rules_version
        self._preloader = preload.Preloader()
        self.parents = dict(Department.objects.values_list("pk", "parent_id"))
        self._audiences = {}
        self._departments = {}
        self._folded = {}
        self._grams = {}

    def _with_ancestors(self, department_id):
        while department_id:
            yield department_id
            department_id = self.parents.get(department_id)

    def facets(self, view):
        found = {f"skl{skill.pk}" for skill in view.skills} | {f"pur{code}" for code in view.purposes}
        for place in [view] + view.career:
            if place.company:
                found.add(f"com{place.company.pk}")
            if place.department:
                found.update(self._department_facets(place.department.pk))
        return " ".join(sorted(found))

    def _department_facets(self, pk):
        """A department's facet and its parents' (a search by a division finds its departments)."""
        facets = self._departments.get(pk)
        if facets is None:
            facets = self._departments[pk] = tuple(f"dep{d}" for d in self._with_ancestors(pk))
        return facets

    def _audience_groups(self, member):
        """Audiences that see the same fields of this member, each group with the levels one of them sees.
        The fields come from view_profile itself (on an empty member with the same choices), so this
        never drifts from profiles.py; most members keep the defaults, so it is computed a few times."""
        choices = getattr(member, "profile", None)
        choices = (choices.visibility or {}) if choices is not None else {}
        key = (member.role, *sorted(choices.items()))
        groups = self._audiences.get(key)
        if groups is None:
            probe = preload.Row(pk=0, name="", name_kana="", role=member.role, profile=preload.empty_profile(),
                                career=preload.Rows(), custom_values=preload.Rows(), joined_on=None, left_on=None,
                                company=None, department=None)
            probe.profile.visibility = choices
            by_visible = {}
            for audience in Audience:
                seen = LEVELS_SEEN_BY[audience]
                visible = view_profile(probe, seen=seen, rules=self.rules, fields=self.fields).visible
                by_visible.setdefault(visible, (seen, []))[1].append(audience)
            groups = self._audiences[key] = list(by_visible.values())
        return groups

    def _fold(self, text):
        return _remembered(self._folded, text, normalize)

    def _terms(self, value):
        return _remembered(self._grams, value, value_terms)

    def rows(self, member):
        """(values of an Entry without its id in ENTRY_COLUMNS order, its terms as entry_terms() gives them)
        for each distinct view of `member`. Audiences whose
        views differ only in fields the member left empty share one entry."""
        if not is_listed(member):
            return []
        common = (member.pk, member_type(member), sort_key(member.name, member.name_kana),
                  member.activated_at or member.date_joined)
        by_content = {}
        for seen, audiences in self._audience_groups(member):
            view = view_profile(member, seen=seen, rules=self.rules, fields=self.fields)
            texts = "\n".join(dict.fromkeys(filter(None, map(self._fold, search_texts(view)))))
            content = (view.joined_on.year if view.joined_on else None, view.left_on.year if view.left_on else None,
                       view.industry, view.location, texts, self.facets(view), self.generation)
            by_content.setdefault(content, set()).update(audiences)
        rows = []
        for (joined, left, industry, location, texts, facets, generation), audiences in by_content.items():
            found = set(facets.split()) | value_tokens(member_type=common[1], joined_year=joined, left_year=left,
                                                       industry=industry, location=location, audiences=audiences)
            facets = " ".join(sorted(found))
            values = (*common, *(audience in audiences for audience in AUDIENCE_FLAGS),
                      joined, left, industry, location, texts, facets, generation)
            rows.append((values, text_terms(facets, texts, self._terms)))
        return rows

    def entries(self, member) -> list[Entry]:
        """The unsaved entries of `member` (a model instance from profile_members(), or a preloaded row)."""
        return [Entry(**dict(zip(ENTRY_COLUMNS, values, strict=True))) for values, _terms in self.rows(member)]

    def load(self, member_ids):
        """Members with these ids, ready for rows()/entries() (see preload.py)."""
        return self._preloader.members(member_ids)

    def batch_rows(self, member_ids) -> list:
        """rows() of the members with these ids, one after the other."""
        return list(itertools.chain.from_iterable(map(self.rows, self.load(member_ids))))


def insert(rows, *, store=None) -> list:
    """Insert entries and their grams (rows as Indexer.rows() gives them), ids in the order of `rows`; returns
    the ids."""
    if not rows:
        return []
    store = store or backend()
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        ids = store.new_ids(cursor, len(rows))
        store.add(cursor, [(pk, *values) for pk, (values, _terms) in zip(ids, rows, strict=True)],
                  [(pk, *terms) for pk, (_values, terms) in zip(ids, rows, strict=True)])
    return list(ids)


def _remembered(cache, text, compute):
    """compute(text), kept in `cache` for short texts (values that repeat across members). Names are short
    but unique: the cache starts over now and then rather than keep every one of them."""
    found = cache.get(text)
    if found is None:
        found = compute(text)
        if len(text) <= REPEATED_VALUE_LENGTH:
            if len(cache) >= REMEMBERED_VALUES:
                cache.clear()
            cache[text] = found
    return found


def _delete_entries(member_ids):
    """Delete these members' entries and their grams (plain SQL: this runs on every profile save). Entries
    deleted any other way (a member's account deleted) lose their grams through signals.py."""
    where = "WHERE member_id IN ({})".format(", ".join(["%s"] * len(member_ids)))
    with connection.cursor() as cursor:
        if connection.features.can_return_rows_from_bulk_insert:  # RETURNING: PostgreSQL, SQLite 3.35+
            cursor.execute("DELETE FROM directory_entry " + where + " RETURNING id, text, facets", member_ids)  # noqa: S608
            deleted = cursor.fetchall()
        else:
            cursor.execute("SELECT id, text, facets FROM directory_entry " + where, member_ids)  # noqa: S608
            deleted = cursor.fetchall()
            cursor.execute("DELETE FROM directory_entry " + where, member_ids)  # noqa: S608
        if deleted:
            backend().remove(cursor, [preload.Row(pk=pk, text=text, facets=facets) for pk, text, facets in deleted])


def reindex_members(member_ids):
    """Bring these members' entries up to date now (called inside the action that changed them: no savepoint of
    its own, two round trips on every profile save; a failure here fails the action)."""
    member_ids = list(member_ids)
    with transaction.atomic(savepoint=False):
        indexer = Indexer()
        for batch in batched(member_ids, BATCH):
            _delete_entries(batch)
            insert(indexer.batch_rows(batch))


def reindex_all(*, progress=None) -> int:
    """Rebuild the whole index in one transaction: searches see the old index until it is done.

    Entries are written in reading order (Entry.sort_key, then member), so the entries of people with the same
    name (who the searches for a name find together) sit side by side on disk, and a page of a search in that
    order is the first hits in id order (access.search). Members are taken in the order of their entries' key
    (sorted here, by code point as both databases compare it: PostgreSQL's column has the "C" collation); an
    entry whose key is not the one its member was sorted by (renamed meanwhile) is held back and written after
    the others, and NetworkSettings.directory_ordered_through records where the ordered ids end. Building the
    rows takes most of the time: in a big network worker processes build them while this one writes (see
    _Workers). Planner statistics are refreshed."""
    count, ordered_through, held_back = 0, 0, []
    store = backend()
    with _Workers() if _worth_workers() else _InProcess() as build, transaction.atomic():
        with connection.cursor() as cursor:
            store.rebuild_begin(cursor)
        members = User.objects.filter(state=State.ACTIVE).values_list("name", "name_kana", "pk")
        keys = {pk: sort_key(name, kana) for name, kana, pk in members}
        for rows in build(batched(sorted(keys, key=lambda pk: (keys[pk], pk)), BATCH)):
            in_order = []
            for row in rows:
                values = row[0]
                (in_order if values[_SORT_KEY] == keys[values[_MEMBER]] else held_back).append(row)
            written = insert(in_order, store=store)
            ordered_through = written[-1] if written else ordered_through
            count += len(written)
            if progress:
                progress(count)
        count += len(insert(held_back, store=store))
        if progress:
            progress(count)
        NetworkSettings.objects.filter(pk=1).update(directory_ordered_through=ordered_through)
        with connection.cursor() as cursor:
            store.rebuild_end(cursor)
    return count


_SORT_KEY, _MEMBER = ENTRY_COLUMNS.index("sort_key"), ENTRY_COLUMNS.index("member_id")


def _worth_workers() -> bool:
    """Workers for a network of more than PARALLEL_FROM members, outside any transaction (the workers read
    on their own connections and would not see this one's uncommitted writes)."""
    return (WORKERS > 1 and not connection.in_atomic_block
            and User.objects.filter(state=State.ACTIVE)[PARALLEL_FROM:PARALLEL_FROM + 1].exists())


class _InProcess:
    def __enter__(self):
        indexer = Indexer()
        return lambda batches: map(indexer.batch_rows, batches)

    def __exit__(self, *exc):
        return False


class _Workers:
    """Processes forked before the rebuild's transaction begins (connections closed first: each opens its
    own), each with its own Indexer, building the rows of batches of members in order."""

    def __enter__(self):
        connections.close_all()
        self.pool = multiprocessing.get_context("fork").Pool(WORKERS, initializer=_start_worker)
        return lambda batches: self.pool.imap(_worker_rows, batches)

    def __exit__(self, *exc):
        self.pool.terminate()
        self.pool.join()
        return False


_worker_indexer = None


def _start_worker():
    global _worker_indexer  # one Indexer per worker process
    _worker_indexer = Indexer()


def _worker_rows(member_ids):
    return _worker_indexer.batch_rows(member_ids)


def reindex_stale() -> int:
    """Re-index members whose entries predate the current visibility rules, a batch per transaction
    (searches leave stale entries out meanwhile, so a tightened rule is never searchable; see access.py)."""
    generation = current_generation()
    done = 0
    while True:
        stale = list(Entry.objects.exclude(generation=generation).values_list("member_id", flat=True)
                     .distinct()[:BATCH])
        if not stale:
            return done
        reindex_members(stale)
        done += len(stale)
