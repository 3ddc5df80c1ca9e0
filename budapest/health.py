"""Probes for load balancers and orchestrators: /healthz (the process answers) and /readyz (it can serve).

They are answered by a middleware at the top of the stack, before host validation, HTTPS redirects,
sessions and CSRF, so that a probe sent to an app server's own address over plain HTTP gets a true
answer. Neither says more than "ok" or which dependency is unreachable: no host names, no versions.
"""

import logging
import secrets

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


def readyz(request: HttpRequest) -> HttpResponse:
    """The database and the cache answer; 503 with the name of what does not."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
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
