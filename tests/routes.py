"""Every address the site's URLconf routes, for tests that check each page has what it needs."""

from collections.abc import Iterator

from django.urls import URLPattern, get_resolver


def site_routes(patterns=None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """(route, pattern) for every URL pattern, included ones with their prefix ("countries/<slug:slug>/")."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if hasattr(pattern, "url_patterns"):
            yield from site_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern
