"""Django's Redis cache, failing fast while Redis is down: short timeouts and a circuit breaker.

Without them, a Redis that stopped answering (a paused or overloaded server, a lost network) held every
request for the socket timeout at each of its cache calls, and at full load every worker queued into
gunicorn's timeout. Now a call that fails opens the breaker (budapest/breakers.py) for ``OPEN_SECONDS``:
during that time every connection attempt of this process fails at once (a ConnectionError, which the
page cache takes as "no cache" and budapest.errors answers with a 503), and afterwards one call tries
Redis again while the others are still refused, so the site recovers by itself without every thread
waiting for its timeout each time the breaker closes. The breaker sits on the connections, under every
user of the pool: Django's cache calls, and whatever uses the pool's client directly (the page cache's
channel of changes).
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .breakers import CircuitBreaker

# How long Redis is taken for down after a failed call, in seconds; then one call tries it again.
OPEN_SECONDS = 5.0
FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)

breaker = CircuitBreaker("redis", OPEN_SECONDS)


class CircuitBreakerConnection(Connection):
    """A redis-py connection that fails at once while the breaker is open, and opens it when a call fails."""

    def _guarded(self, call, *args, answer: bool = False, **kwargs):
        if not breaker.allow():
            self.disconnect()
            raise RedisConnectionError("Redis is taken for down for a few seconds after a failure.")
        try:
            result = call(*args, **kwargs)
        except FAILURES:
            breaker.trip()
            raise
        if answer:  # only an answer shows Redis is back: a paused server's kernel still accepts and takes bytes
            breaker.succeeded()
        return result

    def connect(self, *args, **kwargs):
        return self._guarded(super().connect, *args, **kwargs)

    def send_packed_command(self, *args, **kwargs):
        return self._guarded(super().send_packed_command, *args, **kwargs)

    def read_response(self, *args, **kwargs):
        return self._guarded(super().read_response, *args, answer=True, **kwargs)


class ClientPerPool(RedisCacheClient):
    """Django's cache client, with one redis-py client per connection pool, made once: Django makes one per
    call, and making one copies its table of some 170 reply handlers (about 40 µs, at every cache call).
    A redis-py client holds no connection of its own (it takes one from the pool for each command), so
    every thread can share it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    """settings.CACHES backend: Django's RedisCache on circuit-breaker connections, a client per pool."""

    def __init__(self, server, params):
        options = {"connection_class": CircuitBreakerConnection, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ClientPerPool
