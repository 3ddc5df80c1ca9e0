"""The probes of load balancers and orchestrators: /healthz and /readyz."""

import contextlib
import json
import time

import pytest
from django.db import connections
from django.test import override_settings

pytestmark = pytest.mark.django_db

# Nothing listens on port 1 of the loopback: connecting is refused at once.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@contextlib.contextmanager
def unreachable_database():
    """Point this thread's default connection at a database that cannot be reached: a real failure."""
    original = connections["default"]
    broken = connections.create_connection("default")
    if broken.vendor == "sqlite":
        broken.settings_dict = {**broken.settings_dict, "NAME": "/nonexistent-directory/db.sqlite3"}
    else:
        broken.settings_dict = {**broken.settings_dict, "HOST": "127.0.0.1", "PORT": "1"}
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = original


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_while_the_database_is_down(client):
    with unreachable_database():
        response = client.get("/healthz")
    assert response.status_code == 200


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["records.example.org"])
def test_probes_answer_an_app_servers_own_address_over_plain_http(client):
    """A load balancer probes 10.0.0.5:8000 over HTTP: no redirect to HTTPS, no 400 for the host."""
    for path in ("/healthz", "/readyz"):
        response = client.get(path, headers={"Host": "10.0.0.5:8000"})
        assert response.status_code == 200, path
    # The rest of the site still refuses that host and redirects to HTTPS.
    assert client.get("/meetings/", headers={"Host": "10.0.0.5:8000"}).status_code == 400


def test_readyz_reports_the_database_and_the_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_a_probe_opens_no_new_database_connection(client):
    """The check keeps its connection: a probe is a SELECT, not a connection made (slow under load, and any
    client could make the site open one after another)."""
    from django.db.backends.signals import connection_created

    assert client.get("/readyz").status_code == 200
    made = []

    def count(sender, connection, **kwargs):
        made.append(connection)

    connection_created.connect(count)
    try:
        assert [client.get("/readyz").status_code for _ in range(3)] == [200] * 3
    finally:
        connection_created.disconnect(count)
    assert made == []


def test_a_probe_whose_kept_connection_broke_makes_one_afresh_and_answers_ok(client):
    """A database restarted since the last probe: the kept connection fails, and a new one answers."""
    from budapest import health

    assert client.get("/readyz").status_code == 200
    [kept] = health._connections.values()
    kept.connection.close()  # the driver's connection gone under Django's feet, as a restart leaves it
    assert client.get("/readyz").status_code == 200
    [made] = health._connections.values()
    assert made is not kept


def test_readyz_is_503_when_the_cache_is_unreachable(client):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "cache": "unavailable"}}


def test_readyz_is_503_when_the_database_is_unreachable(client):
    with unreachable_database():
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "unavailable", "cache": "ok"}}
    # The reason is a word, not the error: no address, port or path of the database.
    body = response.content.decode()
    assert "127.0.0.1" not in body and "nonexistent" not in body and "Error" not in body


def test_readyz_recovers_when_the_database_is_back(client):
    from budapest.postgresql.base import OPEN_SECONDS

    with unreachable_database():
        assert client.get("/readyz").status_code == 503
    # On PostgreSQL the failed check opened the database's circuit breaker: it lets a check through again
    # after OPEN_SECONDS.
    deadline = time.monotonic() + OPEN_SECONDS + 1
    while (status := client.get("/readyz").status_code) != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status == 200


def test_probes_answer_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    response = client.post("/healthz")
    assert response.status_code != 200
    assert json.loads(client.get("/healthz").content) == {"status": "ok"}
