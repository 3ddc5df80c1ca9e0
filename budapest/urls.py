"""The site's URLs: public pages and the admin in each language, the partner API and the crawlers' files once.

English pages keep the addresses they always had; every other language of LANGUAGES has the same pages
under its code (/ru/meetings/): budapest/languages.py.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from meetings.sitemaps import SITEMAPS

from . import views

urlpatterns = [
    path("api/", include("budapest.api.urls")),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    *i18n_patterns(
        path(settings.ADMIN_PATH, admin.site.urls),
        path("", include("meetings.urls")),
        path("", include("meetings.actor_urls")),
        prefix_default_language=False,
    ),
]

# A database or cache outage is answered 503, any other failure 500; neither page tells anything of the inside.
handler500 = "budapest.errors.server_error"
