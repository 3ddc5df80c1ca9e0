"""Security plumbing that Django has no setting for: the Permissions-Policy header, the admin's audit
log line, control characters refused at the door, and the client address that the sign-in lockout
and the API's throttles count by."""

import functools
import ipaddress
import logging
import re
import time

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse

from .api.errors import in_api
from .languages import without_language

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


def is_staff(user) -> bool:
    """A signed-in member of the Secretariat's staff: no time limit on their statements, the API's writers."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


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
        api = in_api(request)
        if CONTROL_CHARACTERS.search(request.path_info):
            if api:
                return JsonResponse({"detail": "Not found."}, status=404)
            raise Http404("A control character in the address.")
        for key, values in request.GET.lists():
            if CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(value) for value in values):
                message = "A control character (such as NUL) is not allowed in a parameter."
                if api:
                    return JsonResponse({CONTROL_CHARACTERS.sub("", key) or "query": [message]}, status=400)
                raise BadRequest(message)
        return self.get_response(request)


READ_METHODS = ("GET", "HEAD")


class ReadOnlyPagesMiddleware:
    """A public page is read with GET or HEAD; any other method is a 405 with ``Allow: GET, HEAD``.

    Before the CSRF check, which answered a PUT, PATCH, DELETE or POST to a page 403 ("CSRF verification
    failed"), as if the page took it with a token. The admin (its forms) and the API (its own 405s, with the
    methods of each resource) are not pages; an address that is no page stays a 404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if request.method in READ_METHODS or in_api(request):
            return None
        match = request.resolver_match
        if match is not None and "admin" in match.namespaces:
            return None
        return HttpResponseNotAllowed(READ_METHODS)


SIGNED_IN_AT = "budapest.signed_in_at"
LAST_SEEN_AT = "budapest.last_seen_at"
# The last-seen time is written at most this often, not at every request (each write is a session save).
LAST_SEEN_RESOLUTION = 60


def stamp_session(sender, request, user, **kwargs) -> None:
    """On signing in (user_logged_in): the session starts now."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = int(time.time())


class SessionTimeoutMiddleware:
    """Signs out a staff session idle longer than SESSION_IDLE_TIMEOUT or older than SESSION_ABSOLUTE_TIMEOUT.

    A session left open on a shared computer, or a stolen cookie, stops working within the hour and
    at the latest after a working day. The request then goes on as anonymous: the admin asks to sign
    in again. Readers have no session; nothing is read or written for them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = request.session.get(SIGNED_IN_AT)
            last_seen_at = request.session.get(LAST_SEEN_AT, signed_in_at)
            if signed_in_at is None:  # a session opened before this rule existed: it starts now
                request.session[SIGNED_IN_AT] = request.session[LAST_SEEN_AT] = now
            elif (
                now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT
                or now - last_seen_at > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
            elif now - last_seen_at >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_AT] = now
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
        if request.method != "POST" or not without_language(request.path_info).startswith(self.prefix):
            return self.get_response(request)
        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        username = user.get_username() if user is not None and user.is_authenticated else None
        audit_log.info(
            "admin POST %s by %s: %s",
            request.path,
            username or "anonymous",
            response.status_code,
            extra={
                "event": "admin_post",
                "path": request.path,
                "user": username,
                "status": response.status_code,
                "client_ip": client_ip(request),
                "duration_ms": round((time.monotonic() - started) * 1000),
            },
        )
        return response


@functools.cache
def _networks(addresses: tuple[str, ...]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(address, strict=False) for address in addresses]


def _is_proxy(address: str) -> bool:
    """The address is a trusted proxy (settings.TRUSTED_PROXIES); an empty one is a unix socket, reached locally."""
    if not address:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    ip = getattr(ip, "ipv4_mapped", None) or ip  # ::ffff:127.0.0.1 from a dual-stack socket
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The reader's address: REMOTE_ADDR, or, for a request that came through a trusted proxy, the one it saw.

    X-Forwarded-For is believed only when the connection itself comes from a proxy of
    settings.TRUSTED_PROXIES (DJANGO_TRUSTED_PROXIES; loopback or a unix socket by default): a client
    that reaches gunicorn directly is counted by its own address, whatever it writes in the header.
    Read from the right, each proxy added the address it saw; the first one that is no trusted proxy
    is the client (whatever stands further left, the client could have written).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not _is_proxy(remote):
        return remote
    chain = [address.strip() for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [address for address in chain if address]
    for address in reversed(chain):
        if not _is_proxy(address):
            return address
    return chain[0] if chain else remote
