"""The default cache of a test that needs a real one: local memory, or a real Redis (tests/test_cache.py,
tests/test_fragments.py)."""

import contextlib
import secrets

import pytest
from django.core.cache import caches
from django.test import override_settings

REDIS_URL = "redis://127.0.0.1:6379/5"


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


@contextlib.contextmanager
def default_cache(kind: str, **settings):
    """The default cache over local memory ("locmem") or Redis ("redis": database 5, under a key prefix of
    the test's own, removed afterwards; skipped only when Redis does not answer), with `settings`."""
    if kind == "locmem":
        local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "page-cache"}}
        with override_settings(CACHES=local, **settings):
            caches["default"].clear()  # local memory of that name is shared with earlier tests
            yield
        return
    client = redis_client()
    if client is None:
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    # A prefix of its own rather than FLUSHDB: tests in other xdist workers may use the database at the same time.
    prefix = f"test-cache-{secrets.token_hex(6)}"
    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        with override_settings(CACHES=shared, **settings):
            yield
    finally:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
