"""What the directory shows a viewer: search over the entries built for the viewer's audience only.

The page, its htmx partial, the API and the admin export all call search(), so they agree on every
result, and none can find a member by a value the viewer may not see (the entries do not hold it).
"""

import functools
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Case, F, QuerySet, Value, When
from django.db.models.functions import StrIndex
from django.utils.functional import cached_property

from kizuna.core.text import normalize
from kizuna.members.access import blocked_ids
from kizuna.members.profiles import audience_of

from .index import (
    AUDIENCE_FLAGS,
    AUDIENCE_TOKENS,
    LONGEST_GRAM,
    Match,
    backend,
    count_matching,
    first_in_reading_order,
    search_state,
    value_token,
    word_grams,
    word_triples,
    year_span,
)
from .models import Entry

# A page of more hits than this is found by walking the order's index (fewer: fetched and sorted). Walking
# pays off only when hits are spread over the order: people with the same name sit together in reading
# order, and a walk to さとう reads a third of the network first. Sorting 40,000 hits costs about as much.
WALK_FROM = 40_000
# Sort → keys as (column, descending, nulls last); each order has an index (models.Entry).
SORTS = {
    "reading": (("sort_key", False, False), ("member_id", False, False)),
    "newest": (("activated_at", True, False), ("member_id", True, False)),
    "left": (("left_year", True, True), ("sort_key", False, False), ("member_id", False, False)),
}


def ordering(sort, *, use_index=True):
    """The order_by() of a sort. With use_index=False its first key is wrapped in a CASE that orders the same
    but matches no index: the database then fetches the matching entries through the n-gram index and sorts
    them. Otherwise PostgreSQL walks the order's index for a page, expecting matches spread evenly, and
    reads most of the table when they sit together in that order, as people with the same name do."""
    order = []
    for number, (column, descending, nulls_last) in enumerate(SORTS.get(sort, SORTS["reading"])):
        key = F(column)
        if number == 0 and not use_index:
            key = Case(When(pk__isnull=True, then=None), default=key, output_field=Entry._meta.get_field(column))
        order.append(key.desc(nulls_last=nulls_last or None) if descending else key.asc())
    return order


@dataclass
class DirectoryQuery:
    """A directory search: words (AND) and filters. Built from GET parameters by forms.DirectoryForm."""

    q: str = ""
    member_type: str = ""
    joined_from: int | None = None
    joined_to: int | None = None
    left_from: int | None = None
    left_to: int | None = None
    department: int | None = None
    company: int | None = None
    industry: str = ""
    location: str = ""
    purposes: list = field(default_factory=list)
    skills: list = field(default_factory=list)  # Skill ids
    sort: str = "reading"

    def words(self) -> list[str]:
        """Words separated by any space (U+3000 too), each folded like the indexed text."""
        return list(dict.fromkeys(filter(None, map(normalize, unicodedata.normalize("NFKC", self.q).split()))))

    def facets(self) -> set:
        """The tokens of the chosen purposes, skills, department and company (as in Entry.facets)."""
        found = {f"pur{code}" for code in self.purposes} | {f"skl{pk}" for pk in self.skills}
        for prefix, value in (("dep", self.department), ("com", self.company)):
            if value:
                found.add(value_token(prefix, value))
        return found

    def match(self, audience):
        """What the n-gram index must find for this query as `audience` sees the network (an index.Match),
        or None when the query has neither words nor filters."""
        every, phrases = self.facets(), []
        store = backend()
        for word in self.words():
            if len(word) > LONGEST_GRAM and store.exact(word):
                phrases.append(tuple(word_triples(word)))
            else:
                every |= word_grams(word)
        for prefix, value in (("ind", self.industry), ("loc", self.location)):
            if value:
                every.add(value_token(prefix, value))
        any_of = tuple(year_span(prefix, low, high) for prefix, low, high in (
            ("j", self.joined_from, self.joined_to), ("l", self.left_from, self.left_to))
            if low is not None or high is not None)
        without = {AUDIENCE_TOKENS[audience]}
        if self.member_type == "alumni" and (every or phrases or any_of):
            # There are two types, and employees are the fewer in an alumni network: leaving them out reads less
            # than listing the alumni (as long as the index has something else to list).
            without.add(value_token("typ", "employee"))
        elif self.member_type:
            every.add(value_token("typ", self.member_type))
        if not every and not phrases and not any_of:
            return None
        return Match(frozenset(every), any_of, tuple(phrases), frozenset(without))


