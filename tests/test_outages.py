"""Redis or PostgreSQL gone, for real: a Redis server of the test's own, paused (SIGSTOP: it accepts and never
answers) or killed, then brought back; a database address where a socket accepts and never answers.

What must hold: a request that needs Redis (the API counts its rate there) is a 503 within about a second,
pages keep being served from the database, /readyz answers within 200 ms, and everything comes back by
itself once Redis does, without a restart. With the database gone, requests that need it get a 503 at
once after the first, /readyz answers within 200 ms, pages that need neither keep serving.
"""

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

from budapest import breakers, redis_cache

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]

PAGES = ("/", "/meetings/", "/countries/", "/priority-goals/1/")
API = "/api/v1/meetings/"


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


@pytest.fixture
def redis_server(settings, monkeypatch):
    port = free_port()
    process = start_redis(port)
    settings.CACHES = {
        "default": {
            "BACKEND": "budapest.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    monkeypatch.setattr(redis_cache.breaker, "open_seconds", 1.0)
    redis_cache.breaker.reset()
    server = {"port": port, "process": process}
    yield server
    for each in (server["process"],):
        each.send_signal(signal.SIGCONT)
        each.kill()
        each.wait(timeout=10)
    caches["default"].close()
    redis_cache.breaker.reset()


def timed(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def wait_until_ready(client, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if client.get("/readyz").status_code == 200:
            return
        time.sleep(0.2)
    raise AssertionError("/readyz did not recover")


def assert_sheds_load_while_down(client):
    response, took = timed(client, API)
    assert response.status_code == 503 and took < 1.2, (response.status_code, took)
    assert response["Retry-After"]
    assert response.json() == {"detail": "Temporarily unavailable: try again later."}
    # The breaker is open now: the next calls do not wait at all.
    for _ in range(5):
        response, took = timed(client, API)
        assert response.status_code == 503 and took < 0.3, took
    for url in PAGES:
        response, took = timed(client, url)
        assert response.status_code == 200, url
        assert took < 1.0, (url, took)
    response, took = timed(client, "/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable"}
    assert took < 0.2, took


def test_a_paused_redis_is_shed_within_a_second_and_the_site_recovers_by_itself(redis_server, som_2020):
    client = Client(raise_request_exception=False)
    assert client.get(API).status_code == 200
    assert client.get("/readyz").status_code == 200

    redis_server["process"].send_signal(signal.SIGSTOP)
    assert_sheds_load_while_down(client)
    # Probes keep coming while Redis hangs: each still answers within 200 ms (no pile of waiting checks).
    for _ in range(3):
        response, took = timed(client, "/readyz")
        assert response.status_code == 503 and took < 0.2, took

    redis_server["process"].send_signal(signal.SIGCONT)
    wait_until_ready(client)
    assert client.get(API).status_code == 200


def test_a_killed_redis_is_shed_and_a_restarted_one_is_used_again(redis_server, som_2020):
    client = Client(raise_request_exception=False)
    assert client.get(API).status_code == 200

    redis_server["process"].kill()
    redis_server["process"].wait(timeout=10)
    assert_sheds_load_while_down(client)

    redis_server["process"] = start_redis(redis_server["port"])
    wait_until_ready(client)
    assert client.get(API).status_code == 200


def test_the_breaker_opens_on_a_failure_then_lets_one_trial_through():
    breaker = breakers.CircuitBreaker("test", open_seconds=0.2)
    assert breaker.allow() and not breaker.is_open()
    breaker.trip()
    assert breaker.is_open() and not breaker.allow()
    time.sleep(0.25)
    assert breaker.allow(), "after its open time, one caller tries the service"
    assert breaker.allow(), "every call of the trial's thread goes through"
    others: list[bool] = []
    other = threading.Thread(target=lambda: others.append(breaker.allow()))
    other.start()
    other.join()
    assert others == [False], "the other threads are refused while the trial runs"
    breaker.trip()  # the trial failed: open again
    assert not breaker.allow()
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


def test_when_the_breaker_closes_one_thread_waits_for_a_paused_redis_not_every_one(redis_server):
    """Before, every thread tried Redis when the open time ended, each waiting its socket timeout."""
    cache = caches["default"]
    cache.set("warm", 1)
    redis_server["process"].send_signal(signal.SIGSTOP)
    with contextlib.suppress(Exception):
        cache.get("warm")  # times out (0.5 s) and opens the breaker
    assert redis_cache.breaker.is_open()
    time.sleep(redis_cache.breaker.open_seconds + 0.05)

    took: list[float] = []
    start = threading.Barrier(6)

    def one_call():
        backend = caches.create_connection("default")  # a client and pool of this thread's own
        start.wait()
        started = time.monotonic()
        with contextlib.suppress(Exception):
            backend.get("warm")
        took.append(time.monotonic() - started)

    threads = [threading.Thread(target=one_call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    waited = sorted(took)
    assert len(waited) == 6
    assert sum(1 for each in waited if each > 0.3) == 1, waited  # the trial
    assert waited[-2] < 0.2, waited  # the others refused at once


# --- PostgreSQL -----------------------------------------------------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database's circuit breaker is PostgreSQL's backend"
)


@pytest.fixture
def silent_database(monkeypatch, som_2020):
    """The default connection pointed at a port where a socket accepts connections and never answers."""
    from budapest.postgresql import base as postgresql

    # Long enough that no trial starts while the test runs (one connection waits for its timeout, 2 s).
    monkeypatch.setattr(postgresql.breaker, "open_seconds", 10.0)
    postgresql.breaker.reset()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)  # the kernel completes each handshake; nothing ever reads or answers
    original = connections["default"]
    silent = connections.create_connection("default")
    silent.settings_dict = {**silent.settings_dict, "HOST": "127.0.0.1", "PORT": str(listener.getsockname()[1])}
    connections["default"] = silent
    try:
        yield postgresql.breaker
    finally:
        silent.close()
        connections["default"] = original
        listener.close()
        postgresql.breaker.reset()


@postgresql_only
def test_a_database_that_never_answers_is_a_503_at_once_after_the_first_and_readyz_within_200_ms(
    silent_database,
):
    client = Client(raise_request_exception=False)
    assert client.get("/healthz").status_code == 200  # the handler's middleware loaded (gunicorn does it at start)
    # The probe answers within its deadline while its check waits for the silent server.
    response, took = timed(client, "/readyz")
    assert response.status_code == 503 and took < 0.2, took
    assert response.json()["checks"]["database"] == "unavailable"
    # The first connection waits for psycopg's least connect timeout (2 s), or finds the breaker opened by
    # the probe's check; from then on every request that needs the database is refused at once.
    response, took = timed(client, "/meetings/")
    assert response.status_code == 503 and took < 3, took
    assert response["Retry-After"]
    for url in ("/meetings/", "/countries/turkey/", API):
        response, took = timed(client, url)
        assert response.status_code == 503 and took < 0.2, (url, took)
    response, took = timed(client, "/readyz")
    assert response.status_code == 503 and took < 0.2, took
    # What needs neither the database nor the cache keeps serving.
    for url in ("/healthz", "/about/", "/robots.txt"):
        response, took = timed(client, url)
        assert response.status_code == 200 and took < 0.2, (url, response.status_code, took)


@postgresql_only
def test_a_refused_database_opens_the_breaker_and_the_site_recovers_by_itself(silent_database):
    client = Client(raise_request_exception=False)
    silent_database.open_seconds = 0.5
    silent = connections["default"]
    silent.settings_dict = {**silent.settings_dict, "PORT": "1"}  # nothing listens: refused at once
    assert client.get("/meetings/").status_code == 503
    assert silent_database.is_open()
    response, took = timed(client, "/meetings/")
    assert response.status_code == 503 and took < 0.2, took
    # The database is back: after the open time, one request tries it, and the site serves again.
    silent.close()
    connections["default"] = silent_original = connections.create_connection("default")
    try:
        time.sleep(silent_database.open_seconds + 0.05)
        assert client.get("/meetings/").status_code == 200
        assert not silent_database.is_open()
    finally:
        silent_original.close()
