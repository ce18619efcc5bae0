"""Fixed-window counters in the shared cache (Redis): cheap limits on how often something may happen.

With the cache down the counters read zero: a limit lapses rather than a page breaking.
"""

import time

from django.core.cache import cache


def _bucket(key: str, window: int) -> str:
    return f"rate:{key}:{int(time.time() // window)}"


def rate_count(*, key: str, window: int) -> int:
    """How many times `key` was counted in the current window."""
    return cache.get(_bucket(key, window), 0)


def rate_hit(*, key: str, window: int) -> int:
    """Count one more for `key` in the current window; returns the count so far."""
    bucket = _bucket(key, window)
    cache.add(bucket, 0, timeout=window * 2)
    try:
        return cache.incr(bucket)
    except ValueError:  # the bucket expired between add and incr
        cache.set(bucket, 1, timeout=window * 2)
        return 1
