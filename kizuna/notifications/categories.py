"""The kinds of notifications members can choose about. Apps register theirs in AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Mode


@dataclass(frozen=True)
class Category:
    key: str
    label: object  # lazy translation: shown on the account's notification settings
    # (member, keys) -> [(title, url)] of what is still worth telling that member, for the digest (closed or
    # hidden items, and what the member may no longer see, drop out)
    describe: Callable
    default: str = Mode.INSTANT
    # The choices members have; the feed's categories offer a daily digest, jobs a weekly one.
    modes: tuple = (Mode.INSTANT, Mode.WEEKLY, Mode.OFF)


CATEGORIES = {}


def register(category):
    CATEGORIES[category.key] = category
