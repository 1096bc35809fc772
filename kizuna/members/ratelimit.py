"""A small fixed-window rate limit per client address, kept in the cache (shared when Redis is used)."""

import time

from django.core.cache import cache

from kizuna.core.actions import client_ip


def over_limit(request, action, *, limit, period):
    """Count one attempt of `action` from this client; True once it exceeds `limit` per `period` seconds."""
    window = int(time.time() // period)
    key = f"kizuna:ratelimit:{action}:{client_ip(request) or 'unknown'}:{window}"
    cache.add(key, 0, period)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add() and incr()
        cache.set(key, 1, period)
        count = 1
    return count > limit
