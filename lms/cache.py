"""A Redis cache that degrades to "no cache" when Redis is down, so a page never breaks on it, and
that keeps one Redis client per connection pool."""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5.0


def _fallback(default_factory):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return default_factory(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError):
                # Skip Redis for a few seconds rather than paying a connect timeout on every call.
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning("cache unavailable; serving without it for %ss", RETRY_AFTER_SECONDS)
                return default_factory(*args, **kwargs)

        return wrapper

    return decorate


def _default_arg(key, default=None, *args, **kwargs):
    return default


class ReusedClient(RedisCacheClient):
    """Django's client builds a new redis.Redis for every cache call, and each copies some 170 reply
    handlers: a fifth of a kept lesson page's time went there. One per connection pool serves every call
    (a redis.Redis is safe to share between threads: each command takes its own connection)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient

    get = _fallback(_default_arg)(RedisCache.get)
    get_many = _fallback(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _fallback(lambda *args, **kwargs: False)(RedisCache.has_key)
    add = _fallback(lambda *args, **kwargs: False)(RedisCache.add)
    set = _fallback(lambda *args, **kwargs: None)(RedisCache.set)
    set_many = _fallback(lambda *args, **kwargs: [])(RedisCache.set_many)
    touch = _fallback(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = _fallback(lambda *args, **kwargs: False)(RedisCache.delete)
    delete_many = _fallback(lambda *args, **kwargs: None)(RedisCache.delete_many)
    incr = _fallback(lambda key, delta=1, *args, **kwargs: delta)(RedisCache.incr)
    clear = _fallback(lambda *args, **kwargs: None)(RedisCache.clear)
