"""A reader's database statement is cut off at PUBLIC_STATEMENT_TIMEOUT_MS and answered 503; staff work unhindered.

On PostgreSQL only (statement_timeout is PostgreSQL's): elsewhere the tests are skipped.
"""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

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
    if hasattr(connection, "_budapest_statement_timeout"):
        delattr(connection, "_budapest_statement_timeout")


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
    staff = reader()
    staff.force_login(User.objects.create_superuser("officer", password="the-right-password-1"))
    assert staff.get("/slow/?seconds=0.5").status_code == 200
    # And the limit comes back for the next reader on the same connection.
    assert reader().get("/slow/?seconds=0.5").status_code == 503


def test_the_limit_is_set_once_per_connection_not_per_request(django_assert_max_num_queries):
    client = reader()
    client.get("/slow/?seconds=0")
    with django_assert_max_num_queries(1):  # pg_sleep only: the SET runs on the raw cursor, and not again
        assert client.get("/slow/?seconds=0").status_code == 200
