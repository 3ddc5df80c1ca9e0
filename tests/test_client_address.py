"""Whose address a request is counted by: a forged X-Forwarded-For buys a direct client nothing.

The sign-in lockout (django-axes) and the API's throttle both count by budapest.security.client_ip.
A client that reaches gunicorn directly (REMOTE_ADDR is its own, not a trusted proxy's) is counted by
that address; a request relayed by nginx on the loopback (the default DJANGO_TRUSTED_PROXIES), or by
a unix socket, is counted by the address nginx saw.
"""

import itertools

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from budapest.security import client_ip

pytestmark = pytest.mark.django_db

DIRECT = "203.0.113.50"  # a client on the internet, connected to gunicorn itself
NGINX = "127.0.0.1"
FORGED = (f"198.51.100.{n}" for n in itertools.count(1))


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()


@pytest.fixture
def officer():
    return User.objects.create_superuser("officer", password="the-right-password-1")


def sign_in(client, password, remote, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "officer", "password": password},
        REMOTE_ADDR=remote,
        headers=headers,
    )


def test_a_direct_client_forging_the_header_is_locked_out_all_the_same(officer):
    client = Client()
    statuses = [sign_in(client, "wrong", DIRECT, forwarded=next(FORGED)).status_code for _ in range(7)]
    assert statuses == [200] * 4 + [429] * 3, "the fifth failure locks, whatever the header says"
    assert sign_in(client, "the-right-password-1", DIRECT, forwarded=next(FORGED)).status_code == 429


def test_through_the_proxy_each_real_client_has_its_own_count(officer):
    guesser, officer_client = Client(), Client()
    for _ in range(5):
        sign_in(guesser, "wrong", NGINX, forwarded="192.0.2.66")
    assert sign_in(guesser, "the-right-password-1", NGINX, forwarded="192.0.2.66").status_code == 429
    # The officer comes through the same nginx from another address: not locked out by the guesser.
    assert sign_in(officer_client, "the-right-password-1", NGINX, forwarded="192.0.2.7").status_code == 302


@pytest.fixture
def low_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "60/minute", "partner": "600/minute"},
    }


def test_a_direct_client_forging_the_header_is_throttled(client, low_rate):
    statuses = [
        client.get("/api/v1/priority-goals/", REMOTE_ADDR=DIRECT, headers={"X-Forwarded-For": next(FORGED)}).status_code
        for _ in range(65)
    ]
    assert statuses.count(200) == 60
    assert statuses[60:] == [429] * 5


def test_through_the_proxy_the_throttle_counts_the_real_client(client, low_rate):
    def call(real):
        return client.get("/api/v1/priority-goals/", REMOTE_ADDR=NGINX, headers={"X-Forwarded-For": real})

    assert [call("192.0.2.1").status_code for _ in range(61)][-1] == 429
    assert call("192.0.2.2").status_code == 200, "another reader behind the same nginx still reads"


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        (["127.0.0.1"], DIRECT, "198.51.100.1", DIRECT),  # not from the proxy: the header is not believed
        (["127.0.0.1"], "127.0.0.1", "198.51.100.1", "198.51.100.1"),
        (["127.0.0.1"], "127.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client wrote 6.6.6.6
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        (["127.0.0.1"], "::ffff:127.0.0.1", "198.51.100.1", "198.51.100.1"),  # a dual-stack socket
        (["127.0.0.1"], "", "198.51.100.1", "198.51.100.1"),  # a unix socket
        (["10.0.0.0/8"], "10.0.0.3", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),  # balancer + nginx
        (["10.0.0.0/8"], "127.0.0.1", "198.51.100.1", "127.0.0.1"),  # loopback is trusted only when listed
        ([], "127.0.0.1", "198.51.100.1", "127.0.0.1"),
    ],
)
def test_the_address_is_read_from_the_header_only_behind_a_trusted_proxy(
    rf, settings, trusted, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
