"""Search results as the directory page and the export show them: ProfileViews built for the members of
one page (or one export chunk) only, in the order the search gave.

The search itself is access.search(); this module only turns the ids it finds into what a viewer may see.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator

from kizuna.members.access import profile_members, view_profiles
from kizuna.members.models import State
from kizuna.members.profiles import ProfileView

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
    moment ago) are left out."""
    members = {m.pk: m for m in profile_members().filter(pk__in=list(ids), state=State.ACTIVE)}
    listed = [members[pk] for pk in ids if pk in members]
    return [Card(view, member_type(member)) for view, member in zip(view_profiles(viewer, listed), listed, strict=True)]


def result_page(viewer, query, number):
    """Page `number` of the search (a Paginator page; out-of-range numbers give the nearest page) with
    `.cards` for its members."""
    page = Paginator(search(viewer, query).values_list("member_id", flat=True), PAGE_SIZE).get_page(number)
    page.cards = cards_for(viewer, list(page.object_list))
    return page
