"""Redis gone, for real: a Redis server of the test's own, paused (SIGSTOP: it accepts and never answers)
or killed, then brought back.

What must hold: a request that needs Redis (the API counts its rate there) is a 503 within about a second,
pages keep being served from the database, /readyz answers within 200 ms, and everything comes back by
itself once Redis does, without a restart.
"""

import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.test import Client

from budapest import health, redis_cache

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
    monkeypatch.setattr(redis_cache, "OPEN_SECONDS", 1.0)
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


def test_the_breaker_opens_on_a_failure_and_closes_after_its_time(monkeypatch):
    monkeypatch.setattr(redis_cache, "OPEN_SECONDS", 0.2)
    redis_cache.breaker.reset()
    assert not redis_cache.breaker.is_open()
    redis_cache.breaker.trip()
    assert redis_cache.breaker.is_open()
    time.sleep(0.25)
    assert not redis_cache.breaker.is_open()


def test_readyz_deadline_is_what_the_doc_promises():
    assert health.READY_DEADLINE_SECONDS <= 0.2
