"""WSGI entry point for production servers.

A stored page (budapest.cache) is answered here, before Django builds its handler's request and runs
its signals and middleware: the same bytes and headers the page cache's middleware would answer with,
for less work. Everything else, and every request the page cache has nothing stored for, goes to Django.
"""

import os

from django.core.handlers.wsgi import WSGIRequest
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "budapest.settings")

django_application = get_wsgi_application()

from budapest.cache import stored_page  # noqa: E402 - needs Django set up


def application(environ, start_response):
    if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
        # A copy: Django's request writes the decoded address back into the environ it is given, and the
        # handler's own request would decode it a second time (a 500 for "Ā").
        stored = stored_page(WSGIRequest(environ.copy()))
        if stored is not None:
            status, headers, body = stored
            start_response(status, headers)
            return [body]
    return django_application(environ, start_response)
