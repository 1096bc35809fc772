"""Posting rate limits, counted in the "rates" cache: Redis when REDIS_URL is set, so every web process counts
together; the one web process's memory in the embedded mode (settings.py)."""

import math
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


def check_rate(user, action, *, limit, per_seconds):
    """Count one `action` by `user`; raise ValidationError once they did it more than `limit` times in
    the current window of `per_seconds`. Fixed windows: cheap, and at most 2×limit across a boundary."""
    window = int(time.time() // per_seconds)
    count = _counted(f"kizuna:rate:{action}:{user.pk}:{window}", timeout=per_seconds + 1)
    if count > limit:
        wait = max(1, math.ceil(((window + 1) * per_seconds - time.time()) / 60))
        raise ValidationError(ngettext(
            "You are doing this too often. Please wait %(minutes)d minute and try again.",
            "You are doing this too often. Please wait %(minutes)d minutes and try again.", wait)
            % {"minutes": wait}, code="rate_limited")


def _counted(key, *, timeout):
    """Add one to the count at `key` (kept `timeout` seconds from the first); the new count."""
    cache = caches["rates"]
    if isinstance(cache, RedisCache):
        # One round trip: start the window if it is new, then count (the cache API's incr() asks whether the key
        # exists first, and the chat socket counts every message).
        key = cache.make_and_validate_key(key)
        with cache._cache.get_client(key, write=True).pipeline() as pipe:  # MULTI: the window cannot end between
            return pipe.set(key, 0, ex=timeout, nx=True).incr(key).execute()[1]
    try:
        return cache.incr(key)
    except ValueError:  # the first in this window: start it (or count on if another process just did)
        return 1 if cache.add(key, 1, timeout=timeout) else cache.incr(key)
