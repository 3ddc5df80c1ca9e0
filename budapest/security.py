"""Security plumbing that Django has no setting for: the Permissions-Policy header, the admin's audit
log line, and the client address that the sign-in lockout counts by."""

import logging
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
