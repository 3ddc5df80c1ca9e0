"""Django's Redis cache, failing fast while Redis is down: short timeouts and a circuit breaker.

Without them, a Redis that stopped answering (a paused or overloaded server, a lost network) held every
request for the socket timeout at each of its cache calls, and at full load every worker queued into
gunicorn's timeout. Now a call that fails opens the breaker for ``OPEN_SECONDS``: during that time every
connection attempt of this process fails at once (a ConnectionError, which the page cache takes as "no
cache" and budapest.errors answers with a 503), and afterwards the next call tries Redis again, so the
site recovers by itself. The breaker sits on the connections, under every user of the pool: Django's
cache calls, and whatever uses the pool's client directly (the page cache's channel of changes).
"""

import threading
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# How long Redis is taken for down after a failed call, in seconds.
OPEN_SECONDS = 5.0
FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


class CircuitBreaker:
    """Open (refusing at once) for OPEN_SECONDS after a failure; closed otherwise. One per process."""

    def __init__(self):
        self._open_until = 0.0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self) -> None:
        with self._lock:
            self._open_until = time.monotonic() + OPEN_SECONDS

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0


breaker = CircuitBreaker()


class CircuitBreakerConnection(Connection):
    """A redis-py connection that fails at once while the breaker is open, and opens it when a call fails."""

    def _guarded(self, call, *args, **kwargs):
        if breaker.is_open():
            self.disconnect()
            raise RedisConnectionError("Redis is taken for down for a few seconds after a failure.")
        try:
            return call(*args, **kwargs)
        except FAILURES:
            breaker.trip()
            raise

    def connect(self, *args, **kwargs):
        return self._guarded(super().connect, *args, **kwargs)

    def send_packed_command(self, *args, **kwargs):
        return self._guarded(super().send_packed_command, *args, **kwargs)

    def read_response(self, *args, **kwargs):
        return self._guarded(super().read_response, *args, **kwargs)


class RedisCache(DjangoRedisCache):
    """settings.CACHES backend: Django's RedisCache on circuit-breaker connections."""

    def __init__(self, server, params):
        options = {"connection_class": CircuitBreakerConnection, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
