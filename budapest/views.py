"""Site-wide answers: robots.txt, and the language switch."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

# Django's own view, without the CSRF check. Choosing a language is all it does (its "next" address
# is checked to be on this site), so a forged request can do no more than switch a reader's language;
# in return, the switcher needs no token, and a public page sets no cookie and is the same for every
# reader: stored once, served to all, kept by any shared cache (docs/performance.md).
set_language = csrf_exempt(i18n.set_language)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read every public page; search results, the admin and the language switch are no pages."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Disallow: {reverse('meetings:search')}",
        "Disallow: /i18n/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
