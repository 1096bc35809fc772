"""What the directory shows a viewer: search over the entries built for the viewer's audience only.

The page, its htmx partial, the API and the admin export all call search(), so they agree on every
result, and none can find a member by a value the viewer may not see (the entries do not hold it).
"""

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Case, F, Value, When
from django.db.models.functions import StrIndex

from kizuna.core.text import normalize
from kizuna.members.access import blocked_ids
from kizuna.members.profiles import audience_of

from .index import AUDIENCE_FLAGS, backend, current_generation, exact, is_dense, word_grams
from .models import Entry

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
        found = {f"pur{code}" for code in self.purposes} | {f"skl{pk}" for pk in self.skills}
        if self.department:
            found.add(f"dep{self.department}")
        if self.company:
            found.add(f"com{self.company}")
        return found


def search(viewer, query: DirectoryQuery):
    """Entries (one per member) matching `query` as `viewer` sees the network, in the chosen order."""
    entries = Entry.objects.filter(**{AUDIENCE_FLAGS[audience_of(viewer)]: True}, generation=current_generation())
    if blocked := blocked_ids(viewer):
        entries = entries.exclude(member_id__in=blocked)
    words = query.words()
    tokens = query.facets()
    for word in words:
        tokens |= word_grams(word)
    dense = True
    if tokens:
        dense = is_dense(tokens)
        entries = backend().restrict(entries, tokens, dense=dense)
    for number, word in enumerate(words):
        if not exact(word):
            # The triples narrow; the substring check on the stored text makes the result exact.
            entries = entries.alias(**{f"at{number}": StrIndex("text", Value(word))}).filter(**{f"at{number}__gt": 0})
    if query.member_type:
        entries = entries.filter(member_type=query.member_type)
    for column, low, high in (("joined_year", query.joined_from, query.joined_to),
                              ("left_year", query.left_from, query.left_to)):
        if low is not None:
            entries = entries.filter(**{f"{column}__gte": low})
        if high is not None:
            entries = entries.filter(**{f"{column}__lte": high})
    if query.industry:
        entries = entries.filter(industry=query.industry)
    if query.location:
        entries = entries.filter(location=query.location)
    return entries.order_by(*ordering(query.sort, use_index=dense))
