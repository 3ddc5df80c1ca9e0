"""Redis or PostgreSQL gone, for real: a Redis server of the test's own, paused (SIGSTOP: it accepts and never
answers) or killed, then brought back; a database address where a socket accepts and never answers.

What must hold: a request that needs Redis (the API counts its rate there) is a 503 after at most one call
that waits for Redis, and the requests after it wait for none; pages keep being served from the database
(with the page cache on, as in production) without calling Redis; /readyz answers without waiting for a
check that hangs and starts no second one; everything comes back by itself once Redis does, without a
restart. With the database gone, requests that need it get a 503 at once after the first, /readyz answers
within 200 ms, pages that need neither keep serving.

No test here measures how long a request took (that flaked under load): what makes a request slow while
Redis hangs is each call that reaches it and waits for its timeout, so the tests count those calls. The
breaker's open time is long (``LONG``) except where a test ends it on purpose (``end_the_open_time``), so
that no trial starts because the machine was slow.
"""

import collections
import contextlib
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.test import Client
from redis.connection import Connection

from budapest import breakers, health, redis_cache

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]

PAGES = ("/", "/meetings/", "/countries/", "/priority-goals/1/")
API = "/api/v1/meetings/"
# Longer than any test here runs: while open, the breaker lets no trial through unless a test ends it.
LONG = 600.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("redis-server did not start")


def cache_settings(port: int, socket_timeout: float = 0.5) -> dict:
    return {
        "default": {
            "BACKEND": "budapest.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": socket_timeout},
        }
    }


@pytest.fixture
def redis_server(settings, monkeypatch):
    port = free_port()
    process = start_redis(port)
    settings.CACHES = cache_settings(port)
    # As in production: pages go through the page cache, which calls Redis on every request.
    settings.PAGE_CACHE_ENABLED = True
    monkeypatch.setattr(redis_cache.breaker, "open_seconds", LONG)  # closed at each test's start (conftest)
    server = {"port": port, "process": process}
    yield server
    for each in (server["process"],):
        each.send_signal(signal.SIGCONT)
        each.kill()
        each.wait(timeout=10)
    caches["default"].close()


class RedisCalls:
    """The calls that get past the breaker to Redis (a connection, a command sent, an answer read), per thread.

    Counted under budapest.redis_cache's guard, around redis-py's own methods, which still do the work.
    A call that fails is one that waited for its timeout (a paused Redis) or was refused (a killed one).
    """

    def __init__(self):
        self.reached: collections.Counter = collections.Counter()
        self.failed: collections.Counter = collections.Counter()
        self._depth = threading.local()  # a connection sends and reads its handshake: one call, one failure

    def counting(self, method):
        def call(connection, *args, **kwargs):
            thread, depth = threading.get_ident(), getattr(self._depth, "value", 0)
            self.reached[thread] += 1
            self._depth.value = depth + 1
            try:
                return method(connection, *args, **kwargs)
            except redis_cache.FAILURES:
                if not depth:
                    self.failed[thread] += 1
                raise
            finally:
                self._depth.value = depth

        return call

    def clear(self) -> None:
        self.reached.clear()
        self.failed.clear()

    def total(self) -> tuple[int, int]:
        """(calls that reached Redis, calls that failed there) in every thread since the last clear()."""
        return sum(self.reached.values()), sum(self.failed.values())


@pytest.fixture
def redis_calls(monkeypatch):
    calls = RedisCalls()
    for name in ("connect", "send_packed_command", "read_response"):
        monkeypatch.setattr(Connection, name, calls.counting(getattr(Connection, name)))
    return calls


def end_the_open_time() -> None:
    """As if the breaker's open time had just run out: its next caller is the trial; a failure opens it for LONG."""
    breaker = redis_cache.breaker
    breaker.open_seconds = 0.05
    breaker.trip()
    time.sleep(0.1)
    breaker.open_seconds = LONG


