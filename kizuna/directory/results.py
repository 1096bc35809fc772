"""Search results as the directory page and the export show them: ProfileViews built for the members of
one page (or one export chunk) only, in the order the search gave.

The search itself is access.search(); this module only turns the ids it finds into what a viewer may see.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from kizuna.members.access import view_profiles
from kizuna.members.models import State
from kizuna.members.profiles import ProfileView

from . import preload
from .access import search
from .index import member_type

PAGE_SIZE = 24


@dataclass
class Card:
    view: ProfileView
    member_type: str  # "alumni" or "employee", as the index and the member-type filter have it

    @property
    def is_employee(self):
        return self.member_type == "employee"


def cards_for(viewer, ids) -> list[Card]:
    """Cards of the members `ids`, in that order; members no longer active (withdrawn or suspended a
    moment ago) are left out. Members are loaded as the index loads them (preload.py): a page of cards
    in four plain queries."""
    listed = [member for member in preload.Preloader().members(list(ids)) if member.state == State.ACTIVE]
    return [Card(view, member_type(member)) for view, member in zip(view_profiles(viewer, listed), listed, strict=True)]


class _MemberIds:
    """The members a search found, in its order, read a page at a time (access.Found.member_ids)."""

    def __init__(self, found):
        self.found = found

    def __getitem__(self, window: slice):
        return self.found.member_ids(window.start, window.stop)


class FoundPaginator(Paginator):
    """Pages of a search, whose count the search has already taken."""

    def __init__(self, found, per_page):
        super().__init__(_MemberIds(found), per_page)
        self.total = found.total

    @cached_property
    def count(self):
        return self.total


def result_page(viewer, query, number):
    """Page `number` of the search (a Paginator page; out-of-range numbers give the nearest page) with
    `.cards` for its members."""
    page = FoundPaginator(search(viewer, query), PAGE_SIZE).get_page(number)
    page.cards = cards_for(viewer, list(page.object_list))
    return page
