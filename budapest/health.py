"""Probes for load balancers and orchestrators: /healthz (the process answers) and /readyz (it can serve).

They are answered by a middleware at the top of the stack, before host validation, HTTPS redirects,
sessions and CSRF, so that a probe sent to an app server's own address over plain HTTP gets a true
answer. Neither says more than "ok" or which dependency is unreachable: no host names, no versions.

/readyz answers within READY_DEADLINE_SECONDS whatever the dependencies do: the cache is checked in a
thread of its own and a check that has not answered by then counts as "unavailable" (a Redis that
stopped answering would otherwise hold the probe for its socket timeout). The database is checked in
the request's own thread, on the request's connection; a stopped PostgreSQL refuses at once.
"""

import logging
import secrets
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.core.cache import caches
from django.db import connections
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


def check_database(alias: str = "default") -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache(alias: str = "default") -> None:
    cache = caches[alias]
    key = f"readyz:{secrets.token_hex(8)}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


CHECKS = {"database": check_database, "cache": check_cache}
# Checks run in a thread, with a deadline: they must not touch the request thread's database connection.
THREADED = {"cache"}
READY_DEADLINE_SECONDS = 0.15

_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="readyz")
_running: dict[str, Future] = {}
_running_lock = threading.Lock()


def _start(name: str) -> Future:
    """The check running in the background: a new one, unless the last one is still waiting for an answer."""
    with _running_lock:
        future = _running.get(name)
        if future is None or future.done():
            future = _running[name] = _pool.submit(CHECKS[name])
        return future


def readyz(request: HttpRequest) -> HttpResponse:
    """The database and the cache answer; 503 with the name of what does not."""
    deadline = time.monotonic() + READY_DEADLINE_SECONDS
    futures = {name: _start(name) for name in CHECKS if name in THREADED}
    results = {}
    for name, check in CHECKS.items():
        try:
            if name in futures:
                futures[name].result(timeout=max(0.0, deadline - time.monotonic()))
            else:
                check()
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
