"""The answer to an unexpected error: a plain page that tells nothing of the inside.

A database or a cache that cannot be reached is not a bug of the site but an outage: it is
answered 503 with Retry-After, so that readers, crawlers and load balancers try again later,
and the page says so. Everything else is a 500. Both pages are rendered without the request's
context (no session, no user, no database), as Django's own server_error view does.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .api.errors import in_api

OUTAGES = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 30


def is_outage(error: BaseException | None) -> bool:
    """The error, or one that caused it, says a service the site needs cannot be reached."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OUTAGES):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 503 when the database or the cache is down, 500 otherwise."""
    outage = is_outage(sys.exc_info()[1])
    response: HttpResponse
    if in_api(request):  # the API answers in JSON, failures too
        detail = "Temporarily unavailable: try again later." if outage else "Server error."
        response = JsonResponse({"detail": detail}, status=503 if outage else 500)
    elif outage:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    else:
        response = HttpResponseServerError(loader.get_template("500.html").render())
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
