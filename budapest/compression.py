"""Compressed responses (gzip) for what the public reads, never for a response that carries a secret.

BREACH recovers a secret from the size of compressed responses that also reflect text an attacker
chose. So a response is sent uncompressed when it carries one: a page with a CSRF token (every
admin form) and anything answered to a signed-in session (the admin, staff previews: token keys,
history). The public pages carry no token (the language switcher posts without one) and no secret,
so compressing them reveals nothing. Django's GZipMiddleware also pads each response with random
bytes (Heal-the-BREACH) and adds ``Vary: Accept-Encoding``.

It runs outside the page cache. A stored page is kept gzipped once (budapest.cache), and a reader who
accepts gzip gets those bytes as they are: a response that already says its Content-Encoding is left
alone here. Those bytes carry no random padding, and need none: a page is stored only when it carries
no secret. A stored page with a CSP nonce of each reader's own (no public page has one) is compressed
here on the way out, as a rendered page is.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip

CSRF_FIELD = b'name="csrfmiddlewaretoken"'


def accepts_gzip(request: HttpRequest) -> bool:
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def carries_secret(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether this response may hold a secret that compression would leak (see the module's docstring)."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    return not response.streaming and CSRF_FIELD in response.content


class PublicGZipMiddleware(GZipMiddleware):
    """Django's gzip, for responses that carry no secret."""

    def process_response(self, request, response):
        # Only what is compressed here can leak: a client that takes no gzip, or a page already compressed (a
        # stored one), gets no body searched for a secret (GZipMiddleware still says Vary: Accept-Encoding,
        # and compresses nothing for it).
        if response.has_header("Content-Encoding"):
            return response
        if accepts_gzip(request) and carries_secret(request, response):
            return response
        return super().process_response(request, response)