def wait_until_ready(client, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if client.get("/readyz").status_code == 200:
            return
        time.sleep(0.2)
    raise AssertionError("/readyz did not recover")


def assert_sheds_load_while_down(client, calls: RedisCalls) -> None:
    calls.clear()
    response = client.get(API)
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json() == {"detail": "Temporarily unavailable: try again later."}
    assert calls.total()[1] == 1, "one call waited for Redis (or was refused) and opened the breaker"
    # The breaker is open now: no request reaches Redis, so none waits for it.
    calls.clear()
    for _ in range(5):
        assert client.get(API).status_code == 503
    assert calls.total() == (0, 0), calls.total()
    for url in PAGES:
        assert client.get(url).status_code == 200, url
        assert calls.total() == (0, 0), (url, calls.total())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable"}
    with contextlib.suppress(Exception):
        health._running["cache"].result(timeout=10)  # the check, refused, ended
    assert calls.total() == (0, 0), calls.total()
    # Its open time over, the breaker lets one call try Redis (a page's): it fails, and the next page calls none.
    end_the_open_time()
    assert client.get(PAGES[1]).status_code == 200
    assert calls.total()[1] == 1, calls.total()
    calls.clear()
    assert client.get(PAGES[2]).status_code == 200
    assert calls.total() == (0, 0), calls.total()


def test_a_paused_redis_is_shed_after_one_call_and_the_site_recovers_by_itself(redis_server, redis_calls, som_2020):
    client = Client(raise_request_exception=False)
    assert client.get(API).status_code == 200
    assert client.get("/readyz").status_code == 200

    redis_server["process"].send_signal(signal.SIGSTOP)
    assert_sheds_load_while_down(client, redis_calls)

    redis_server["process"].send_signal(signal.SIGCONT)
    end_the_open_time()
    wait_until_ready(client)
    assert client.get(API).status_code == 200


def test_a_killed_redis_is_shed_and_a_restarted_one_is_used_again(redis_server, redis_calls, som_2020):
    client = Client(raise_request_exception=False)
    assert client.get(API).status_code == 200

    redis_server["process"].kill()
    redis_server["process"].wait(timeout=10)
    assert_sheds_load_while_down(client, redis_calls)

    redis_server["process"] = start_redis(redis_server["port"])
    end_the_open_time()
    wait_until_ready(client)
    assert client.get(API).status_code == 200


def test_readyz_answers_while_its_check_waits_for_a_paused_redis_and_starts_no_second_one(
    redis_server, redis_calls, settings
):
    # The check waits for Redis far longer than the probe's deadline (150 ms), whatever the machine's load.
    settings.CACHES = cache_settings(redis_server["port"], socket_timeout=60)
    client = Client(raise_request_exception=False)
    assert client.get("/readyz").status_code == 200
    redis_server["process"].send_signal(signal.SIGSTOP)
    redis_calls.clear()
    answers = [client.get("/readyz") for _ in range(3)]
    assert [answer.status_code for answer in answers] == [503] * 3
    assert {answer.json()["checks"]["cache"] for answer in answers} == {"unavailable"}
    check = health._running["cache"]
    assert not check.done(), "each probe answered while the check still waited for Redis"
    failed = redis_calls.total()[1]
    assert len(redis_calls.reached) == 1 and failed == 0, "one check, in one thread, waits: no pile of them"
    # Redis answers again: the waiting check gets its answer, and the next probe is ready.
    redis_server["process"].send_signal(signal.SIGCONT)
    check.result(timeout=10)
    assert client.get("/readyz").status_code == 200


def test_every_cache_call_shares_one_redis_client_of_its_pool():
    """Django makes a redis-py client per cache call; ours makes one per pool (budapest.redis_cache)."""
    cache = redis_cache.RedisCache("redis://127.0.0.1:1/0", {})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client and cache._cache.get_client(write=True) is client
    assert isinstance(client.connection_pool.connection_class(), redis_cache.CircuitBreakerConnection)


def test_the_breaker_opens_on_a_failure_then_lets_one_trial_through():
    breaker = breakers.CircuitBreaker("test", open_seconds=0.2)
    assert breaker.allow() and not breaker.is_open()
    breaker.trip()
    assert breaker.is_open() and not breaker.allow()
    time.sleep(0.25)
    breaker.open_seconds = LONG  # the trial has all the time it needs, whatever the machine's load
    assert breaker.allow(), "after its open time, one caller tries the service"
    assert breaker.allow(), "every call of the trial's thread goes through"
    others: list[bool] = []
    other = threading.Thread(target=lambda: others.append(breaker.allow()))
    other.start()
    other.join()
    assert others == [False], "the other threads are refused while the trial runs"
    breaker.trip()  # the trial failed: open again
    assert not breaker.allow()
    breaker.open_seconds = 0.2
    breaker.trip()
    time.sleep(0.25)
    assert breaker.allow()
    breaker.succeeded()  # the trial succeeded: closed
    assert breaker.allow() and breaker.allow() and not breaker.is_open()


def test_a_trial_that_never_reports_lets_another_caller_try_after_the_open_time():
    breaker = breakers.CircuitBreaker("test", open_seconds=0.1)
    breaker.trip()
    time.sleep(0.15)
    assert breaker.allow()
    others: list[bool] = []

    def other_thread():
        others.append(breaker.allow())
        time.sleep(0.15)
        others.append(breaker.allow())

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert others == [False, True]


def test_when_the_breaker_closes_one_thread_waits_for_a_paused_redis_not_every_one(redis_server, redis_calls):
    """Before, every thread tried Redis when the open time ended, each waiting its socket timeout."""
    cache = caches["default"]
    cache.set("warm", 1)
    redis_server["process"].send_signal(signal.SIGSTOP)
    with contextlib.suppress(Exception):
        cache.get("warm")  # times out (0.5 s) and opens the breaker
    assert redis_cache.breaker.is_open()
    end_the_open_time()
    redis_calls.clear()

    start = threading.Barrier(6)
    threads: list[int] = []

    def one_call():
        backend = caches.create_connection("default")  # a client and pool of this thread's own
        start.wait()
        threads.append(threading.get_ident())
        with contextlib.suppress(Exception):
            backend.get("warm")

    workers = [threading.Thread(target=one_call) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=10)
    assert len(threads) == 6
    assert len(redis_calls.reached) == 1, "one thread, the trial, reached Redis; the other five were refused"
    assert redis_calls.total()[1] == 1, "and its one call that waited for Redis opened the breaker again"


# --- PostgreSQL -----------------------------------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database's circuit breaker is PostgreSQL's backend"
)


