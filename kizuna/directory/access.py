"""What the directory shows a viewer: search over the entries built for the viewer's audience only.

The page, its htmx partial, the API and the admin export all call search(), so they agree on every
result, and none can find a member by a value the viewer may not see (the entries do not hold it).
"""

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Case, F, QuerySet, Value, When
from django.db.models.functions import StrIndex

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
    current_generation,
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
        for prefix, value in (("typ", self.member_type), ("ind", self.industry), ("loc", self.location)):
            if value:
                every.add(value_token(prefix, value))
        any_of = tuple(year_span(prefix, low, high) for prefix, low, high in (
            ("j", self.joined_from, self.joined_to), ("l", self.left_from, self.left_to))
            if low is not None or high is not None)
        if not every and not phrases and not any_of:
            return None
        return Match(frozenset({*every, AUDIENCE_TOKENS[audience]}), any_of, tuple(phrases))


@dataclass
class Found:
    """A search's result: the entries (one per member) in the chosen order, and how many there are."""

    entries: QuerySet
    total: int


def search(viewer, query: DirectoryQuery) -> Found:
    """The entries matching `query` as `viewer` sees the network, in the chosen order.

    Every filter is a token of the n-gram index (index.value_tokens), so the index alone counts the hits
    unless a word needs the substring check or entries built under older visibility rules are waiting to
    be rebuilt. Knowing the count, a page of many hits is found by walking the order's index until it is
    full; a page of a few by fetching them all and sorting."""
    audience = audience_of(viewer)
    generation = current_generation()
    entries = Entry.objects.filter(**{AUDIENCE_FLAGS[audience]: True}, generation=generation)
    blocked = sorted(blocked_ids(viewer))
    if blocked:
        entries = entries.exclude(member_id__in=blocked)
    match = query.match(audience)
    if match is None:
        return Found(entries.order_by(*ordering(query.sort)), entries.count())
    store = backend()
    checked = [word for word in query.words() if not store.exact(word)]
    for number, word in enumerate(checked):
        # The triples narrow; the substring check on the stored text makes the result exact.
        entries = entries.alias(**{f"at{number}": StrIndex("text", Value(word))}).filter(**{f"at{number}__gt": 0})
    # Entries built under older rules (generations only grow) wait to be rebuilt: the index cannot tell them.
    if checked or Entry.objects.filter(generation__lt=generation).exists():
        total = store.restrict(entries, match, walk=False).count()
    else:
        total = count_matching(match, without_members=blocked)
    walk = total > WALK_FROM
    return Found(store.restrict(entries, match, walk=walk).order_by(*ordering(query.sort, use_index=walk)), total)
