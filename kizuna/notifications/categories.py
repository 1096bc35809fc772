"""The kinds of notifications members can choose about. Apps register theirs in AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Mode


@dataclass(frozen=True)
class Category:
    key: str
    label: object  # lazy translation: shown on the account's notification settings
    # keys -> [(title, url)] of what is still worth telling, for the weekly digest (closed items drop out)
    describe: Callable
    default: str = Mode.INSTANT


CATEGORIES = {}


def register(category):
    CATEGORIES[category.key] = category
