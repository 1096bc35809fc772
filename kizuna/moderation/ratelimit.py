"""Posting rate limits, counted in the "rates" cache: Redis when REDIS_URL is set, so every web process counts
together; the one web process's memory in the embedded mode (settings.py)."""

import math
import time

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


def check_rate(user, action, *, limit, per_seconds):
    """Count one `action` by `user`; raise ValidationError once they did it more than `limit` times in
    the current window of `per_seconds`. Fixed windows: cheap, and at most 2×limit across a boundary."""
    cache = caches["rates"]
    window = int(time.time() // per_seconds)
    key = f"kizuna:rate:{action}:{user.pk}:{window}"
    try:
        count = cache.incr(key)  # the usual case, one round trip fewer in Redis than adding first
    except ValueError:  # the first in this window: start it (or count on if another process just did)
        count = 1 if cache.add(key, 1, timeout=per_seconds + 1) else cache.incr(key)
    if count > limit:
        wait = max(1, math.ceil(((window + 1) * per_seconds - time.time()) / 60))
        raise ValidationError(ngettext(
            "You are doing this too often. Please wait %(minutes)d minute and try again.",
            "You are doing this too often. Please wait %(minutes)d minutes and try again.", wait)
            % {"minutes": wait}, code="rate_limited")
