"""Reads of notification preferences and of the bell."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from .categories import CATEGORIES
from .models import Alert, Preference


def modes_of(user):
    """{category: mode} for every registered category, defaults filled in."""
    chosen = dict(Preference.objects.filter(user=user).values_list("category", "mode"))
    return {key: chosen.get(key, category.default) for key, category in CATEGORIES.items()}


def modes_for(users, category):
    """{user_id: mode} of one category for many members (one query)."""
    default = CATEGORIES[category].default
    chosen = dict(Preference.objects.filter(user__in=users, category=category).values_list("user_id", "mode"))
    return {user.pk: chosen.get(user.pk, default) for user in users}


def alerts_of(user):
    """The member's bell, newest first; items caused by someone blocked either way, or suspended (their posts
    are hidden meanwhile), are left out."""
    from kizuna.members.access import blocked_ids
    from kizuna.members.models import State

    return (Alert.objects.filter(Q(actor__isnull=True) | Q(actor__state=State.ACTIVE))
            .filter(user=user).exclude(actor_id__in=blocked_ids(user)).order_by("-created_at", "-pk"))


def unread_alert_count(user):
    return alerts_of(user).filter(read_at__isnull=True).count()


def access_alert(user, pk):
    return get_object_or_404(alerts_of(user), pk=pk)
