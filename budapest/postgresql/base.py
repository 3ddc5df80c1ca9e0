"""Django's PostgreSQL backend, failing fast while the database cannot be reached: a circuit breaker.

A new connection that fails (refused, or not answered within ``connect_timeout``: psycopg's least is
2 s) opens the breaker (budapest/breakers.py) for ``OPEN_SECONDS``: meanwhile every new connection of
this process fails at once with an OperationalError, which budapest.errors answers with a 503 and
``Retry-After``, instead of each request waiting its own 2 s for a server that does not answer. Then
one request tries the database again; the site recovers by itself. Only connecting is guarded: a query
that fails on an open connection (a statement timeout, a constraint) says nothing of the server, and a
connection that broke is dropped by Django and made again, through the breaker.
"""

from django.db.backends.postgresql import base

from budapest.breakers import CircuitBreaker

# How long the database is taken for down after a failed connection, in seconds.
OPEN_SECONDS = 2.0

breaker = CircuitBreaker("database", OPEN_SECONDS)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if not breaker.allow():
            raise base.Database.OperationalError("The database is taken for down for a few seconds after a failure.")
        try:
            connection = super().get_new_connection(conn_params)
        except base.Database.Error:
            breaker.trip()
            raise
        breaker.succeeded()
        return connection
