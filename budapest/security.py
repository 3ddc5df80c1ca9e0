"""Security plumbing that Django has no setting for: the Permissions-Policy header, the admin's audit
log line, control characters refused at the door, and the client address that the sign-in lockout
and the API's throttles count by."""

import logging
import re
import time

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

audit_log = logging.getLogger("budapest.audit")

# Browser features no page of the site uses; a script that got in could not use them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class PermissionsPolicyMiddleware:
    """Adds a Permissions-Policy header that turns off the browser features the site never uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# C0 control characters and DEL: no address, slug or query value of the site holds one, and NUL cannot
# even be sent to PostgreSQL. Form and JSON bodies are checked by their fields (forms and serializers).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class ControlCharacterMiddleware:
    """Refuses a path holding a control character (404: no such page) and a query holding one (400).

    One rule at the door for every page and API route, before any view or database sees the value.
    The API answers in JSON, as it does everything; pages get the site's own 404 and 400 pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        in_api = request.path_info.startswith("/api/")
        if CONTROL_CHARACTERS.search(request.path_info):
            if in_api:
                return JsonResponse({"detail": "Not found."}, status=404)
            raise Http404("A control character in the address.")
        for key, values in request.GET.lists():
            if CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(value) for value in values):
                message = "A control character (such as NUL) is not allowed in a parameter."
                if in_api:
                    return JsonResponse({CONTROL_CHARACTERS.sub("", key) or "query": [message]}, status=400)
                raise BadRequest(message)
        return self.get_response(request)


class DebugPagesWithoutCSPMiddleware:
    """With DEBUG on, Django's own error pages (the yellow 500, the 404 list of URLs) go without the
    Content Security Policy: their inline styles and scripts carry no nonce. Never used in production.

    It sits inside ContentSecurityPolicyMiddleware, which leaves out the header when a response
    says its policy is empty.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code >= 400 and response.get("Content-Type", "").startswith("text/html"):
            response._csp_config = {}
        return response


class AdminAuditMiddleware:
    """Writes one log line for every POST to the admin: who, where, with which answer.

    Django's LogEntry records what a change did; this line also records attempts that changed
    nothing (a refused form, a failed sign-in), with the time and the client address. The form's
    contents are never logged.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_PATH.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or not request.path.startswith(self.prefix):
            return self.get_response(request)
        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        audit_log.info(
            "admin POST %s by %s: %s",
            request.path,
            user.get_username() if user is not None and user.is_authenticated else "anonymous",
            response.status_code,
            extra={
                "event": "admin_post",
                "path": request.path,
                "user": user.get_username() if user is not None and user.is_authenticated else None,
                "status": response.status_code,
                "client_ip": client_ip(request),
                "duration_ms": round((time.monotonic() - started) * 1000),
            },
        )
        return response


def client_ip(request: HttpRequest) -> str:
    """The reader's address: REMOTE_ADDR, or the address the trusted proxies saw.

    Trusts X-Forwarded-For only as far as the API's NUM_PROXIES (API_NUM_PROXIES) says there are
    proxies in front of the site, the way the API's throttles count: anything further left could
    have been written by the client.
    """
    num_proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if num_proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if addresses:
            return addresses[-min(num_proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")
