"""Making members with profiles, and searching as someone, for the directory's tests."""

from kizuna.directory.access import DirectoryQuery, search
from kizuna.members import actions

from ..factories import MemberFactory


def member_with_profile(name, kana="", *, visibility=None, **profile):
    member = MemberFactory(name=name, name_kana=kana)
    if profile or visibility:
        actions.do_update_profile(member, profile, visibility=visibility)
    return member


def found(viewer, q="", **filters):
    """The ids a search by `viewer` finds (as a set, order aside); the count the page shows must agree."""
    result = search(viewer, DirectoryQuery(q=q, **filters))
    ids = list(result.entries.values_list("member_id", flat=True))
    assert result.total == len(ids), (q, filters)
    return set(ids)
