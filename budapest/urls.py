"""The site's URLs: public pages, the admin and the partner API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("meetings.urls")),
    path("", include("actors.urls")),
]