class Found:
    """A search's result: how many members it found, and which, in the chosen order."""

    def __init__(self, total, entries, pages=None):
        self.total = total
        self._entries = entries
        self._pages = pages

    @cached_property
    def entries(self) -> QuerySet:
        """The entries found (one per member), in the chosen order."""
        return self._entries()

    def member_ids(self, start, stop) -> list[int]:
        """The members of the hits from `start` to `stop` (not included), in the search's order: without the
        entries' query when the search knows a faster way (_in_reading_order)."""
        if self._pages is not None:
            return self._pages(start, stop)
        return list(self.entries.values_list("member_id", flat=True)[start:stop])

    @property
    def from_index_order(self) -> bool:
        return self._pages is not None


def _in_reading_order(match, audience, generation, ordered_through, blocked, start, stop):
    """member_ids() of a search in reading order, from the index's id order: the entries up to `ordered_through`
    were written in reading order (index.reindex_all), so the first hits among them in id order are the first
    in reading order. The first hits written since (profiles saved after the re-index, usually a few) are added,
    in the same statement. Nothing is sorted that would not be shown: a page of 佐藤 costs what one of 佐藤健 does."""
    rows = first_in_reading_order(match, audience=audience, generation=generation, ordered_through=ordered_through,
                                  count=stop, without_members=blocked)
    return [member for _key, member in sorted(rows)[start:stop]]


def search(viewer, query: DirectoryQuery) -> Found:
    """The entries matching `query` as `viewer` sees the network, in the chosen order.

    Every filter is a token of the n-gram index (index.value_tokens), so the index alone counts the hits
    unless a word needs the substring check or entries built under older visibility rules are waiting to
    be rebuilt. Knowing the count, a page in reading order comes from the index's own order; in another order,
    a page of many hits is found by walking the order's index until it is full, a page of a few by fetching
    them all and sorting. The entries' query is built only when it is used."""
    audience = audience_of(viewer)
    generation, ordered_through, stale, written_since = search_state()
    blocked = sorted(blocked_ids(viewer))
    match = query.match(audience)
    store = backend()
    checked = [word for word in query.words() if not store.exact(word)] if match else []

    def visible():
        entries = Entry.objects.filter(**{AUDIENCE_FLAGS[audience]: True}, generation=generation)
        if blocked:
            entries = entries.exclude(member_id__in=blocked)
        for number, word in enumerate(checked):
            # The triples narrow; the substring check on the stored text makes the result exact.
            entries = entries.alias(**{f"at{number}": StrIndex("text", Value(word))}).filter(
                **{f"at{number}__gt": 0})
        return entries

    if match is None:
        return Found(visible().count(), lambda: visible().order_by(*ordering(query.sort)))
    # Entries built under older rules (generations only grow) waiting to be rebuilt: the index cannot tell them.
    index_alone = not checked and not stale
    total = count_matching(match, without_members=blocked) if index_alone else store.restrict(
        visible(), match, walk=False).count()
    walk = total > WALK_FROM
    pages = None
    # The entries written since the last full re-index are sorted for each page: while they are few.
    if index_alone and written_since <= WALK_FROM and SORTS.get(query.sort, SORTS["reading"]) == SORTS["reading"]:
        pages = functools.partial(_in_reading_order, match, audience, generation, ordered_through, blocked)
    return Found(total, lambda: store.restrict(visible(), match, walk=walk).order_by(
        *ordering(query.sort, use_index=walk)), pages)
