"""Reads of notification preferences."""

from .categories import CATEGORIES
from .models import Preference


def modes_of(user):
    """{category: mode} for every registered category, defaults filled in."""
    chosen = dict(Preference.objects.filter(user=user).values_list("category", "mode"))
    return {key: chosen.get(key, category.default) for key, category in CATEGORIES.items()}


def modes_for(users, category):
    """{user_id: mode} of one category for many members (one query)."""
    default = CATEGORIES[category].default
    chosen = dict(Preference.objects.filter(user__in=users, category=category).values_list("user_id", "mode"))
    return {user.pk: chosen.get(user.pk, default) for user in users}
