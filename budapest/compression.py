"""Compressed responses (gzip) for what the public reads, never for a response that carries a secret.

BREACH recovers a secret from the size of compressed responses that also reflect text an attacker
chose. So a response is sent uncompressed when it carries one: a page with a CSRF token (every
admin form) and anything answered to a signed-in session (the admin, staff previews: token keys,
history). The public pages carry no token (the language switcher posts without one) and no secret,
so compressing them reveals nothing. Django's GZipMiddleware also pads each response with random
bytes (Heal-the-BREACH) and adds ``Vary: Accept-Encoding``.

It runs outside the page cache: stored pages are kept uncompressed, as each reader's copy gets its
own CSP nonce, and compressed on the way out.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip

CSRF_FIELD = b'name="csrfmiddlewaretoken"'


def carries_secret(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether this response may hold a secret that compression would leak (see the module's docstring)."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    return not response.streaming and CSRF_FIELD in response.content


class PublicGZipMiddleware(GZipMiddleware):
    """Django's gzip, for responses that carry no secret."""

    def process_response(self, request, response):
        # Only what is compressed can leak: a client that takes no gzip gets no body searched for a secret
        # (GZipMiddleware still says Vary: Accept-Encoding, and compresses nothing for it).
        accepts_gzip = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if accepts_gzip and carries_secret(request, response):
            return response
        return super().process_response(request, response)
