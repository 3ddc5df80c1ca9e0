"""The site's URLs: public pages, the admin and the partner API."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from meetings.sitemaps import SITEMAPS

from . import views
from .cache import cached_page

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("api/", include("budapest.api.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        cached_page("meetings", "actors")(sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("", include("meetings.urls")),
    path("", include("meetings.actor_urls")),
]

# A database or cache outage is answered 503, any other failure 500; neither page tells anything of the inside.
handler500 = "budapest.errors.server_error"
