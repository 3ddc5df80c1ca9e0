"""A time limit on every database statement of a public request, so that no reader's query can hold a worker.

PostgreSQL's ``statement_timeout`` cancels a statement that runs longer than the limit; the request then
fails with a QueryCanceled error (an OperationalError), which budapest.errors answers as a 503 with
Retry-After, as any outage. Staff (signed in to the admin) work without the limit: an officer's
import or history must not be cut short. On SQLite (development) nothing is done.

The limit is set on the connection when a request's first statement runs, and only when the value
the connection holds differs from the one wanted, so that a persistent connection pays for it once;
inside a transaction too, where an admin save runs.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from .security import is_staff

# The value this module last set on the connection's session, kept on the DatabaseWrapper and forgotten
# when it connects again (a new session holds the server's default).
_STATE = "_budapest_statement_timeout"


@receiver(connection_created)
def _forget_on_connect(sender, connection, **kwargs) -> None:
    setattr(connection, _STATE, None)


def _set_timeout(milliseconds: int) -> None:
    # The raw cursor: no execute wrapper, no query log. On the raw connection, not the statement's cursor:
    # that may be a server-side cursor (an iterator's), which can only DECLARE a query, not run a SET.
    with connection.connection.cursor() as plain:
        plain.execute(f"SET statement_timeout = {int(milliseconds)}")


def _limit(milliseconds: int) -> Callable:
    """An execute wrapper that gives the session this limit at the block's first statement, if it holds another."""
    done = False

    def wrapper(execute, sql, params, many, context):
        nonlocal done
        if not done:
            done = True
            if getattr(connection, _STATE, None) != milliseconds:
                _set_timeout(milliseconds)
                # SET, not SET LOCAL: it stays for the next request that wants the same. In a transaction (an
                # admin save runs in one) it holds for the rest of it, but a rollback would undo it: what the
                # session holds after it is not known, and the next request sets it again.
                setattr(connection, _STATE, None if connection.in_atomic_block else milliseconds)
        return execute(sql, params, many, context)

    return wrapper


@contextmanager
def statement_timeout(milliseconds: int) -> Iterator[None]:
    """Statements run inside the block are cut off after this many milliseconds (0: no limit)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.execute_wrapper(_limit(milliseconds)):
        yield


class StatementTimeoutMiddleware:
    """Every statement of an anonymous or partner request is limited to PUBLIC_STATEMENT_TIMEOUT_MS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = 0 if is_staff(getattr(request, "user", None)) else settings.PUBLIC_STATEMENT_TIMEOUT_MS
        with statement_timeout(limit):
            return self.get_response(request)
