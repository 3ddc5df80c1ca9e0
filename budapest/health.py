"""Probes for load balancers and orchestrators: /healthz (the process answers) and /readyz (it can serve).

They are answered by a middleware at the top of the stack, before host validation, HTTPS redirects,
sessions and CSRF, so that a probe sent to an app server's own address over plain HTTP gets a true
answer. Neither says more than "ok" or which dependency is unreachable: no host names, no versions.

/readyz answers within READY_DEADLINE_SECONDS whatever the dependencies do: each dependency is checked
in a thread of its own and a check that has not answered by then counts as "unavailable" (a Redis that
stopped answering would otherwise hold the probe for its socket timeout, a PostgreSQL that accepts and
never answers for psycopg's least connect timeout, 2 s). The database is checked on a connection of the
check's own, made with the request's connection settings and kept open for the next probe, through the
same backend, so that a failed check opens the database's circuit breaker (budapest/postgresql/base.py).
"""

import copy
import logging
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.core.cache import caches
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.http import HttpRequest, HttpResponse, JsonResponse

log = logging.getLogger(__name__)

HEALTHZ_PATH = "/healthz"
READYZ_PATH = "/readyz"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and answers: nothing else is touched."""
    return _no_store(JsonResponse({"status": "ok"}))


# The checks' own connections, by the settings they were made with, kept open from one probe to the next: a
# probe is then one SELECT, not a new connection (which under load alone took longer than the deadline, and
# which any client could make the site open again and again). Checks of one name run one at a time (`_start`).
_connections: dict[str, BaseDatabaseWrapper] = {}


def check_database(settings_dict: dict) -> None:
    """SELECT 1 on the check's own connection made with these settings (it runs in a thread); a kept connection
    that fails is closed and one more is made (a database restarted since the last probe)."""
    key = repr(sorted(settings_dict.items()))
    if key in _connections:
        try:
            return _select_one(key)
        except Exception:
            _forget(key)
    connection = _connections[key] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict)
    connection.inc_thread_sharing()  # the pool's threads take turns with it
    try:
        _select_one(key)
    except Exception:
        _forget(key)
        raise


def _select_one(key: str) -> None:
    with _connections[key].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _forget(key: str) -> None:
    _connections.pop(key).close()


def close_check_connections() -> None:
    """Close the checks' connections (a test database cannot be dropped while one is open)."""
    while _connections:
        _key, connection = _connections.popitem()
        connection.close()


def check_cache() -> None:
    cache = caches["default"]
    key = f"readyz:{secrets.token_hex(8)}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


CHECKS: dict[str, Callable[..., None]] = {"database": check_database, "cache": check_cache}
READY_DEADLINE_SECONDS = 0.15

_pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="readyz")
_running: dict[str, Future] = {}
_running_lock = threading.Lock()


def _start(name: str, *arguments) -> Future:
    """The check running in the background: a new one, unless the last one is still waiting for an answer."""
    with _running_lock:
        future = _running.get(name)
        if future is None or future.done():
            future = _running[name] = _pool.submit(CHECKS[name], *arguments)
        return future


def readyz(request: HttpRequest) -> HttpResponse:
    """The database and the cache answer; 503 with the name of what does not."""
    deadline = time.monotonic() + READY_DEADLINE_SECONDS
    futures = {
        "database": _start("database", copy.deepcopy(connections["default"].settings_dict)),
        "cache": _start("cache"),
    }
    results = {}
    for name, future in futures.items():
        try:
            future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            log.warning("readiness check %s did not answer within %.2f s", name, READY_DEADLINE_SECONDS)
            results[name] = "unavailable"
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"; the reason goes to the log
            log.warning("readiness check %s failed: %s", name, error.__class__.__name__, exc_info=True)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    ready = all(result == "ok" for result in results.values())
    return _no_store(
        JsonResponse({"status": "ok" if ready else "unavailable", "checks": results}, status=200 if ready else 503)
    )


class HealthCheckMiddleware:
    """Answers GET or HEAD /healthz and /readyz before the rest of the middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in (HEALTHZ_PATH, READYZ_PATH) and request.method in ("GET", "HEAD"):
            return healthz(request) if request.path_info == HEALTHZ_PATH else readyz(request)
        return self.get_response(request)
