"""Site-wide answers: robots.txt."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe


@require_safe  # GET and HEAD, as every page
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read every public page, in every language; search results and the admin are no pages."""
    # "/admin/" as it always said: the admin's own address (DJANGO_ADMIN_PATH) is not told to anyone.
    lines = ["User-agent: *", "Disallow: /admin/"]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            lines.append(f"Disallow: {reverse('meetings:search')}")
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('django.contrib.sitemaps.views.sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