class DatabaseConnections:
    """New connections that get past the database's breaker to psycopg (each one waits for, or is refused by,
    the server), counted around Django's own PostgreSQL backend, which still makes them."""

    def __init__(self):
        self.count = 0

    def counting(self, method):
        def call(wrapper, *args, **kwargs):
            self.count += 1
            return method(wrapper, *args, **kwargs)

        return call

    def since_last(self) -> int:
        count, self.count = self.count, 0
        return count


@pytest.fixture
def silent_database(monkeypatch, som_2020):
    """The default connection pointed at a port where a socket accepts connections and never answers."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    from budapest.postgresql import base as postgresql

    monkeypatch.setattr(postgresql.breaker, "open_seconds", LONG)  # closed at each test's start (conftest)
    attempts = DatabaseConnections()
    monkeypatch.setattr(DatabaseWrapper, "get_new_connection", attempts.counting(DatabaseWrapper.get_new_connection))
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)  # the kernel completes each handshake; nothing ever reads or answers
    original = connections["default"]
    silent = connections.create_connection("default")
    silent.settings_dict = {
        **silent.settings_dict,
        "HOST": "127.0.0.1",
        "PORT": str(listener.getsockname()[1]),
        # A connection waits far longer than any probe's deadline, until the test hangs up on it.
        "OPTIONS": {**silent.settings_dict.get("OPTIONS", {}), "connect_timeout": 60},
    }
    connections["default"] = silent
    try:
        yield {"breaker": postgresql.breaker, "attempts": attempts, "listener": listener}
    finally:
        silent.close()
        connections["default"] = original
        listener.close()
        postgresql.breaker.reset()  # the test's own teardown (its transaction rolled back) may connect again


def hang_up(listener: socket.socket) -> int:
    """Close every connection waiting at the silent server (each one then fails at once); how many there were."""
    listener.setblocking(False)
    count = 0
    while True:
        try:
            accepted, _ = listener.accept()
        except BlockingIOError:
            return count
        accepted.close()
        count += 1


@postgresql_only
def test_a_database_that_never_answers_is_a_503_at_once_after_the_first_and_readyz_without_waiting(
    silent_database,
):
    attempts = silent_database["attempts"]
    client = Client(raise_request_exception=False)
    assert client.get("/healthz").status_code == 200  # the handler's middleware loaded (gunicorn does it at start)
    # The probe answers while its check still waits for the silent server.
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"
    check = health._running["database"]
    assert not check.done(), "the probe answered while its check still waited for the database"
    assert hang_up(silent_database["listener"]) == 1
    with pytest.raises(Exception):  # noqa: B017, PT011 - psycopg's error for a server that hung up
        check.result(timeout=10)
    assert silent_database["breaker"].is_open(), "the check's failed connection opened the breaker"
    attempts.since_last()
    # From then on every request that needs the database is refused without trying it.
    for url in ("/meetings/", "/countries/turkey/", API):
        response = client.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"]
    response = client.get("/readyz")
    assert response.status_code == 503
    with contextlib.suppress(Exception):
        health._running["database"].result(timeout=10)
    assert attempts.since_last() == 0
    # What needs neither the database nor the cache keeps serving.
    for url in ("/healthz", "/about/", "/robots.txt"):
        assert client.get(url).status_code == 200, url
    assert attempts.since_last() == 0
    assert hang_up(silent_database["listener"]) == 0, "no connection reached the silent server"


@postgresql_only
def test_a_refused_database_opens_the_breaker_and_the_site_recovers_by_itself(silent_database):
    client = Client(raise_request_exception=False)
    breaker, attempts = silent_database["breaker"], silent_database["attempts"]
    silent = connections["default"]
    silent.settings_dict = {**silent.settings_dict, "PORT": "1"}  # nothing listens: refused at once
    assert client.get("/meetings/").status_code == 503
    assert breaker.is_open()
    assert attempts.since_last() == 1
    assert client.get("/meetings/").status_code == 503
    assert attempts.since_last() == 0, "refused by the breaker, without trying the database"
    # The database is back: after the open time, one request tries it, and the site serves again.
    silent.close()
    connections["default"] = silent_original = connections.create_connection("default")
    try:
        breaker.open_seconds = 0.05
        breaker.trip()
        time.sleep(0.1)
        assert client.get("/meetings/").status_code == 200
        assert not breaker.is_open()
        assert attempts.since_last() == 1
    finally:
        silent_original.close()
