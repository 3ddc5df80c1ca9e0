"""A reader's database statement is cut off at PUBLIC_STATEMENT_TIMEOUT_MS and answered 503; staff work unhindered.

On PostgreSQL only (statement_timeout is PostgreSQL's): elsewhere the tests are skipped.
"""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from budapest import timeouts

# Outside a test transaction, as a request runs in production: the limit is not set inside a
# transaction (a rollback would undo it).
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.urls("tests.slow_urls")]


@pytest.fixture(autouse=True)
def postgresql_with_a_short_limit(settings):
    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is PostgreSQL's")
    settings.PUBLIC_STATEMENT_TIMEOUT_MS = 200
    yield
    # The limit stays on the connection (by design: set once); the test database's flush needs none.
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    connection._budapest_statement_timeout = None


def reader() -> Client:
    return Client(raise_request_exception=False)


def test_a_readers_slow_statement_is_cut_off_with_a_503():
    # Not cut off, the statement would end after its 5 s and the page be a 200.
    response = reader().get("/slow/?seconds=5")
    assert response.status_code == 503
    assert response["Retry-After"]


def test_a_quick_statement_is_not_affected():
    assert reader().get("/slow/?seconds=0.05").status_code == 200


def test_staff_are_not_held_to_the_readers_limit():
    assert staff().get("/slow/?seconds=0.5").status_code == 200
    # And the limit comes back for the next reader on the same connection.
    assert reader().get("/slow/?seconds=0.5").status_code == 503


def test_the_limit_is_set_once_per_connection_not_per_request(monkeypatch):
    sets: list[int] = []
    original = timeouts._set_timeout
    monkeypatch.setattr(
        timeouts, "_set_timeout", lambda milliseconds: sets.append(milliseconds) or original(milliseconds)
    )
    client = reader()
    for _ in range(3):
        assert client.get("/slow/?seconds=0").status_code == 200
    assert sets == [200]


def staff() -> Client:
    officer = reader()
    officer.force_login(User.objects.create_superuser("officer", password="the-right-password-1"))
    return officer


def test_staff_in_a_transaction_are_not_held_to_the_limit_a_reader_left():
    # An admin save runs in a transaction, on a connection the last reader left at the readers' limit.
    assert reader().get("/slow/?seconds=0").status_code == 200
    assert staff().get("/slow/atomic/?seconds=0.5").status_code == 200


def test_a_reader_in_a_transaction_is_held_to_the_limit_after_staff():
    officer = staff()
    assert officer.get("/slow/?seconds=0").status_code == 200
    assert reader().get("/slow/atomic/?seconds=0.5").status_code == 503
    # And after staff's transaction committed its limit, the next reader outside one is held again.
    assert officer.get("/slow/atomic/?seconds=0").status_code == 200
    assert reader().get("/slow/?seconds=0.5").status_code == 503


def test_a_new_connection_is_given_the_limit_again():
    assert reader().get("/slow/?seconds=0").status_code == 200
    connection.close()  # the next statement connects afresh, at the server's default: no limit
    assert reader().get("/slow/?seconds=0.5").status_code == 503
