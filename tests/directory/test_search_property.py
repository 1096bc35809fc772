"""Property: for any query, search() finds exactly the members an independent oracle finds.

The oracle is a plain substring match over the normalised values each viewer may see (from
view_profile, the read model pages show), so it shares nothing with the n-gram index.
"""

import random

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kizuna.core.text import normalize
from kizuna.members.access import profile_members
from kizuna.members.models import Role, Visibility
from kizuna.members.profiles import LEVELS_SEEN_BY, audience_of, search_texts, view_profile

from ..factories import MemberFactory
from .helpers import found, member_with_profile

# Few characters, so that values share many character pairs (the index's candidates must be checked),
# with the folding in play: variant kanji, both kana scripts, widths, case, punctuation, spaces.
ALPHABET = "林髙高齋斉さとトｳaAａ+#　 "
FIELDS = ("current_company", "current_title", "bio")


@pytest.fixture
def network(db):
    rng = random.Random(20261121)
    members = []
    for _n in range(40):
        values = {key: "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 16))) for key in FIELDS}
        visibility = {key: rng.choice(Visibility.values) for key in FIELDS}
        name = "".join(rng.choice(ALPHABET.strip()) for _ in range(rng.randint(1, 4)))
        members.append(member_with_profile(name, "", visibility=visibility, romaji="", **values))
    viewers = [MemberFactory(role=role, name="閲覧") for role in (Role.ALUMNI, Role.EMPLOYEE, Role.ADMIN)]
    return members, viewers


def oracle(viewer, members, q):
    words = [w for w in (normalize(part) for part in q.replace("\u3000", " ").split()) if w]
    seen = LEVELS_SEEN_BY[audience_of(viewer)]
    hits = set()
    for member in profile_members().filter(pk__in=[m.pk for m in members]):
        texts = [normalize(text) for text in search_texts(view_profile(member, seen=seen))]
        if all(any(word in text for text in texts) for word in words):
            hits.add(member.pk)
    return hits


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(alphabet=ALPHABET, min_size=1, max_size=6), viewer_index=st.integers(0, 2))
def test_search_equals_the_oracle(network, q, viewer_index):
    assume(normalize(q))  # a query of spaces only lists everyone: nothing to compare
    members, viewers = network
    viewer = viewers[viewer_index]
    expected = oracle(viewer, members, q)
    assert found(viewer, q) - {v.pk for v in viewers} == expected


def test_character_pairs_alone_do_not_make_a_match(db):
    # "abbc" has the pairs of "abc" (ab, bc) but not "abc" itself.
    member = member_with_profile("甲", "", current_company="ab bc")
    assert found(member, "abc") == set()
    assert found(member, "abbc") == {member.pk}
